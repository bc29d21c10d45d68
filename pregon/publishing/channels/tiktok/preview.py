"""How TikTok shows a post: a vertical 9:16 card, the caption over the foot of the
video folded after its first line (TikTok's «más»), the count in UTF-16 units."""

from pregon.publishing.channels.limits import utf16_units
from pregon.publishing.channels.preview import Preview, Sketch, cut
from pregon.publishing.channels.tiktok.limits import MAX_CAPTION

FOLD = 80  # characters TikTok shows over the video before «más»


def build(s: Sketch) -> Preview:
    text = s.text
    first = text.split("\n", 1)[0]
    folded = len(first) > FOLD or "\n" in text.strip()
    preview = Preview(s.kind, text=cut(first, FOLD) if folded else text, folded=folded)
    preview.ratio = 9 / 16
    preview.grid = min(s.media_count, 35)
    length = utf16_units(text)
    preview.counter = f"{length} de {MAX_CAPTION} caracteres"
    if length > MAX_CAPTION:
        preview.overflow = "El texto pasa del máximo de TikTok."
    return preview
