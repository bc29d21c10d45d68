"""How Threads shows a post: the whole text with the link inside (what passes 500
Threads characters marked), one image, or a carousel of up to 20 shown as the first
few side by side; a text-only post previews its first link as a card."""

import unicodedata

from pregon.publishing.channels.network import link_appended
from pregon.publishing.channels.preview import Preview, Sketch, link_parts
from pregon.publishing.channels.threads.limits import MAX_CHARS, length, links, within

SHOWN = 2  # carousel items drawn side by side before «+N»


def build(s: Sketch) -> Preview:
    text = unicodedata.normalize("NFC", link_appended(s.text, s.link))  # as within() counts
    end = within(text)
    preview = Preview(s.kind, text=text[:end], overflow=text[end:])
    preview.grid = min(s.media_count, SHOWN)
    preview.grid_more = max(s.media_count - SHOWN, 0)
    found = links(text)
    if found and not s.has_media:  # Threads previews the first link of a text post
        preview.link_domain, preview.link_label = link_parts(found[0])
    preview.counter = f"{length(text)} de {MAX_CHARS} caracteres"
    return preview
