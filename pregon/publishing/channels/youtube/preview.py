"""How YouTube shows a video: the player (16:9), the title under it (the
publication's title or the text's first line, 100 characters at most) and the
description folded after three lines, with the link inside it."""

from pregon.publishing.channels.network import link_appended
from pregon.publishing.channels.preview import Preview, Sketch
from pregon.publishing.channels.youtube.limits import MAX_DESCRIPTION_BYTES, title_of

FOLD_LINES = 3


def build(s: Sketch) -> Preview:
    description = link_appended(s.text, s.link)
    lines = description.strip().splitlines()
    folded = len(lines) > FOLD_LINES
    shown = "\n".join(lines[:FOLD_LINES])
    preview = Preview(s.kind, text=shown.rstrip(" ,.;:") if folded else shown, folded=folded)
    preview.title = title_of(s.title, s.text)
    preview.ratio = 16 / 9
    size = len(description.encode("utf-8"))
    preview.counter = f"{size:,} de {MAX_DESCRIPTION_BYTES:,} bytes de descripción"
    return preview
