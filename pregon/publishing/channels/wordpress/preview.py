"""How the portal shows a note: its title, the featured image and the lead."""

from pregon.publishing.channels.preview import Preview, Sketch, cut
from pregon.publishing.channels.wordpress.limits import portal_title

LEAD_CHARS = 300


def lead(text: str, title: str) -> str:
    """The portal's lead: the first paragraph that is not the title itself."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    first = paragraphs[0] if paragraphs else ""
    if len(first) > LEAD_CHARS:
        return cut(first, LEAD_CHARS) + "…"
    return first


def build(s: Sketch) -> Preview:
    heading = portal_title(s.text, s.title)
    preview = Preview(s.kind, title=heading, lead=lead(s.text, heading))
    preview.counter = f"{len(s.text.split()):,} palabras"
    return preview
