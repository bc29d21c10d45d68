"""Server-side SVG charts: plain strings, no JavaScript, so the same drawing serves the
dashboards, printed reports and PDF (WeasyPrint renders inline SVG).

Every chart carries <title> and <desc> for screen readers and Spanish labels."""

from collections.abc import Sequence
from datetime import date
from html import escape

WIDTH, HEIGHT = 720, 280
PAD_L, PAD_R, PAD_T, PAD_B = 64, 16, 20, 48
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
COLORS = ["#7a1f3d", "#1f5f7a", "#3d7a1f", "#a8641a", "#5b3d7a"]


def number(value: float) -> str:
    """es-MX format: comma for thousands, point for decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // step) + 1) * step


def _frame(title: str, desc: str, body: list[str], width: int = WIDTH, height: int = HEIGHT):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _y_axis(top: float, bottom: float, lo: float, hi: float, width: int) -> list[str]:
    parts = []
    for i in range(5):
        value = lo + (hi - lo) * i / 4
        y = bottom - (bottom - top) * i / 4
        parts.append(
            f'<line x1="{PAD_L}" x2="{width - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{number(value)}</text>"
        )
    return parts


def line_chart(
    series: dict[str, Sequence[tuple[date, float]]],
    *,
    title: str,
    baseline: float | None = None,
    baseline_label: str = "Línea base",
) -> str:
    """Lines over dates, with an optional horizontal baseline."""
    points = [p for values in series.values() for p in values]
    if not points:
        return _frame(title, "Sin datos en el periodo.", [_empty()])
    days = sorted({p[0] for p in points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    values = [p[1] for p in points] + ([baseline] if baseline is not None else [])
    lo = min(0, min(values))
    hi = _nice_max(max(values))
    bottom, top = HEIGHT - PAD_B, PAD_T

    def xy(day: date, value: float) -> tuple[float, float]:
        x = PAD_L + (WIDTH - PAD_L - PAD_R) * (day - first).days / span
        y = bottom - (bottom - top) * (value - lo) / (hi - lo)
        return x, y

    body = _y_axis(top, bottom, lo, hi, WIDTH) + _month_ticks(first, last, xy, bottom)
    if baseline is not None:
        _, y = xy(first, baseline)
        body.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#444" stroke-dasharray="6 4"/><text x="{WIDTH - PAD_R}" '
            f'y="{y - 4:.1f}" text-anchor="end">{escape(baseline_label)}: {number(baseline)}'
            "</text>"
        )
    for i, (name, values) in enumerate(series.items()):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(dd, v) for dd, v in values))
        color = COLORS[i % len(COLORS)]
        body.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}">'
            f"<title>{escape(name)}</title></polyline>"
        )
        body.append(_legend(i, name, color))
    desc = "; ".join(
        f"{name}: de {number(v[0][1])} a {number(v[-1][1])}" for name, v in series.items() if v
    )
    return _frame(title, desc, body)


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    band: tuple[float, float] | None = None,
    band_label: str = "Rango esperado",
) -> str:
    """Vertical bars with labels under them and an optional shaded reference band."""
    if not bars:
        return _frame(title, "Sin datos en el periodo.", [_empty()])
    hi = _nice_max(max([v for _, v in bars] + ([band[1]] if band else [])))
    bottom, top = HEIGHT - PAD_B, PAD_T
    slot = (WIDTH - PAD_L - PAD_R) / len(bars)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / hi

    body = _y_axis(top, bottom, 0, hi, WIDTH)
    if band:
        body.append(
            f'<rect x="{PAD_L}" y="{y(band[1]):.1f}" width="{WIDTH - PAD_L - PAD_R}" '
            f'height="{y(band[0]) - y(band[1]):.1f}" fill="#3d7a1f" fill-opacity="0.12"/>'
            f'<text x="{WIDTH - PAD_R}" y="{y(band[1]) - 4:.1f}" text-anchor="end">'
            f"{escape(band_label)}: {number(band[0])}–{number(band[1])}</text>"
        )
    every = max(1, len(bars) // 24)
    for i, (label, value) in enumerate(bars):
        x = PAD_L + slot * i + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bottom - y(value):.1f}" fill="{COLORS[0]}"><title>{escape(label)}: '
            f"{number(value)}</title></rect>"
        )
        if i % every == 0:
            body.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{bottom + 16}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    desc = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    return _frame(title, desc, body)


def hbar_chart(bars: Sequence[tuple[str, float]], *, title: str) -> str:
    """Horizontal bars for named categories (purposes, pages)."""
    if not bars:
        return _frame(title, "Sin datos en el periodo.", [_empty()])
    row, label_w = 26, 260
    height = PAD_T + row * len(bars) + 10
    hi = max(v for _, v in bars) or 1
    body = []
    for i, (label, value) in enumerate(bars):
        y = PAD_T + row * i
        w = (WIDTH - label_w - 90) * value / hi
        short = label if len(label) <= 40 else label[:39] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{COLORS[1]}"><title>{escape(label)}: {number(value)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{number(value)}</text>'
        )
    desc = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    return _frame(title, desc, body, height=height)


def _month_ticks(first: date, last: date, xy, bottom: float) -> list[str]:
    parts, day = [], first.replace(day=1)
    while day <= last:
        if day >= first:
            x, _ = xy(day, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                f"{MONTHS[day.month - 1]} {day.year % 100:02d}</text>"
            )
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return parts


def _legend(i: int, name: str, color: str) -> str:
    x = PAD_L + 10 + i * 220
    return (
        f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="12" fill="{color}"/>'
        f'<text x="{x + 16}" y="{HEIGHT - 8}">{escape(name[:32])}</text>'
    )


def _empty() -> str:
    return f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">Sin datos</text>'
