from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.home, name="home"),
    path("practice/", views.practice, name="practice"),
    path("attempts/<int:attempt_id>/<int:position>/", views.question, name="question"),
    path("attempts/<int:attempt_id>/<int:position>/flag/", views.flag, name="flag"),
    path("attempts/<int:attempt_id>/results/", views.results, name="results"),
    path("attempts/<int:attempt_id>/retry/", views.retry_missed, name="retry"),
]
