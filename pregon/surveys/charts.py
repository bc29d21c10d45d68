"""Server-side SVG bar charts: no JavaScript, readable by screen readers (the
figure has a text alternative and the same numbers are in a table next to it).
Long option labels wrap onto up to three lines; beyond that they end in «…» and
the whole label is in the bar's <title>."""

from django.utils.html import escape

from pregon.core.spanish import format_number
from pregon.core.svgtext import line_count, svg_label

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 210
BAR_WIDTH = 300
FONT = 13
LINE = round(FONT * 1.2, 1)


def _row_height(label: str) -> float:
    lines = line_count(label, LABEL_WIDTH - 10, size=FONT, max_lines=3)
    return max(BAR_HEIGHT, lines * LINE + 6)


def bars(question: dict) -> str:
    """An SVG of horizontal bars, one per option, with the percentage written out."""
    options = question["options"]
    if not options:
        return ""
    heights = [_row_height(o["label"]) for o in options]
    height = sum(heights) + GAP * len(options)
    width = LABEL_WIDTH + BAR_WIDTH + 70
    summary = "; ".join(f"{o['label']}: {format_number(o['percent'], 1)} %" for o in options)
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'aria-label="{escape(question["text"])}. {escape(summary)}" '
        'xmlns="http://www.w3.org/2000/svg" class="survey-bars survey-chart">'
    ]
    y = 0.0
    for option, row in zip(options, heights, strict=True):
        length = BAR_WIDTH * option["percent"] / 100
        lines = line_count(option["label"], LABEL_WIDTH - 10, size=FONT, max_lines=3)
        first_baseline = y + (row - lines * LINE) / 2 + FONT - 1
        bar_y = y + (row - BAR_HEIGHT) / 2
        percent = format_number(option["percent"], 1)
        parts.append(
            svg_label(
                LABEL_WIDTH - 6,
                first_baseline,
                option["label"],
                room=LABEL_WIDTH - 10,
                size=FONT,
                max_lines=3,
                anchor="end",
            )
            + f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" fill="#7a1f3d"><title>{escape(option["label"])}: '
            f"{percent} %</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{bar_y + 16:.1f}" font-size="{FONT}">'
            f"{percent} %</text>"
        )
        y += row + GAP
    parts.append("</svg>")
    return "".join(parts)
