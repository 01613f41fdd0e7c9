from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.home, name="home"),
    path("practice/", views.practice, name="practice"),
    path("attempts/<id:attempt_id>/<id:position>/", views.question, name="question"),
    path("attempts/<id:attempt_id>/<id:position>/flag/", views.flag, name="flag"),
    path("attempts/<id:attempt_id>/results/", views.results, name="results"),
    path("attempts/<id:attempt_id>/retry/", views.retry_missed, name="retry"),
    path("attempts/<id:attempt_id>/abandon/", views.abandon, name="abandon"),
    path("mock/", views.mock_start, name="mock"),
    path("mock/<id:attempt_id>/<id:position>/", views.mock_question, name="mock_question"),
    path("mock/<id:attempt_id>/review/", views.mock_review, name="mock_review"),
    path("mock/<id:attempt_id>/submit/", views.mock_submit, name="mock_submit"),
    path("panels/readiness/", views.readiness_panel, name="readiness_panel"),
]
