"""What goes out for a delivery: the `OutgoingPost` a connector sends (split from
engine.py). The text and link its variant carries, each photo or video as the
archive's public copy, with the address a downloading network fetches it from."""

from pathlib import Path

from django.conf import settings

from pregon.archive.services import IngestError
from pregon.publishing import media_links
from pregon.publishing.channels.base import ChannelError, OutgoingMedia, OutgoingPost
from pregon.publishing.channels.network import no_public_url
from pregon.publishing.models import Delivery, PublicationMedia
from pregon.publishing.services import media_public_captions, media_public_path
from pregon.publishing.validation import effective_text


def build_post(delivery: Delivery) -> OutgoingPost:
    variant = delivery.variant
    publication = variant.publication
    network = delivery.account.network
    fetched = bool(network and network.needs_public_url)  # the network downloads the media
    items = variant.media_with_assets()
    if network and network.needs_media and not items:  # approval refuses it; rows edited since
        raise ChannelError(f"{network.name}: necesita una imagen o un video.", permanent=True)
    if network and fetched and items and not settings.PREGON_PUBLIC_URL:
        raise ChannelError(no_public_url(network), permanent=True)
    media = []
    for item in items:
        public = media_links.public_url(item.pk) if fetched else ""
        captions = media_public_captions(item)
        media.append(
            OutgoingMedia(
                path=_public_path(item),
                mime_type=item.sent_mime_type,
                alt_text=variant.alt_text_for(item),
                public_url=public,
                captions_vtt=captions[0] if captions else None,
                captions_srt=captions[1] if captions else None,
            )
        )
    return OutgoingPost(
        text=effective_text(variant),
        link=publication.link,
        title=publication.title,
        media=media,
        reference=f"pregon-{delivery.pk}",
    )


def _public_path(item: PublicationMedia) -> Path:
    """The archive's public derivative (no GPS/EXIF) or a pre-archive upload. An asset
    that may not be published (minors without consent, restricted rights) is a
    permanent refusal: nothing is sent, the delivery fails with the archive's reason."""
    try:
        return media_public_path(item)
    except IngestError as exc:
        what = "Video" if item.is_video else "Imagen"
        raise ChannelError(f"{what} «{item}»: {exc}", permanent=True) from exc
