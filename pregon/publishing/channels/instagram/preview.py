"""How Instagram shows a post: the first item at its ratio kept within 4:5–1.91:1, the
caption's first line (at most 125 characters), then «más»."""

from pregon.publishing.channels.instagram.limits import MAX_CAPTION, MAX_RATIO, MIN_RATIO
from pregon.publishing.channels.limits import hashtags
from pregon.publishing.channels.preview import Preview, Sketch, cut, ratio_label

FOLD_CHARS = 125


def fold(text: str) -> tuple[str, bool]:
    """The caption's first line (at most 125 characters) and whether «más» follows."""
    stripped = text.strip()
    first = stripped.split("\n", 1)[0]
    if len(first) > FOLD_CHARS:
        return cut(first, FOLD_CHARS), True
    if first != stripped:
        return first.rstrip(" ,.;:"), True
    return first, False


def ratio(width: int, height: int) -> float:
    """Instagram draws the first item of a post at its own ratio kept within 4:5–1.91:1
    (a carousel uses the first item's ratio for all)."""
    if not (width and height):
        return 1.0
    return min(max(width / height, MIN_RATIO), MAX_RATIO)


def build(s: Sketch) -> Preview:
    shown, folded = fold(s.text)
    preview = Preview(s.kind, text=shown, folded=folded)
    preview.ratio = ratio(*s.first_size)
    preview.extra["height"] = round(1000 / preview.ratio)
    preview.extra["ratio_label"] = ratio_label(preview.ratio)
    preview.counter = f"{len(s.text):,} de {MAX_CAPTION:,} caracteres"
    preview.extra["hashtags"] = len(hashtags(s.text))
    return preview
