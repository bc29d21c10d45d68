from django.db import models

from pregon.core.crypto import EncryptedTextField


class ChannelKind(models.TextChoices):
    FACEBOOK_PAGE = "facebook_page", "Página de Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    WORDPRESS = "wordpress", "Portal web (WordPress)"
    MANUAL = "manual", "Manual (WhatsApp, otros)"


class ChannelState(models.TextChoices):
    ACTIVE = "activa", "Activa"
    RECONNECT = "reconexion", "Requiere reconexión"
    DISABLED = "desactivada", "Desactivada"


class ChannelAccount(models.Model):
    """An account Pregón publishes to. Credentials are encrypted at rest and never
    shown again after saving."""

    kind = models.CharField("tipo", max_length=20, choices=ChannelKind.choices)
    name = models.CharField("nombre", max_length=200, unique=True)
    handle = models.CharField("usuario o dirección pública", max_length=200, blank=True)
    external_id = models.CharField("id externo", max_length=100, blank=True)
    base_url = models.URLField("URL base (portal)", blank=True)
    credentials = EncryptedTextField("credenciales", blank=True)
    is_institutional = models.BooleanField(
        "cuenta institucional",
        default=True,
        help_text="Las cuentas personales de servidores públicos no son institucionales.",
    )
    state = models.CharField(
        "estado", max_length=12, choices=ChannelState.choices, default=ChannelState.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "cuenta de canal"
        verbose_name_plural = "cuentas de canal"

    def __str__(self) -> str:
        return self.name
