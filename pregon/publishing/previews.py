"""How a post will look on each network, as plain values for the composer's previews.

What a network *accepts* lives in its limits, how it *shows* a post in its preview
(channels/<network>/preview.py and preview.html); this module picks the network's.
"""

from pregon.publishing.channels.preview import Preview, Sketch, plain
from pregon.publishing.channels.registry import networks

__all__ = ["Preview", "build"]


def build(kind: str, *, text: str, link: str, title: str, first_size: tuple[int, int],
          media_count: int, has_media: bool) -> Preview:  # fmt: skip
    """The preview values of one network for a variant's text, link and media."""
    sketch = Sketch(kind, text, link, title, first_size, media_count, has_media)
    network = networks().get(kind)
    if network is None:
        return plain(sketch)
    preview = network.preview(sketch)
    preview.template = network.preview_template
    return preview
