"""How a channel post looks in Telegram: a message bubble with the photos on top (an
album in a grid), the text with the link on its last line, what passes the limit
(4,096, or 1,024 as a caption) marked, and a preview card of the link under text alone."""

from pregon.publishing.channels.preview import Preview, Sketch, link_parts
from pregon.publishing.channels.telegram import limits
from pregon.publishing.channels.telegram import text as tg_text

GRID_SHOWN = 10


def build(s: Sketch) -> Preview:
    full = tg_text.with_link(s.text, s.link)
    most = limits.limit(s.has_media)
    within, over = tg_text.split(full, most)
    preview = Preview(s.kind, text=within, overflow=over, grid=min(s.media_count, GRID_SHOWN))
    if s.link and not s.has_media:
        preview.link_domain, preview.link_label = link_parts(s.link)
    what = "como pie de foto" if s.has_media else "de texto"
    preview.counter = f"{tg_text.length(full):,} de {most:,} caracteres {what}"
    return preview
