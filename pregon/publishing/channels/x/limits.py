"""What X accepts: 280 weighted characters (links count 23), up to four images or one
video. The link travels inside the text (network.link_appended)."""

from pregon.publishing import twitter_text
from pregon.publishing.channels.limits import (
    MIB,
    Draft,
    MediaInfo,
    duration,
    mib,
    single_video,
    videos,
)

MAX_WEIGHTED = 280
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5 * MIB
MAX_VIDEO_BYTES = 512 * MIB
VIDEO_SECONDS = (0.5, 140)


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    messages = _text(text, media)
    messages.extend(single_video("X", media))
    if len(media) > MAX_IMAGES and not videos(media):
        messages.append(f"X: admite hasta {MAX_IMAGES} imágenes; hay {len(media)}.")
    for number, item in enumerate(media, start=1):
        messages.extend(_item(number, item))
    return messages


def _text(text: str, media: list[MediaInfo]) -> list[str]:
    parsed = twitter_text.parse_tweet(text)
    if not text.strip() and not media:
        return ["X: el texto está vacío y no hay imágenes."]
    if parsed.weighted_length > MAX_WEIGHTED:
        return [
            f"X: el texto mide {parsed.weighted_length} caracteres ponderados; el máximo es 280 "
            "(los enlaces cuentan 23 y los emoji y caracteres asiáticos cuentan 2)."
        ]
    if not parsed.valid and text.strip():
        return ["X: el texto contiene caracteres no permitidos (U+FFFE, U+FEFF o U+FFFF)."]
    return []


def _item(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.is_video:
        low, high = VIDEO_SECONDS
        if item.duration is None or not low <= item.duration <= high:
            messages.append(
                f"X: el video {number} dura {duration(item.duration)}; "
                f"debe durar de {low} a {high} segundos."
            )
        if item.size_bytes > MAX_VIDEO_BYTES:
            messages.append(
                f"X: el video {number} pesa {mib(item.size_bytes)}; el máximo es 512 MiB."
            )
    elif item.size_bytes > MAX_IMAGE_BYTES:
        messages.append(f"X: la imagen {number} pesa {mib(item.size_bytes)}; el máximo es 5 MiB.")
    return messages
