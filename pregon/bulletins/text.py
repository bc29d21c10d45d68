"""Spanish dates and safe rich text, without depending on the system locale."""

import re
from datetime import date
from html import unescape

import nh3
from django.conf import settings

from pregon.archive.search import normalize
from pregon.core.spanish import spanish_date

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h2", "h3"}
ALLOWED_TAGS |= {"blockquote"}


def dateline(day: date, place: str | None = None) -> str:
    """ "Chapultepec, Estado de México, 5 de agosto de 2023.-" """
    return f"{place or settings.PREGON_MUNICIPALITY}, {spanish_date(day)}.-"


_BLOCK_TAG = re.compile(r"<(p|ul|ol|h2|h3|blockquote)[\s>]", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> str:
    """Text typed without markup becomes paragraphs: a blank line starts a new one,
    a single line break stays a line break. Text that has paragraphs is kept."""
    if _BLOCK_TAG.search(text):
        return text
    blocks = [b.strip() for b in _BLANK_LINE.split(text.replace("\r\n", "\n")) if b.strip()]
    return "".join("<p>" + b.replace("\n", "<br>\n") + "</p>\n" for b in blocks)


def clean_body(html: str) -> str:
    """Keep paragraphs, emphasis, lists and links; drop scripts, styles and handlers.
    Plain text keeps its paragraphs (see `paragraphs`)."""
    return nh3.clean(
        paragraphs(html or ""),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """The body as plain text for e-mail and social variants (paragraphs kept)."""
    spaced = (html or "").replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "\n")
    return unescape(nh3.clean(spaced, tags=set())).strip()


def clean_balazos(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def search_text(title: str, balazos: list[str], body: str) -> str:
    """What the press room searches: the archive's Spanish folding (no accents, no
    case, singular and plural alike) of the title, balazos and body."""
    return normalize(" ".join([title, *balazos, plain_text(body)]))


def search_words(query: str) -> list[str]:
    """The words of a press room query, folded like `search_text`."""
    return normalize(query).split()[:8]
