"""Plain values the networks' rules take, and the checks several networks share.

Each network's own limits live in its package (channels/<network>/limits.py); this
module only holds what they have in common. Plain values in, Spanish messages out.
"""

import re
from dataclasses import dataclass, field

MIB = 1024 * 1024

# A hashtag: "#" after a non-word character, then letters/digits/_ with at least one letter.
HASHTAG = re.compile(r"(?<![\w&])[#＃](?=\w*[^\W\d_])\w+")


@dataclass
class MediaInfo:
    mime_type: str
    width: int
    height: int
    size_bytes: int
    alt_text: str = ""
    duration: float | None = None  # seconds, for videos

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


@dataclass
class Draft:
    """What is about to go out on one network: the text as the network carries it
    (with the link inside when the network puts it there), the media, the title."""

    text: str
    media: list[MediaInfo] = field(default_factory=list)
    title: str | None = None
    hashtag_limit: int | None = None  # None: the installation's setting


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "duración desconocida"
    minutes, secs = divmod(round(seconds), 60)
    if not minutes:
        return f"{seconds:.1f} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def videos(media: list[MediaInfo]) -> list[tuple[int, MediaInfo]]:
    return [(n, m) for n, m in enumerate(media, start=1) if m.is_video]


def single_video(network: str, media: list[MediaInfo]) -> list[str]:
    """Facebook and X: one video per post, and then nothing else."""
    if videos(media) and len(media) > 1:
        return [f"{network}: un video va solo, sin otras imágenes ni videos; hay {len(media)}."]
    return []


def hashtags(text: str) -> list[str]:
    return HASHTAG.findall(text)


def alt_text_messages(media: list[MediaInfo]) -> list[str]:
    """Every image needs a description for people using screen readers."""
    return [
        f"La imagen {number} no tiene texto alternativo (descripción para lectores de pantalla)."
        for number, item in enumerate(media, start=1)
        if item.mime_type.startswith("image/") and not item.alt_text.strip()
    ]


def mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def utf16_units(text: str) -> int:
    """Length as networks written in JavaScript or Java count it (Telegram, TikTok):
    UTF-16 code units, two for a character outside the Basic Multilingual Plane."""
    return len(text.encode("utf-16-le")) // 2


def utf16_cut(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-16 units, never half a character."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text
