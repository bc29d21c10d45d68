"""How X shows a post: the text with the link inside, what passes 280 weighted
characters marked, the link shortened, a grid of up to four images."""

from pregon.publishing import twitter_text
from pregon.publishing.channels.network import link_appended
from pregon.publishing.channels.preview import Preview, Sketch, link_parts

DISPLAY_URL_CHARS = 23
GRID_SHOWN = 4


def split(text: str) -> tuple[str, str, int]:
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


def short_url(link: str) -> str:
    """X shows a link without its scheme, cut to 23 characters with an ellipsis."""
    bare = link.split("://", 1)[-1]
    return bare if len(bare) <= DISPLAY_URL_CHARS else bare[: DISPLAY_URL_CHARS - 1] + "…"


def build(s: Sketch) -> Preview:
    within, over, weighted = split(link_appended(s.text, s.link))
    preview = Preview(s.kind, text=within, overflow=over, grid=min(s.media_count, GRID_SHOWN))
    if s.link and within.endswith(s.link) and not over:
        preview.text = within[: -len(s.link)] + short_url(s.link)
    if s.link and not s.has_media:
        preview.link_domain, preview.link_label = link_parts(s.link)
    preview.counter = f"{weighted} de 280 caracteres ponderados"
    return preview
