import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class AreaKind(models.TextChoices):
    PRESIDENCIA = "presidencia", "Presidencia"
    DIRECCION = "direccion", "Dirección"
    ORGANISMO = "organismo", "Organismo descentralizado"
    AUTONOMO = "autonomo", "Órgano autónomo"


class Area(models.Model):
    """An area of the municipal administration or a decentralised body."""

    name = models.CharField("nombre", max_length=200, unique=True)
    short_name = models.CharField("nombre corto", max_length=40, unique=True)
    kind = models.CharField(
        "tipo", max_length=20, choices=AreaKind.choices, default=AreaKind.DIRECCION
    )
    is_active = models.BooleanField("activa", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "área"
        verbose_name_plural = "áreas"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    area = models.ForeignKey(
        Area,
        verbose_name="área",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def active(self) -> "ApiTokenQuerySet":
        """Tokens that work now: not revoked, owner active, not expired."""
        return self.unrevoked().filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is
    shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nombre", max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("vence", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "", days: int | None = None) -> tuple["ApiToken", str]:
        """A new token; with `days`, it stops working that many days from now."""
        raw = "pgn_" + secrets.token_urlsafe(32)
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:12], digest=cls.hash(raw), expires_at=expires_at
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
