"""Telegram's text, one rule for the limits, the preview and the connector.

- The post's link goes on the text's last line (Telegram has no link field), unless the
  text already holds it (`with_link`, the network's `text_with_link`).
- We send parse_mode=HTML: our text is escaped (<, > and & become entities, as the Bot
  API asks) and every address becomes an <a href> (`to_html`), so nothing a person
  writes can break the message's markup.
- Telegram measures a message *after* parsing its entities, in UTF-16 code units:
  `<a href="https://x.mx">https://x.mx</a>` counts 12, `&amp;` counts 1, an emoji
  outside the Basic Multilingual Plane counts 2. Since our HTML shows exactly our plain
  text, the length Telegram counts is `length(plain text)` (`length`), never the
  length of the markup we send.
"""

import html
import re

from pregon.publishing.channels.limits import utf16_cut, utf16_units

# An address up to a space or a character that cannot end it (closing punctuation).
URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\"'.,;:!?)\]»”]")


def with_link(text: str, link: str) -> str:
    text = text.strip()
    if link and link not in text:
        return f"{text}\n{link}".strip()
    return text


def to_html(text: str) -> str:
    """Our plain text as Telegram HTML: escaped, each address an inline link."""
    parts, last = [], 0
    for match in URL.finditer(text):
        parts.append(html.escape(text[last : match.start()], quote=False))
        url = match.group()
        parts.append(f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
        last = match.end()
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts)


def length(text: str) -> int:
    """What Telegram counts: UTF-16 code units of the visible text, without the
    spaces and line breaks it trims at both ends."""
    return utf16_units(text.strip())


def split(text: str, limit: int) -> tuple[str, str]:
    """(the part within `limit` UTF-16 units, the part past it)."""
    head = utf16_cut(text, limit)
    return head, text[len(head) :]
