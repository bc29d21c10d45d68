"""What TikTok accepts: one video, or 1 to 35 JPEG/WebP photos, never both; a caption
of up to 2,200 UTF-16 units. The creator's longest video is checked when it goes out
(creator_info), since it depends on the account. Text alone is refused
(network.needs_media)."""

from pregon.publishing.channels.limits import MIB, Draft, MediaInfo, mib, utf16_units

MAX_CAPTION = 2_200  # UTF-16 units («runes» in TikTok's docs)
PHOTOS = (1, 35)
PHOTO_TYPES = ("image/jpeg", "image/webp")
MAX_PHOTO_BYTES = 20 * MIB
VIDEO_TYPES = ("video/mp4", "video/quicktime", "video/webm")
MAX_VIDEO_BYTES = 4 * 1024 * MIB
MIN_VIDEO_SECONDS = 3


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    messages = []
    length = utf16_units(text)
    if length > MAX_CAPTION:
        messages.append(
            f"TikTok: el texto mide {length} caracteres; el máximo es {MAX_CAPTION} "
            "(los emoji cuentan 2)."
        )
    if not media:
        return [*messages, "TikTok: necesita un video o fotos; TikTok no publica texto solo."]
    videos = [item for item in media if item.is_video]
    if videos and len(media) > 1:
        messages.append(
            f"TikTok: un video va solo, sin fotos ni otros videos; hay {len(media)} archivos."
        )
    elif not videos and not PHOTOS[0] <= len(media) <= PHOTOS[1]:
        messages.append(f"TikTok: admite de 1 a 35 fotos; hay {len(media)}.")
    for number, item in enumerate(media, start=1):
        messages.extend(_video(number, item) if item.is_video else _photo(number, item))
    return messages


def _video(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type not in VIDEO_TYPES:
        messages.append(f"TikTok: el video {number} es {item.mime_type}; debe ser MP4, MOV o WebM.")
    if item.duration is not None and item.duration < MIN_VIDEO_SECONDS:
        messages.append(f"TikTok: el video {number} dura {item.duration:.1f} s; el mínimo es 3 s.")
    if item.size_bytes > MAX_VIDEO_BYTES:
        messages.append(
            f"TikTok: el video {number} pesa {mib(item.size_bytes)}; el máximo es 4 GiB."
        )
    return messages


def _photo(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type not in PHOTO_TYPES:
        messages.append(f"TikTok: la foto {number} es {item.mime_type}; debe ser JPEG o WebP.")
    if item.size_bytes > MAX_PHOTO_BYTES:
        messages.append(
            f"TikTok: la foto {number} pesa {mib(item.size_bytes)}; el máximo es 20 MiB."
        )
    return messages
