"""What Threads accepts (developers.facebook.com/docs/threads/posts, «Media
Specifications»): a text of at most 500 characters with at most 5 distinct links, one
image (JPEG or PNG, up to 8 MB, up to 10:1), one video (MP4/MOV, up to 5 minutes and
1 GB) or a carousel of 2 to 20 of them. Threads has no link field: the link goes inside
the text (network.link_appended), so it counts toward the 500 characters and the links.

How the 500 are counted. Meta's page says «Text posts are limited to 500 characters.
Emojis are counted as the number of UTF-8 bytes». We count what a person sees as one
character as one (after NFC, so «á» typed as a + accent is one, as on the phone), and
an emoji as its UTF-8 bytes (👍 = 4, a family joined with ZWJ = 18 or more). Accented
letters and «ñ» are not emoji and count one: counting them by bytes too (as some
libraries do) would refuse ordinary Spanish posts Threads accepts.
"""

import re
import unicodedata

from pregon.publishing import twitter_text
from pregon.publishing.channels.limits import MIB, Draft, MediaInfo, duration, mib

MAX_CHARS = 500
MAX_LINKS = 5
CAROUSEL = (2, 20)
IMAGE_TYPES = ("image/jpeg", "image/png")
MAX_IMAGE_BYTES = 8 * MIB
MAX_RATIO = 10.0  # width:height or height:width
VIDEO_TYPES = ("video/mp4", "video/quicktime")
MAX_VIDEO_SECONDS = 300
MAX_VIDEO_BYTES = 1024 * MIB
URL = re.compile(r"https?://[^\s<>\"')\]}]+", re.IGNORECASE)


def length(text: str) -> int:
    """The text's length as Threads counts it toward 500 (see the module's note)."""
    text = unicodedata.normalize("NFC", text)
    total, last = 0, 0
    for emoji in twitter_text.EMOJI.finditer(text):
        total += emoji.start() - last + len(emoji.group().encode("utf-8"))
        last = emoji.end()
    return total + len(text) - last


def within(text: str, limit: int = MAX_CHARS) -> int:
    """How many leading code points of `text` fit in `limit` Threads characters
    (never splitting an emoji)."""
    text = unicodedata.normalize("NFC", text)
    used, index = 0, 0
    for emoji in twitter_text.EMOJI.finditer(text):
        plain = emoji.start() - index
        if used + plain > limit:
            return index + limit - used
        used += plain
        cost = len(emoji.group().encode("utf-8"))
        if used + cost > limit:
            return emoji.start()
        used, index = used + cost, emoji.end()
    return min(len(text), index + limit - used)


def links(text: str) -> list[str]:
    """The distinct URLs Threads counts (each unique URL once)."""
    return list(dict.fromkeys(match.rstrip(".,;:!?") for match in URL.findall(text)))


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    messages = []
    size = length(text)
    if size > MAX_CHARS:
        messages.append(
            f"Threads: el texto mide {size} caracteres; el máximo es {MAX_CHARS} (cada emoji "
            "cuenta como sus bytes en UTF-8: la mayoría, 4). Acórtelo."
        )
    found = links(text)
    if len(found) > MAX_LINKS:
        messages.append(
            f"Threads: el texto lleva {len(found)} enlaces distintos; el máximo es {MAX_LINKS}."
        )
    if len(media) > 1 and not CAROUSEL[0] <= len(media) <= CAROUSEL[1]:
        messages.append(
            f"Threads: un carrusel lleva de 2 a 20 imágenes o videos; hay {len(media)}."
        )
    for number, item in enumerate(media, start=1):
        messages.extend(_video(number, item) if item.is_video else _image(number, item))
    return messages


def _image(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type not in IMAGE_TYPES:
        messages.append(f"Threads: la imagen {number} es {item.mime_type}; debe ser JPEG o PNG.")
    if item.size_bytes > MAX_IMAGE_BYTES:
        messages.append(
            f"Threads: la imagen {number} pesa {mib(item.size_bytes)}; el máximo es 8 MiB."
        )
    if item.width and item.height:
        ratio = max(item.width / item.height, item.height / item.width)
        if ratio > MAX_RATIO:
            messages.append(
                f"Threads: la imagen {number} mide {item.width}×{item.height} px; la proporción "
                "no puede pasar de 10:1."
            )
    return messages


def _video(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type not in VIDEO_TYPES:
        messages.append(f"Threads: el video {number} es {item.mime_type}; debe ser MP4 o MOV.")
    if item.duration is None or not 0 < item.duration <= MAX_VIDEO_SECONDS:
        messages.append(
            f"Threads: el video {number} dura {duration(item.duration)}; debe durar hasta 5 min."
        )
    if item.size_bytes > MAX_VIDEO_BYTES:
        messages.append(
            f"Threads: el video {number} pesa {mib(item.size_bytes)}; el máximo es 1 GiB."
        )
    return messages
