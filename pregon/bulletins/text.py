"""Spanish dates and safe rich text, without depending on the system locale."""

from datetime import date
from html import unescape

import nh3
from django.conf import settings

from pregon.core.spanish import spanish_date

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h2", "h3"}
ALLOWED_TAGS |= {"blockquote"}


def dateline(day: date, place: str | None = None) -> str:
    """ "Chapultepec, Estado de México, 5 de agosto de 2023.-" """
    return f"{place or settings.PREGON_MUNICIPALITY}, {spanish_date(day)}.-"


def clean_body(html: str) -> str:
    """Keep paragraphs, emphasis, lists and links; drop scripts, styles and handlers."""
    return nh3.clean(
        html or "",
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
