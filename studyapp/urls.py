from django.contrib import admin
from django.urls import include, path, register_converter

from studyapp.core.converters import IdConverter
from studyapp.core.views import healthz

register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("studyapp.content.urls")),
    path("study/", include("studyapp.srs.urls")),
    path("quiz/", include("studyapp.quizzes.urls")),
    path("pricing/", include("studyapp.pricing.urls")),
    path("classes/", include("studyapp.classrooms.urls")),
    path("live/", include("studyapp.live.urls")),
    path("author/", include("studyapp.authoring.urls")),
    path("accounts/", include("studyapp.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
