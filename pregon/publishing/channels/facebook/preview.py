"""How a Facebook Page shows a post: the text folded behind «Ver más» after five lines
or 480 characters, a grid of up to five photos, a link card only without photos."""

from pregon.publishing.channels.facebook.limits import MAX_TEXT
from pregon.publishing.channels.preview import Preview, Sketch, cut, link_parts

FOLD_CHARS = 480
FOLD_LINES = 5
GRID_SHOWN = 5


def fold(text: str) -> tuple[str, bool]:
    """The text Facebook shows before «Ver más», cut at a word, and whether it cuts."""
    lines = text.split("\n")
    if len(text) <= FOLD_CHARS and len(lines) <= FOLD_LINES:
        return text, False
    return cut("\n".join(lines[:FOLD_LINES]), FOLD_CHARS), True


def build(s: Sketch) -> Preview:
    shown, folded = fold(s.text)
    preview = Preview(s.kind, text=shown, folded=folded)
    preview.grid = min(s.media_count, GRID_SHOWN)
    preview.grid_more = max(s.media_count - GRID_SHOWN, 0)
    # Facebook draws a link card only when the post has no photos or video.
    if s.link and not s.has_media:
        preview.link_domain, preview.link_label = link_parts(s.link)
    preview.counter = f"{len(s.text):,} de {MAX_TEXT:,} caracteres"
    return preview
