from django.urls import path

from . import views

app_name = "content"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("courses/<slug:course_slug>/", views.course, name="course"),
    path("courses/<slug:course_slug>/<slug:note_slug>/", views.note, name="note"),
    path("courses/<slug:course_slug>/<slug:note_slug>/read/", views.mark_read, name="note_read"),
]
