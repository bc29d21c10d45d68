"""What the portal (WordPress) needs: a title (given, or the text's first line, at most
200 characters) and a body."""

from pregon.publishing.channels.limits import Draft

MAX_TITLE = 200


def portal_title(text: str, title: str | None) -> str:
    """The portal's title: the one given, or the text's first line (what the connector sends)."""
    if title is not None and title.strip():
        return title.strip()
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line[:MAX_TITLE]


def check(draft: Draft) -> list[str]:
    text, title = draft.text, draft.title
    messages = []
    if not portal_title(text, title):
        messages.append("El portal: la nota necesita un título.")
    elif title and len(title) > MAX_TITLE:
        messages.append(f"El portal: el título mide {len(title)} caracteres; el máximo es 200.")
    if not text.strip():
        messages.append("El portal: el texto de la nota está vacío.")
    return messages
