"""What the Bot API accepts in a channel post.

Text alone: 4,096 characters; with photos or a video the text is their caption:
1,024. Both are counted as Telegram counts them (text.length: UTF-16 units of the
visible text, not our HTML). An album (sendMediaGroup) holds 2 to 10 photos and videos.
A photo uploaded by a bot: at most 10 MB, width + height at most 10,000, sides at most
20:1; any other file (a video) at most 50 MB. Telegram says «MB»; we count 10⁶ bytes so
a file Telegram might refuse never passes here. The link travels inside the text
(text.with_link). Telegram keeps no alt text: Pregón still asks for it (all networks).
"""

from pregon.publishing.channels.limits import Draft, MediaInfo
from pregon.publishing.channels.telegram import text as tg_text

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ITEMS = 10
MB = 1000 * 1000
MAX_PHOTO_BYTES = 10 * MB
MAX_VIDEO_BYTES = 50 * MB
MAX_PHOTO_SIDES = 10_000  # width + height
MAX_PHOTO_RATIO = 20


def limit(has_media: bool) -> int:
    return MAX_CAPTION if has_media else MAX_TEXT


def check(draft: Draft) -> list[str]:
    messages = _text(draft.text, draft.media)
    if len(draft.media) > MAX_ITEMS:
        messages.append(
            f"Telegram: un álbum lleva hasta {MAX_ITEMS} fotos o videos; hay {len(draft.media)}."
        )
    for number, item in enumerate(draft.media, start=1):
        messages.extend(_item(number, item))
    return messages


def _text(text: str, media: list[MediaInfo]) -> list[str]:
    if not text.strip() and not media:
        return ["Telegram: el mensaje está vacío; escriba un texto o agregue una foto."]
    count, most = tg_text.length(text), limit(bool(media))
    if count <= most:
        return []
    if media:
        return [
            f"Telegram: con fotos o video el texto va como pie y mide {count:,} caracteres "
            f"(con el enlace); el máximo es {most:,}. Acórtelo o publíquelo sin fotos "
            f"(texto solo: hasta {MAX_TEXT:,})."
        ]
    return [
        f"Telegram: el mensaje mide {count:,} caracteres (con el enlace); el máximo es {most:,}."
    ]


def _item(number: int, item: MediaInfo) -> list[str]:
    if item.is_video:
        if item.size_bytes > MAX_VIDEO_BYTES:
            return [
                f"Telegram: el video {number} pesa {_mb(item.size_bytes)}; un bot sube hasta 50 MB."
            ]
        return []
    messages = []
    if item.size_bytes > MAX_PHOTO_BYTES:
        messages.append(
            f"Telegram: la foto {number} pesa {_mb(item.size_bytes)}; el máximo es 10 MB."
        )
    if item.width + item.height > MAX_PHOTO_SIDES:
        messages.append(
            f"Telegram: la foto {number} mide {item.width}×{item.height}; ancho más alto "
            f"no puede pasar de {MAX_PHOTO_SIDES:,} píxeles."
        )
    short, long = sorted((item.width, item.height))
    if short and long / short > MAX_PHOTO_RATIO:
        messages.append(
            f"Telegram: la foto {number} es demasiado alargada ({item.width}×{item.height}); "
            f"un lado puede medir hasta {MAX_PHOTO_RATIO} veces el otro."
        )
    return messages


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"
