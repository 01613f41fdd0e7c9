from django.urls import path

from . import views

app_name = "srs"
urlpatterns = [
    path("", views.study_home, name="home"),
    path("review/", views.review, name="review"),
    path("review/grade/", views.grade, name="grade"),
    path("review/undo/", views.undo, name="undo"),
    path("items/<str:kind>/<id:item_id>/<str:action>/", views.item_action, name="item_action"),
    path("cards/", views.cards, name="cards"),
    path("cards/bulk/", views.cards_bulk, name="cards_bulk"),
    path("leeches/", views.leeches, name="leeches"),
    path("history.csv", views.history_csv, name="history_csv"),
    path("stats/", views.stats, name="stats"),
    path("settings/", views.study_settings, name="settings"),
    path("panels/recall/", views.recall_panel, name="recall_panel"),
]
