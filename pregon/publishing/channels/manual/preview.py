"""The manual package: the copy-ready text a person pastes where it goes."""

from pregon.publishing.channels.preview import Preview, Sketch


def package_text(text: str, link: str) -> str:
    """The copy-ready text of the manual package: the text, a blank line, the link."""
    return f"{text}\n\n{link}" if link else text


def build(s: Sketch) -> Preview:
    return Preview(s.kind, text=package_text(s.text, s.link))
