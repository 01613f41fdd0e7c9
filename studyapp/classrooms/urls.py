from django.urls import path

from . import views

app_name = "classrooms"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("join/<str:code>/", views.join, name="join"),
    path("<id:class_id>/", views.detail, name="detail"),
    path("<id:class_id>/code/", views.rotate_code, name="rotate_code"),
    path("<id:class_id>/instructors/", views.add_instructor, name="add_instructor"),
    path("<id:class_id>/learners/<id:user_id>/remove/", views.learner_status, {"status": "remove"}, name="remove_learner"),
    path("<id:class_id>/learners/<id:user_id>/restore/", views.learner_status, {"status": "restore"}, name="restore_learner"),
    path("<id:class_id>/archive/", views.archive, name="archive"),
    path("<id:class_id>/gradebook.csv", views.gradebook_csv, name="gradebook_csv"),
]
