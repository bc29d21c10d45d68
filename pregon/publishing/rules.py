"""What each network accepts, checked while writing and again before approval.

Plain values in, Spanish messages out: the form shows them live, the approval
service refuses while any remain. The limits are the networks' documented ones.
"""

import re
from dataclasses import dataclass

from django.conf import settings

from pregon.publishing import twitter_text

MIB = 1024 * 1024
X_MAX_IMAGES = 4
X_MAX_IMAGE_BYTES = 5 * MIB
FACEBOOK_MAX_TEXT = 63_206
FACEBOOK_MAX_PHOTOS = 10
INSTAGRAM_MAX_CAPTION = 2_200
INSTAGRAM_MAX_BYTES = 8 * MIB
INSTAGRAM_MIN_RATIO = 4 / 5
INSTAGRAM_MAX_RATIO = 1.91
INSTAGRAM_CAROUSEL = (2, 10)
WORDPRESS_MAX_TITLE = 200
# Videos (MP4, sent as the archive's public copy).
X_MAX_VIDEO_BYTES = 512 * MIB
X_VIDEO_SECONDS = (0.5, 140)
INSTAGRAM_REEL_SECONDS = (3, 15 * 60)
INSTAGRAM_CAROUSEL_VIDEO_SECONDS = 60
INSTAGRAM_MAX_VIDEO_BYTES = 300 * MIB
FACEBOOK_MAX_VIDEO_BYTES = 1024 * MIB  # a single (non-resumable) upload

# A hashtag: "#" after a non-word character, then letters/digits/_ with at least one letter.
HASHTAG = re.compile(r"(?<![\w&])[#＃](?=\w*[^\W\d_])\w+")

NETWORK_NAMES = {
    "facebook_page": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "wordpress": "El portal",
    "manual": "Manual",
}


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


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "duración desconocida"
    minutes, secs = divmod(round(seconds), 60)
    if not minutes:
        return f"{seconds:.1f} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _videos(media: list[MediaInfo]) -> list[tuple[int, MediaInfo]]:
    return [(n, m) for n, m in enumerate(media, start=1) if m.is_video]


def _single_video(network: str, media: list[MediaInfo]) -> list[str]:
    """Facebook and X: one video per post, and then nothing else."""
    videos = _videos(media)
    if videos and len(media) > 1:
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


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def _x(text: str, media: list[MediaInfo]) -> list[str]:
    messages = []
    parsed = twitter_text.parse_tweet(text)
    if not text.strip() and not media:
        messages.append("X: el texto está vacío y no hay imágenes.")
    elif parsed.weighted_length > 280:
        messages.append(
            f"X: el texto mide {parsed.weighted_length} caracteres ponderados; el máximo es 280 "
            "(los enlaces cuentan 23 y los emoji y caracteres asiáticos cuentan 2)."
        )
    elif not parsed.valid and text.strip():
        messages.append("X: el texto contiene caracteres no permitidos (U+FFFE, U+FEFF o U+FFFF).")
    messages.extend(_single_video("X", media))
    if len(media) > X_MAX_IMAGES and not _videos(media):
        messages.append(f"X: admite hasta {X_MAX_IMAGES} imágenes; hay {len(media)}.")
    for number, item in enumerate(media, start=1):
        if item.is_video:
            low, high = X_VIDEO_SECONDS
            if item.duration is None or not low <= item.duration <= high:
                messages.append(
                    f"X: el video {number} dura {_duration(item.duration)}; "
                    f"debe durar de {low} a {high} segundos."
                )
            if item.size_bytes > X_MAX_VIDEO_BYTES:
                messages.append(
                    f"X: el video {number} pesa {_mib(item.size_bytes)}; el máximo es 512 MiB."
                )
        elif item.size_bytes > X_MAX_IMAGE_BYTES:
            messages.append(
                f"X: la imagen {number} pesa {_mib(item.size_bytes)}; el máximo es 5 MiB."
            )
    return messages


def _instagram_video(number: int, item: MediaInfo, in_carousel: bool) -> list[str]:
    messages = []
    low, high = INSTAGRAM_REEL_SECONDS
    if in_carousel:
        high = INSTAGRAM_CAROUSEL_VIDEO_SECONDS
    if item.duration is None or not low <= item.duration <= high:
        where = "en un carrusel" if in_carousel else "como reel"
        messages.append(
            f"Instagram: el video {number} dura {_duration(item.duration)}; {where} debe durar "
            f"de {low} s a {_duration(high)}."
        )
    if item.size_bytes > INSTAGRAM_MAX_VIDEO_BYTES:
        messages.append(
            f"Instagram: el video {number} pesa {_mib(item.size_bytes)}; el máximo es 300 MiB."
        )
    return messages


def _instagram_image(number: int, item: MediaInfo) -> list[str]:
    messages = []
    if item.mime_type != "image/jpeg":
        messages.append(f"Instagram: la imagen {number} es {item.mime_type}; debe ser JPEG.")
    if item.size_bytes > INSTAGRAM_MAX_BYTES:
        messages.append(
            f"Instagram: la imagen {number} pesa {_mib(item.size_bytes)}; el máximo es 8 MiB."
        )
    ratio = item.width / item.height if item.height else 0
    if not INSTAGRAM_MIN_RATIO <= ratio <= INSTAGRAM_MAX_RATIO:
        messages.append(
            f"Instagram: la imagen {number} mide {item.width}×{item.height} px "
            f"(proporción {ratio:.2f}:1); debe estar entre 4:5 (0.80:1) y 1.91:1."
        )
    return messages


def _instagram(text: str, media: list[MediaInfo], hashtag_limit: int) -> list[str]:
    messages = []
    if not media:
        messages.append("Instagram: necesita al menos una imagen o un video.")
    elif len(media) > 1 and not INSTAGRAM_CAROUSEL[0] <= len(media) <= INSTAGRAM_CAROUSEL[1]:
        messages.append(f"Instagram: un carrusel lleva de 2 a 10 imágenes; hay {len(media)}.")
    if len(text) > INSTAGRAM_MAX_CAPTION:
        messages.append(
            f"Instagram: el texto mide {len(text)} caracteres; "
            f"el máximo es {INSTAGRAM_MAX_CAPTION}."
        )
    tags = hashtags(text)
    if len(tags) > hashtag_limit:
        messages.append(
            f"Instagram: el texto lleva {len(tags)} hashtags; "
            f"el máximo configurado es {hashtag_limit}."
        )
    for number, item in enumerate(media, start=1):
        if item.is_video:
            messages.extend(_instagram_video(number, item, in_carousel=len(media) > 1))
        else:
            messages.extend(_instagram_image(number, item))
    return messages


def _facebook(text: str, media: list[MediaInfo]) -> list[str]:
    messages = []
    if not text.strip() and not media:
        messages.append("Facebook: el texto está vacío y no hay imágenes.")
    if len(text) > FACEBOOK_MAX_TEXT:
        messages.append(
            f"Facebook: el texto mide {len(text)} caracteres; el máximo es {FACEBOOK_MAX_TEXT:,}."
        )
    messages.extend(_single_video("Facebook", media))
    if len(media) > FACEBOOK_MAX_PHOTOS and not _videos(media):
        messages.append(f"Facebook: admite hasta {FACEBOOK_MAX_PHOTOS} fotos; hay {len(media)}.")
    for number, item in _videos(media):
        if item.size_bytes > FACEBOOK_MAX_VIDEO_BYTES:
            messages.append(
                f"Facebook: el video {number} pesa {_mib(item.size_bytes)}; el máximo es 1 GiB."
            )
    return messages


def portal_title(text: str, title: str | None) -> str:
    """The portal's title: the one given, or the text's first line (what the connector sends)."""
    if title is not None and title.strip():
        return title.strip()
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line[:WORDPRESS_MAX_TITLE]


def _wordpress(text: str, title: str | None) -> list[str]:
    messages = []
    if not portal_title(text, title):
        messages.append("El portal: la nota necesita un título.")
    elif title and len(title) > WORDPRESS_MAX_TITLE:
        messages.append(f"El portal: el título mide {len(title)} caracteres; el máximo es 200.")
    if not text.strip():
        messages.append("El portal: el texto de la nota está vacío.")
    return messages


def validate_variant(
    kind: str,
    text: str,
    media: list[MediaInfo],
    *,
    hashtag_limit: int | None = None,
    title: str | None = None,
    require_alt_text: bool = True,
) -> list[str]:
    """Spanish messages saying what breaks `kind`'s rules; empty when it can go out.

    hashtag_limit defaults to settings.PREGON_INSTAGRAM_HASHTAG_LIMIT (5).
    """
    if kind == "manual":
        return []
    if hashtag_limit is None:
        hashtag_limit = settings.PREGON_INSTAGRAM_HASHTAG_LIMIT
    checks = {
        "x": lambda: _x(text, media),
        "instagram": lambda: _instagram(text, media, hashtag_limit),
        "facebook_page": lambda: _facebook(text, media),
        "wordpress": lambda: _wordpress(text, title),
    }
    if kind not in checks:
        return [f"Canal desconocido: {kind}."]
    messages = checks[kind]()
    if require_alt_text:
        network = NETWORK_NAMES[kind]
        messages.extend(f"{network}: {message}" for message in alt_text_messages(media))
    return messages
