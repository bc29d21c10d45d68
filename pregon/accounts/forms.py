from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from pregon.accounts import throttle
from pregon.core.clientip import client_address


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} segundos"
    return f"{(seconds + 59) // 60} minutos"


class ThrottleMixin:
    """Refuse to check a password while this account + address must wait; count
    each failure. Used by the app's login and by the admin's."""

    throttle_messages = {
        "locked": (
            "Demasiados intentos fallidos desde esta conexión. Por seguridad, espere "
            "%(wait)s antes de intentar de nuevo."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request)
        wait = throttle.seconds_to_wait(username, address)
        if wait:
            raise forms.ValidationError(
                self.throttle_messages["locked"] % {"wait": _wait_text(wait)}, code="locked"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned


SPANISH_LOGIN_ERRORS = {
    "invalid_login": "Usuario o contraseña incorrectos. Revise ambos e intente de nuevo.",
    "inactive": "Esta cuenta está desactivada. Pida ayuda a Coordinación.",
}


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, **SPANISH_LOGIN_ERRORS}


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's own login page, with the same throttle as the app's."""
