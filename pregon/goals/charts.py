"""SVG bars against a target line (quarterly progress, monthly publications). Plain
strings like analytics.charts, so the dashboard and the PDF share the drawing."""

from collections.abc import Sequence
from html import escape

from pregon.analytics.charts import COLORS, LEGEND_ROW, legend_entries, number
from pregon.core.svgtext import svg_label

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 40


def target_bars(bars: Sequence[tuple[str, float]], *, target: float | None, title: str) -> str:
    """Bars (green when at or above the target, red below) and a dashed target line."""
    values = [v for _, v in bars] + ([target] if target else [])
    hi = max(values + [1]) * 1.15
    base, slot = HEIGHT - BOTTOM, (WIDTH - LEFT - RIGHT) / max(len(bars), 1)

    def y(value: float) -> float:
        return base - (base - TOP) * value / hi

    body = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#999"/>']
    for i, (label, value) in enumerate(bars):
        x = LEFT + slot * i + slot * 0.2
        ok = target is None or value >= target
        color = COLORS[2] if ok else COLORS[0]
        body.append(
            f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.6:.1f}" '
            f'height="{base - y(value):.1f}" fill="{color}"><title>{escape(label)}: '
            f"{number(value)}</title></rect>"
            f'<text x="{x + slot * 0.3:.1f}" y="{y(value) - 4:.1f}" text-anchor="middle">'
            f"{number(value)}</text>"
            + svg_label(x + slot * 0.3, base + 16, label, room=slot - 4, anchor="middle")
        )
    height = HEIGHT
    if target:
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#222" stroke-dasharray="6 4"/>'
        )
        legend, rows = legend_entries([(f"Meta: {number(target)}", "#222", "dash")], HEIGHT - 4)
        body += legend
        height += rows * LEGEND_ROW
    desc = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    if target:
        desc += f". Meta: {number(target)}."
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="chart" font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
        f"<desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )
