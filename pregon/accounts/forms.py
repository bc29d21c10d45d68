from django import forms
from django.contrib.auth.forms import AuthenticationForm

from pregon.accounts import throttle


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Usuario o contraseña incorrectos. Revise ambos e intente de nuevo.",
        "inactive": "Esta cuenta está desactivada. Pida ayuda a Coordinación.",
        "locked": (
            "Demasiados intentos fallidos. Por seguridad, espere %(minutes)s minutos "
            "antes de intentar de nuevo."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request)
        if throttle.is_locked(username, address):
            from django.conf import settings

            minutes = settings.PREGON_LOGIN_LOCKOUT_SECONDS // 60
            raise forms.ValidationError(
                self.error_messages["locked"] % {"minutes": minutes}, code="locked"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned
