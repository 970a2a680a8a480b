from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("register/sent/", views.register_done_view, name="register-done"),
    path("confirm/resend/", views.resend_confirmation_view, name="resend-confirmation"),
    path("confirm/<str:token>/", views.confirm_email_view, name="confirm-email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/changed/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("profile/", views.profile_view, name="profile"),
    path("profile/api-tokens/", views.api_token_create_view, name="api-token-create"),
    path(
        "profile/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke_view,
        name="api-token-revoke",
    ),
    path("screening/", views.screening_view, name="screening"),
    path("screening/<int:user_id>/", views.screening_decide_view, name="screening-decide"),
]
