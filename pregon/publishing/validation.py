"""Per-network checks before approval and while writing. The rules live in each
network's package (read through rules.py); this module feeds them our models' values."""

from django.conf import settings

from pregon.publishing import rules
from pregon.publishing.channels.limits import MediaInfo
from pregon.publishing.channels.network import no_public_url
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import Publication, PublicationMedia, Variant


def effective_text(variant: Variant) -> str:
    return variant.text.strip() or variant.publication.text


def problems_for(kind: str, text: str, link: str, media: list[MediaInfo]) -> list[str]:
    """Spanish problems for one variant (empty = ready)."""
    problems = []
    network = networks().get(kind)
    if network and network.needs_public_url and not settings.PREGON_PUBLIC_URL:
        problems.append(no_public_url(network))
    if not text.strip():
        problems.append("El texto está vacío.")
    problems.extend(rules.validate_variant(kind, text, media, link=link))
    return problems


def media_info(media: PublicationMedia, alt_text: str | None = None) -> MediaInfo:
    return MediaInfo(
        mime_type=media.sent_mime_type,
        width=media.width,
        height=media.height,
        size_bytes=media.size_bytes,
        alt_text=media.alt_text if alt_text is None else alt_text,
        duration=media.duration,
    )


def variant_problems(variant: Variant) -> list[str]:
    media = [media_info(m, variant.alt_text_for(m)) for m in variant.media.all()]
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
