"""The values a network's preview draws, and the helpers several previews share.

How a network *shows* a post (where it folds the text, the ratio it crops to) lives
in its package (channels/<network>/preview.py, drawn by preview.html beside it).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Sketch:
    """What a preview is drawn from: the variant's text, link, title and media shape."""

    kind: str
    text: str
    link: str = ""
    title: str = ""
    first_size: tuple[int, int] = (0, 0)
    media_count: int = 0
    has_media: bool = False


@dataclass
class Preview:
    """What one network's preview draws. `text` is shown in full unless `folded`
    (then `text` is the visible part and the rest hides behind «Ver más» / «más»)."""

    kind: str
    text: str = ""
    folded: bool = False
    overflow: str = ""  # the part past the network's length limit
    counter: str = ""
    ratio: float = 1.0  # width / height the network crops to
    title: str = ""
    lead: str = ""
    link_domain: str = ""
    link_label: str = ""
    grid: int = 0  # images drawn in the grid
    grid_more: int = 0  # images beyond those drawn ("+3")
    extra: dict = field(default_factory=dict)
    template: str = ""  # the network's preview.html, set by previews.build


def plain(sketch: Sketch) -> Preview:
    """The text as it is: a network that draws nothing of its own."""
    return Preview(sketch.kind, text=sketch.text)


def link_parts(link: str) -> tuple[str, str]:
    """(domain, label) of a link card: «CHAPULTEPEC.GOB.MX» and the path shown."""
    if not link:
        return "", ""
    parts = urlsplit(link)
    domain = parts.hostname or link
    domain = domain.removeprefix("www.")
    return domain.upper(), (parts.path.strip("/") or domain).replace("-", " ")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, not ending in the middle of a word."""
    if len(text) <= limit:
        return text.rstrip(" ,.;:\n")
    cut = text[:limit]
    if not text[limit].isspace() and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:")


def ratio_label(ratio: float) -> str:
    """«4:5», «1:1», «1.91:1» or «1.50:1»: how people name a crop."""
    named = {0.8: "4:5", 1.0: "1:1", 1.91: "1.91:1"}
    for value, label in named.items():
        if abs(ratio - value) < 0.005:
            return label
    return f"{ratio:.2f}:1"
