"""What Instagram accepts: at least one JPEG (or video) within 4:5–1.91:1, carousels of
2 to 10, a 2,200-character caption with a configured number of hashtags. Instagram
downloads the media from our public address (network.needs_public_url)."""

from django.conf import settings

from pregon.publishing.channels.limits import (
    MIB,
    Draft,
    MediaInfo,
    duration,
    hashtags,
    mib,
)

MAX_CAPTION = 2_200
MAX_BYTES = 8 * MIB
MIN_RATIO = 4 / 5
MAX_RATIO = 1.91
CAROUSEL = (2, 10)
REEL_SECONDS = (3, 15 * 60)
CAROUSEL_VIDEO_SECONDS = 60
MAX_VIDEO_BYTES = 300 * MIB


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    limit = draft.hashtag_limit
    if limit is None:
        limit = settings.PREGON_INSTAGRAM_HASHTAG_LIMIT
    messages = []
    if not media:
        messages.append("Instagram: necesita al menos una imagen o un video.")
    elif len(media) > 1 and not CAROUSEL[0] <= len(media) <= CAROUSEL[1]:
        messages.append(f"Instagram: un carrusel lleva de 2 a 10 imágenes; hay {len(media)}.")
    if len(text) > MAX_CAPTION:
        messages.append(
            f"Instagram: el texto mide {len(text)} caracteres; el máximo es {MAX_CAPTION}."
        )
    tags = hashtags(text)
    if len(tags) > limit:
        messages.append(
            f"Instagram: el texto lleva {len(tags)} hashtags; el máximo configurado es {limit}."
        )
    for number, item in enumerate(media, start=1):
        if item.is_video:
            messages.extend(_video(number, item, in_carousel=len(media) > 1))
        else:
            messages.extend(_image(number, item))
    return messages


def _video(number: int, item: MediaInfo, in_carousel: bool) -> list[str]:
    messages = []
    low, high = REEL_SECONDS
    if in_carousel:
        high = CAROUSEL_VIDEO_SECONDS
    if item.duration is None or not low <= item.duration <= high:
        where = "en un carrusel" if in_carousel else "como reel"
        messages.append(
            f"Instagram: el video {number} dura {duration(item.duration)}; {where} debe durar "
            f"de {low} s a {duration(high)}."
        )
    if item.size_bytes > MAX_VIDEO_BYTES:
        messages.append(
            f"Instagram: el video {number} pesa {mib(item.size_bytes)}; el máximo es 300 MiB."
        )
    return messages


def _image(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type != "image/jpeg":
        messages.append(f"Instagram: la imagen {number} es {item.mime_type}; debe ser JPEG.")
    if item.size_bytes > MAX_BYTES:
        messages.append(
            f"Instagram: la imagen {number} pesa {mib(item.size_bytes)}; el máximo es 8 MiB."
        )
    ratio = item.width / item.height if item.height else 0
    if not MIN_RATIO <= ratio <= MAX_RATIO:
        messages.append(
            f"Instagram: la imagen {number} mide {item.width}×{item.height} px "
            f"(proporción {ratio:.2f}:1); debe estar entre 4:5 (0.80:1) y 1.91:1."
        )
    return messages
