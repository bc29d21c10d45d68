"""Signed, expiring public links to publication media: Instagram fetches the image
from a URL, so it must be reachable at PREGON_PUBLIC_URL without a session."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "pregon.publishing.media"


class NoPublicUrl(Exception):
    pass


def sign(media_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(media_id))


def unsign(token: str) -> int:
    """The media id, or signing.BadSignature / SignatureExpired."""
    value = signing.TimestampSigner(salt=SALT).unsign(
        token, max_age=settings.PREGON_PUBLIC_LINK_SECONDS
    )
    return int(value)


def public_url(media_id: int) -> str:
    if not settings.PREGON_PUBLIC_URL:
        raise NoPublicUrl("PREGON_PUBLIC_URL no está configurada.")
    path = reverse("publishing:public_media", args=[sign(media_id)])
    return f"{settings.PREGON_PUBLIC_URL}{path}"
