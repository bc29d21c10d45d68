"""Pregón's own `check --deploy` warnings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def encryption_key_is_separate(app_configs, **kwargs) -> list[Warning]:
    """Stored channel credentials are encrypted with PREGON_ENCRYPTION_KEY; when it
    falls back to SECRET_KEY, one leaked key opens both sessions and secrets, and
    rotating SECRET_KEY would make every stored secret unreadable."""
    if settings.PREGON_ENCRYPTION_KEY != settings.SECRET_KEY:
        return []
    return [
        Warning(
            "PREGON_ENCRYPTION_KEY no está definida aparte de SECRET_KEY.",
            hint="Defina PREGON_ENCRYPTION_KEY con un valor largo y aleatorio, distinto de "
            "SECRET_KEY, y guárdelo junto con los respaldos.",
            id="pregon.W001",
        )
    ]
