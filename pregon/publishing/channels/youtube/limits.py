"""What YouTube accepts: one video (required), at most one image beside it (the
thumbnail, JPEG or PNG up to 2 MiB), a title of up to 100 characters (the
publication's title, or the text's first line) and a description (the text with the
link, network.link_appended) of up to 5,000 bytes, neither with «<» or «>»."""

from pregon.publishing.channels.limits import Draft, MediaInfo, hashtags, mib, videos
from pregon.publishing.channels.preview import cut

MAX_TITLE = 100
MAX_DESCRIPTION_BYTES = 5_000
MAX_TAGS_CHARS = 500
MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024
THUMBNAIL_TYPES = ("image/jpeg", "image/png")
FORBIDDEN = ("<", ">")


def title_of(title: str | None, text: str) -> str:
    """The video's title: the publication's title, else the text's first line, cut to
    100 characters at a word, without the angle brackets YouTube refuses."""
    chosen = (title or "").strip()
    if not chosen:
        chosen = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(chosen) > MAX_TITLE:  # approval does not see the title: never send a refusal
        chosen = cut(chosen, MAX_TITLE)
    return chosen.replace("<", "‹").replace(">", "›")


def tags_of(text: str, reference: str = "") -> list[str]:
    """The hashtags as tags (without «#»), and Pregón's mark for its own video, within
    YouTube's 500 characters for all tags."""
    found = list(dict.fromkeys(tag.lstrip("#＃") for tag in hashtags(text)))
    tags = [reference] if reference else []
    for tag in found:
        if sum(len(t) + 1 for t in (*tags, tag)) <= MAX_TAGS_CHARS:
            tags.append(tag)
    return tags


def check(draft: Draft) -> list[str]:
    text, media = draft.text, draft.media
    messages = []
    title = (draft.title or "").strip()
    if len(title) > MAX_TITLE:
        messages.append(
            f"YouTube: el título mide {len(title)} caracteres; el máximo es {MAX_TITLE}."
        )
    if not title_of(draft.title, text):
        messages.append("YouTube: el video necesita un título (escriba un texto o un título).")
    size = len(text.encode("utf-8"))
    if size > MAX_DESCRIPTION_BYTES:
        messages.append(
            f"YouTube: la descripción (texto y enlace) mide {size:,} bytes; el máximo es "
            f"{MAX_DESCRIPTION_BYTES:,} (las letras con acento y los emoji cuentan más de uno)."
        )
    for where, value in (("título", title), ("texto", text)):
        if any(sign in value for sign in FORBIDDEN):
            messages.append(f"YouTube: el {where} no puede llevar «<» ni «>»; quítelos.")
    messages.extend(_media(media))
    return messages


def _media(media: list[MediaInfo]) -> list[str]:
    clips = videos(media)
    images = [(n, m) for n, m in enumerate(media, start=1) if not m.is_video]
    if not clips:
        return ["YouTube: necesita un video; agregue uno a la publicación."]
    messages = []
    if len(clips) > 1:
        messages.append(f"YouTube: publica un video a la vez; hay {len(clips)}.")
    if len(images) > 1:
        messages.append(
            "YouTube: además del video admite una sola imagen, que será la miniatura; "
            f"hay {len(images)}."
        )
    for number, image in images[:1]:
        if image.mime_type not in THUMBNAIL_TYPES:
            messages.append(f"YouTube: la miniatura (imagen {number}) debe ser JPEG o PNG.")
        if image.size_bytes > MAX_THUMBNAIL_BYTES:
            messages.append(
                f"YouTube: la miniatura (imagen {number}) pesa {mib(image.size_bytes)}; "
                "el máximo es 2 MiB."
            )
    return messages
