"""How a post will look on each network, as plain values for the composer's previews.

What a network *accepts* lives in rules.py; this module only says how it *shows*
what it accepted: where Facebook folds the text behind «Ver más», the ratio
Instagram crops to, the part of a post X counts over 280. It lives beside the rules
rather than in channels/ because the connectors there know the networks' APIs, not
how their feeds draw a post.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pregon.publishing import rules, twitter_text

# Facebook folds a feed post's text after about five lines or 480 characters.
FACEBOOK_FOLD_CHARS = 480
FACEBOOK_FOLD_LINES = 5
FACEBOOK_GRID_SHOWN = 5
# Instagram's feed shows the caption's first line (at most 125 characters), then «más».
INSTAGRAM_FOLD_CHARS = 125
X_DISPLAY_URL_CHARS = 23
X_GRID_SHOWN = 4
PORTAL_LEAD_CHARS = 300


@dataclass
class Preview:
    """What one network's preview draws. `text` is shown in full unless `folded`
    (then `text` is the visible part and the rest hides behind «Ver más» / «más»)."""

    kind: str
    text: str = ""
    folded: bool = False
    overflow: str = ""  # X: the part past 280 weighted characters
    counter: str = ""
    ratio: float = 1.0  # Instagram: width / height it crops to
    title: str = ""
    lead: str = ""
    link_domain: str = ""
    link_label: str = ""
    grid: int = 0  # images drawn in the grid
    grid_more: int = 0  # images beyond those drawn ("+3")
    extra: dict = field(default_factory=dict)


def link_parts(link: str) -> tuple[str, str]:
    """(domain, label) of a link card: «CHAPULTEPEC.GOB.MX» and the path shown."""
    if not link:
        return "", ""
    parts = urlsplit(link)
    domain = parts.hostname or link
    domain = domain.removeprefix("www.")
    return domain.upper(), (parts.path.strip("/") or domain).replace("-", " ")


def facebook_fold(text: str) -> tuple[str, bool]:
    """The text Facebook shows before «Ver más», cut at a word, and whether it cuts."""
    lines = text.split("\n")
    if len(text) <= FACEBOOK_FOLD_CHARS and len(lines) <= FACEBOOK_FOLD_LINES:
        return text, False
    return _cut("\n".join(lines[:FACEBOOK_FOLD_LINES]), FACEBOOK_FOLD_CHARS), True


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, not ending in the middle of a word."""
    if len(text) <= limit:
        return text.rstrip(" ,.;:\n")
    cut = text[:limit]
    if not text[limit].isspace() and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:")


def instagram_fold(text: str) -> tuple[str, bool]:
    """The caption's first line (at most 125 characters) and whether «más» follows."""
    stripped = text.strip()
    first = stripped.split("\n", 1)[0]
    if len(first) > INSTAGRAM_FOLD_CHARS:
        return _cut(first, INSTAGRAM_FOLD_CHARS), True
    if first != stripped:
        return first.rstrip(" ,.;:"), True
    return first, False


def instagram_ratio(width: int, height: int) -> float:
    """Instagram draws the first item of a post at its own ratio kept within 4:5–1.91:1
    (a carousel uses the first item's ratio for all)."""
    if not (width and height):
        return 1.0
    ratio = width / height
    return min(max(ratio, rules.INSTAGRAM_MIN_RATIO), rules.INSTAGRAM_MAX_RATIO)


def x_display_text(text: str, link: str) -> str:
    """What X shows: the text with the link appended (as the connector sends it)."""
    return f"{text} {link}".strip() if link else text


def x_split(text: str) -> tuple[str, str, int]:
    """(the part within 280 weighted characters, the part over, weighted length)."""
    parsed = twitter_text.parse_tweet(text)
    if parsed.weighted_length <= 280:
        return text, "", parsed.weighted_length
    end = _python_index(text, parsed.valid_range[1] + 1)
    return text[:end], text[end:], parsed.weighted_length


def _python_index(text: str, utf16_units: int) -> int:
    """twitter-text counts UTF-16 units; Python strings count code points."""
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_units:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def x_short_url(link: str) -> str:
    """X shows a link without its scheme, cut to 23 characters with an ellipsis."""
    bare = link.split("://", 1)[-1]
    return bare if len(bare) <= X_DISPLAY_URL_CHARS else bare[: X_DISPLAY_URL_CHARS - 1] + "…"


def portal_lead(text: str, title: str) -> str:
    """The portal's lead: the first paragraph that is not the title itself."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    lead = paragraphs[0] if paragraphs else ""
    if len(lead) > PORTAL_LEAD_CHARS:
        return _cut(lead, PORTAL_LEAD_CHARS) + "…"
    return lead


def manual_text(text: str, link: str) -> str:
    """The copy-ready text of the manual package: the text, a blank line, the link."""
    return f"{text}\n\n{link}" if link else text


def build(kind: str, *, text: str, link: str, title: str, first_size: tuple[int, int],
          media_count: int, has_media: bool) -> Preview:  # fmt: skip
    """The preview values of one network for a variant's text, link and media."""
    builders = {
        "facebook_page": lambda: _facebook(text, link, media_count, has_media),
        "instagram": lambda: _instagram(text, first_size),
        "x": lambda: _x(text, link, has_media, media_count),
        "wordpress": lambda: _portal(text, title),
        "manual": lambda: Preview("manual", text=manual_text(text, link)),
    }
    return builders.get(kind, lambda: Preview(kind, text=text))()


def _facebook(text: str, link: str, media_count: int, has_media: bool) -> Preview:
    shown, folded = facebook_fold(text)
    preview = Preview("facebook_page", text=shown, folded=folded)
    preview.grid = min(media_count, FACEBOOK_GRID_SHOWN)
    preview.grid_more = max(media_count - FACEBOOK_GRID_SHOWN, 0)
    # Facebook draws a link card only when the post has no photos or video.
    if link and not has_media:
        preview.link_domain, preview.link_label = link_parts(link)
    preview.counter = f"{len(text):,} de {rules.FACEBOOK_MAX_TEXT:,} caracteres"
    return preview


def _instagram(text: str, first_size: tuple[int, int]) -> Preview:
    shown, folded = instagram_fold(text)
    preview = Preview("instagram", text=shown, folded=folded)
    preview.ratio = instagram_ratio(*first_size)
    preview.extra["height"] = round(1000 / preview.ratio)
    preview.extra["ratio_label"] = ratio_label(preview.ratio)
    preview.counter = f"{len(text):,} de {rules.INSTAGRAM_MAX_CAPTION:,} caracteres"
    preview.extra["hashtags"] = len(rules.hashtags(text))
    return preview


def ratio_label(ratio: float) -> str:
    """«4:5», «1:1», «1.91:1» or «1.50:1»: how people name a crop."""
    named = {0.8: "4:5", 1.0: "1:1", 1.91: "1.91:1"}
    for value, label in named.items():
        if abs(ratio - value) < 0.005:
            return label
    return f"{ratio:.2f}:1"


def _x(text: str, link: str, has_media: bool, media_count: int) -> Preview:
    within, over, weighted = x_split(x_display_text(text, link))
    preview = Preview("x", text=within, overflow=over, grid=min(media_count, X_GRID_SHOWN))
    if link and within.endswith(link) and not over:
        preview.text = within[: -len(link)] + x_short_url(link)
    if link and not has_media:
        preview.link_domain, preview.link_label = link_parts(link)
    preview.counter = f"{weighted} de 280 caracteres ponderados"
    return preview


def _portal(text: str, title: str) -> Preview:
    heading = rules.portal_title(text, title)
    preview = Preview("wordpress", title=heading, lead=portal_lead(text, heading))
    preview.counter = f"{len(text.split()):,} palabras"
    return preview
