from django.urls import path

from . import views

app_name = "pricing"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/<slug:preset>/", views.compare, name="compare"),
    path("problems/", views.problems, name="problems"),
    path("estimate/", views.estimate, name="estimate"),
    path("estimate.csv", views.estimate_csv, name="estimate_csv"),
    path("<slug:service>/", views.calculator, name="calculator"),
    path("<slug:service>/embed/", views.embed, name="embed"),
    path("<slug:service>/estimate.json", views.estimate_json, name="estimate_json"),
]
