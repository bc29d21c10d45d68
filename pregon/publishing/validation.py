"""Per-network checks before approval and while writing. The rules themselves live
in rules.py (one place per network); this module feeds them our models' values."""

from dataclasses import dataclass

from django.conf import settings

from pregon.publishing.models import ChannelKind, Publication, PublicationMedia, Variant

NO_PUBLIC_URL = (
    "Instagram descarga las imágenes desde una dirección pública y PREGON_PUBLIC_URL no "
    "está configurada: no se puede publicar en Instagram desde esta instalación."
)


@dataclass
class MediaValues:
    """Plain values of an image, the shape rules.MediaInfo takes."""

    mime_type: str
    width: int
    height: int
    size_bytes: int
    alt_text: str = ""
    duration: float | None = None


def effective_text(variant: Variant) -> str:
    return variant.text.strip() or variant.publication.text


def problems_for(kind: str, text: str, link: str, media: list[MediaValues]) -> list[str]:
    """Spanish problems for one variant (empty = ready)."""
    problems = []
    if kind == ChannelKind.INSTAGRAM and not settings.PREGON_PUBLIC_URL:
        problems.append(NO_PUBLIC_URL)
    if not text.strip():
        problems.append("El texto está vacío.")
    # X carries the link inside the text, so it counts toward the 280 characters.
    checked = f"{text} {link}".strip() if kind == ChannelKind.X and link else text
    problems.extend(_network_rules(kind, checked, media))
    return problems


def _network_rules(kind: str, text: str, media: list[MediaValues]) -> list[str]:
    try:
        from pregon.publishing import rules
    except ImportError:  # the per-network rules module is not installed yet
        return []
    infos = [
        rules.MediaInfo(
            mime_type=m.mime_type,
            width=m.width,
            height=m.height,
            size_bytes=m.size_bytes,
            alt_text=m.alt_text,
            duration=m.duration,
        )
        for m in media
    ]
    return list(rules.validate_variant(kind, text, infos))


def media_values(media: PublicationMedia, alt_text: str | None = None) -> MediaValues:
    return MediaValues(
        mime_type=media.sent_mime_type,
        width=media.width,
        height=media.height,
        size_bytes=media.size_bytes,
        alt_text=media.alt_text if alt_text is None else alt_text,
        duration=media.duration,
    )


def variant_problems(variant: Variant) -> list[str]:
    media = [media_values(m, variant.alt_text_for(m)) for m in variant.media.all()]
    return problems_for(
        variant.account.kind, effective_text(variant), variant.publication.link, media
    )


def publication_problems(publication: Publication) -> list[str]:
    """Every problem, prefixed with the channel it belongs to."""
    problems = []
    variants = publication.variants.select_related("account", "publication")
    if not variants:
        problems.append("La publicación no tiene canales.")
    for variant in variants:
        problems += [f"{variant.account.name}: {p}" for p in variant_problems(variant)]
    return problems
