from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    # players: public, a seat cookie
    path("join/", views.join, name="join"),
    path("play/<id:game_id>/", views.play, name="play"),
    path("play/<id:game_id>/screen/", views.play_screen, name="play_screen"),
    path("play/<id:game_id>/answer/", views.answer, name="answer"),
    # hosts: instructors, each game its host's
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("host/<id:game_id>/", views.host, name="host"),
    path("host/<id:game_id>/screen/", views.host_screen, name="host_screen"),
    path("host/<id:game_id>/control/", views.host_control, name="host_control"),
    path("classes/<id:class_id>/", views.class_games, name="class_games"),
    path("games/<id:game_id>/report/", views.report, name="report"),
    path("games/<id:game_id>/report.csv", views.report_csv, name="report_csv"),
]
