from django.contrib.auth import views as auth_views
from django.urls import path

from pregon.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("contrasena/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "contrasena/lista/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("bitacora/", views.audit_log, name="audit"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revocar/", views.api_token_revoke, name="token_revoke"),
]
