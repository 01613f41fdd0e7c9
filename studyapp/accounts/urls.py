from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("logout/", views.logout, name="logout"),
    # Django's log in, following only a safe next; before django.contrib.auth.urls' (same address)
    path("login/", views.LogInView.as_view(), name="login"),
    path(
        "reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="password_reset_confirm"
    ),  # Django's, with an expired link told apart  # before django.contrib.auth.urls' POST-only one (same address)
]
