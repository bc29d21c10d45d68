"""Secrets at rest: a Fernet-encrypted text field keyed from PREGON_ENCRYPTION_KEY."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(("pregon-secrets:" + key_material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plaintext: str) -> str:
    return _fernet(settings.PREGON_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PREGON_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("No se pudo descifrar un secreto: ¿cambió la clave de cifrado?") from exc


class EncryptedTextField(models.TextField):
    """Stores the Fernet token; Python code sees plain text. Never put it in a form
    that shows the current value back."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: str | None) -> str | None:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
