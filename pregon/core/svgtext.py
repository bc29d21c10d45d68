"""Labels for the server-drawn SVG charts: measured (estimated) so that they fit
the room they have, wrapped onto lines, abbreviated with «…» when they still do
not fit, and then carrying the full text in a <title> (tooltip and screen readers).

The widths are an estimate for the sans-serif fonts browsers and WeasyPrint use,
rounded up so that a label measured as fitting does fit."""

from html import escape

# Average advance of a glyph in em: narrow letters, wide capitals and digits.
_NARROW = set("ijlrtfI.,:;!|'()[] ")
_WIDE = set("mwMWÑ@%—")


def text_width(text: str, size: float = 12) -> float:
    """Estimated width in px of `text` at font size `size`."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.34
        elif char in _WIDE:
            em += 0.9
        elif char.isupper() or char.isdigit():
            em += 0.68
        else:
            em += 0.56
    return em * size


def _cut(word: str, room: float, size: float) -> str:
    while word and text_width(word + "…", size) > room:
        word = word[:-1]
    return word + "…"


def fit_lines(text: str, room: float, *, size: float = 12, max_lines: int = 2) -> list[str]:
    """`text` broken into at most `max_lines` lines no wider than `room`; the last
    line ends in «…» when something was left out."""
    words = text.split()
    lines: list[str] = []
    while words and len(lines) < max_lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= room:
            line = f"{line} {words.pop(0)}"
        if text_width(line, size) > room:  # one word longer than the room
            return [*lines, _cut(line, room, size)]
        lines.append(line)
    if words:
        rest = " ".join(words)
        lines.append(rest if text_width(rest, size) <= room else _cut(rest, room, size))
    return lines


def svg_label(
    x: float,
    y: float,
    text: str,
    *,
    room: float,
    size: float = 12,
    max_lines: int = 2,
    anchor: str = "start",
    extra: str = "",
) -> str:
    """A <text> at (x, y) (baseline of its first line) that fits in `room` px."""
    lines = fit_lines(text, room, size=size, max_lines=max_lines)
    shown = " ".join(lines)
    title = f"<title>{escape(text)}</title>" if shown != " ".join(text.split()) else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else round(size * 1.2, 1)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size:g}"{extra}>'
        f"{title}{spans}</text>"
    )


def line_count(text: str, room: float, *, size: float = 12, max_lines: int = 2) -> int:
    return len(fit_lines(text, room, size=size, max_lines=max_lines))
