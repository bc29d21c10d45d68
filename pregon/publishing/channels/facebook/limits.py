"""What a Facebook Page accepts: 63,206 characters, up to ten photos or one video."""

from pregon.publishing.channels.limits import MIB, Draft, mib, single_video, videos

MAX_TEXT = 63_206
MAX_PHOTOS = 10
MAX_VIDEO_BYTES = 1024 * MIB  # a single (non-resumable) upload


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    messages = []
    if not text.strip() and not media:
        messages.append("Facebook: el texto está vacío y no hay imágenes.")
    if len(text) > MAX_TEXT:
        messages.append(
            f"Facebook: el texto mide {len(text)} caracteres; el máximo es {MAX_TEXT:,}."
        )
    messages.extend(single_video("Facebook", media))
    if len(media) > MAX_PHOTOS and not videos(media):
        messages.append(f"Facebook: admite hasta {MAX_PHOTOS} fotos; hay {len(media)}.")
    for number, item in videos(media):
        if item.size_bytes > MAX_VIDEO_BYTES:
            messages.append(
                f"Facebook: el video {number} pesa {mib(item.size_bytes)}; el máximo es 1 GiB."
            )
    return messages
