"""Server-side SVG bar charts: no JavaScript, readable by screen readers (the
figure has a text alternative and the same numbers are in a table next to it)."""

from django.utils.html import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
BAR_WIDTH = 300


def bars(question: dict) -> str:
    """An SVG of horizontal bars, one per option, with the percentage written out."""
    options = question["options"]
    if not options:
        return ""
    height = len(options) * (BAR_HEIGHT + GAP)
    width = LABEL_WIDTH + BAR_WIDTH + 70
    summary = "; ".join(f"{o['label']}: {o['percent']:.1f} %" for o in options)
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'class="survey-chart" aria-label="{escape(question["text"])}. {escape(summary)}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, option in enumerate(options):
        y = i * (BAR_HEIGHT + GAP)
        length = BAR_WIDTH * option["percent"] / 100
        label = escape(option["label"][:32])
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{label}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            'fill="#7a1f3d"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}" font-size="13">'
            f"{option['percent']:.1f} %</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
