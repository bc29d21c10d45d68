"""Server-side SVG charts: plain strings, no JavaScript, so the same drawing serves the
dashboards, printed reports and PDF (WeasyPrint renders inline SVG).

Every chart carries <title> and <desc> for screen readers and Spanish labels."""

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Protocol

from pregon.core.spanish import format_number
from pregon.core.svgtext import line_count, svg_label, text_width

WIDTH, HEIGHT = 720, 280
PAD_L, PAD_R, PAD_T, PAD_B = 64, 16, 20, 48
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
COLORS = ["#7a1f3d", "#1f5f7a", "#3d7a1f", "#a8641a", "#5b3d7a"]
BAND = "#3d7a1f"
LEGEND_ROW = 18
LEGEND_NAME = 380  # px a legend name may take before it is abbreviated


class HeatCell(Protocol):
    """What the heatmap draws of a cell (analytics.engagement.Figure)."""

    n: int
    mean: float
    low: float | None
    high: float | None

    @property
    def trusted(self) -> bool: ...


def number(value: float) -> str:
    """es-MX format: comma for thousands, point for decimals (one)."""
    return format_number(value, 0 if float(value).is_integer() else 1)


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
    legend = []
    if baseline is not None:
        _, y = xy(first, baseline)
        body.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#444" stroke-dasharray="6 4"/>'
        )
        legend.append((f"{baseline_label}: {number(baseline)}", "#444", "dash"))
    for i, (name, values) in enumerate(series.items()):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(dd, v) for dd, v in values))
        color = COLORS[i % len(COLORS)]
        body.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}">'
            f"<title>{escape(name)}</title></polyline>"
        )
        legend.insert(i, (name, color, "box"))
    parts, rows = legend_entries(legend, HEIGHT - 18)
    desc = "; ".join(
        f"{name}: de {number(v[0][1])} a {number(v[-1][1])}" for name, v in series.items() if v
    )
    return _frame(title, desc, body + parts, height=HEIGHT + (rows - 1) * LEGEND_ROW)


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
    legend = []
    if band:
        body.append(
            f'<rect x="{PAD_L}" y="{y(band[1]):.1f}" width="{WIDTH - PAD_L - PAD_R}" '
            f'height="{y(band[0]) - y(band[1]):.1f}" fill="{BAND}" fill-opacity="0.12"/>'
        )
        legend.append((f"{band_label}: {number(band[0])}–{number(band[1])}", BAND, "band"))
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
                svg_label(
                    x + slot * 0.35, bottom + 16, label, room=slot * every - 4, anchor="middle"
                )
            )
    desc = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    if not legend:
        return _frame(title, desc, body, height=HEIGHT + LEGEND_ROW // 2)
    parts, rows = legend_entries(legend, HEIGHT - 2)
    return _frame(title, desc, body + parts, height=HEIGHT + rows * LEGEND_ROW)


def hbar_chart(bars: Sequence[tuple[str, float]], *, title: str) -> str:
    """Horizontal bars for named categories (purposes, pages)."""
    if not bars:
        return _frame(title, "Sin datos en el periodo.", [_empty()])
    label_w = 260
    lines = max(line_count(label, label_w - 12) for label, _ in bars)
    row = 26 if lines == 1 else 40
    height = PAD_T + row * len(bars) + 10
    hi = max(v for _, v in bars) or 1
    body = []
    for i, (label, value) in enumerate(bars):
        y = PAD_T + row * i
        w = (WIDTH - label_w - 90) * value / hi
        body.append(
            svg_label(label_w - 8, y + 16, label, room=label_w - 12, anchor="end")
            + f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{COLORS[1]}"><title>{escape(label)}: {number(value)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{number(value)}</text>'
        )
    desc = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    return _frame(title, desc, body, height=height)


def _month_ticks(first: date, last: date, xy, bottom: float) -> list[str]:
    """One label per month (every second or third month over longer spans), kept
    inside the drawing at both ends."""
    months, day = [], first.replace(day=1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 12))  # a span inside one month has no month start
    parts = []
    for day in months[::step]:
        x, _ = xy(day, 0)
        label = f"{MONTHS[day.month - 1]} {day.year % 100:02d}"
        half = text_width(label) / 2
        x = min(max(x, half + 2), WIDTH - half - 2)
        parts.append(f'<text x="{x:.1f}" y="{bottom + 20}" text-anchor="middle">{label}</text>')
    return parts


def _swatch(x: float, y: float, color: str, kind: str) -> str:
    if kind == "dash":
        return (
            f'<line x1="{x}" x2="{x + 14}" y1="{y + 6}" y2="{y + 6}" stroke="{color}" '
            'stroke-width="2" stroke-dasharray="4 2"/>'
        )
    opacity = ' fill-opacity="0.3"' if kind == "band" else ""
    return f'<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"{opacity}/>'


def legend_entries(entries: list[tuple[str, str, str]], top: float) -> tuple[list[str], int]:
    """Every series in the legend, flowing onto more rows when the names need them;
    a name longer than LEGEND_NAME px is abbreviated (full text in its <title>)."""
    parts, x, row = [], 10.0, 0
    for name, color, kind in entries:
        room = min(text_width(name), LEGEND_NAME)
        if x > 10 and x + 18 + room > WIDTH - 10:
            x, row = 10.0, row + 1
        y = top + row * LEGEND_ROW
        parts.append(_swatch(x, y, color, kind))
        parts.append(svg_label(x + 18, y + 10, name, room=room + 1, max_lines=1))
        x += 18 + room + 18
    return parts, row + 1


def _empty() -> str:
    return f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">Sin datos</text>'


def heatmap(
    cells: dict[tuple[int, int], HeatCell],
    *,
    rows: Sequence[str],
    hours: Sequence[int],
    title: str,
) -> str:
    """A weekday × hour grid: darker is higher; each cell prints its figure and how many
    posts stand behind it; a cell with too few posts to trust is pale with a dashed
    border (and says so in its tooltip)."""
    if not cells or not hours:
        return _frame(title, "Sin datos en el periodo.", [_empty()])
    label_w, top, cell_h = 84, 26, 36
    cell_w = (WIDTH - label_w - PAD_R) / len(hours)
    hi = max(c.mean for c in cells.values()) or 1
    body = [
        f'<text x="{label_w + cell_w * (i + 0.5):.1f}" y="{top - 8}" text-anchor="middle">'
        f"{h:02d}</text>"
        for i, h in enumerate(hours)
    ]
    for r, name in enumerate(rows):
        y = top + cell_h * r
        body.append(
            f'<text x="{label_w - 8}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        for i, hour in enumerate(hours):
            cell = cells.get((r, hour))
            if cell is not None:
                body.append(
                    _heat_cell(label_w + cell_w * i, y, cell_w, cell_h, cell, hi, name, hour)
                )
    height = top + cell_h * len(rows) + 30
    body.append(_heat_legend(height - 12))
    desc = "; ".join(
        f"{rows[r]} {h:02d} h: {number(round(c.mean, 1))} % en {c.n} publicaciones"
        for (r, h), c in sorted(cells.items())
    )
    return _frame(title, desc, body, height=height)


def _heat_cell(
    x: float, y: float, w: float, h: float, cell: HeatCell, hi: float, day: str, hour: int
) -> str:
    strength = 0.15 + 0.85 * cell.mean / hi
    trusted = cell.trusted
    fill = COLORS[0] if trusted else "#999"
    opacity = strength if trusted else 0.18
    stroke = "" if trusted else ' stroke="#555" stroke-dasharray="3 2"'
    ink = "#fff" if trusted and strength > 0.55 else "#222"
    note = "" if trusted else " (pocas publicaciones: poco confiable)"
    interval = (
        f", intervalo {number(round(cell.low, 1))}–{number(round(cell.high, 1))} %"
        if cell.low is not None
        else ""
    )
    return (
        f"<g><title>{escape(day)} {hour:02d}:00 · {number(round(cell.mean, 1))} %{interval}; "
        f"{cell.n} publicaciones{note}</title>"
        f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{w - 2:.1f}" height="{h - 2:.1f}" '
        f'fill="{fill}" fill-opacity="{opacity:.2f}"{stroke}/>'
        f'<text x="{x + w / 2:.1f}" y="{y + h / 2:.1f}" text-anchor="middle" fill="{ink}" '
        f'font-size="11">{format_number(cell.mean, 1)}</text>'
        f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 12:.1f}" text-anchor="middle" '
        f'fill="{ink}" font-size="9">n={cell.n}</text></g>'
    )


def _heat_legend(y: float) -> str:
    return (
        f'<rect x="10" y="{y - 10}" width="12" height="12" fill="{COLORS[0]}"/>'
        f'<text x="28" y="{y}">Tasa de interacción media (%) · n = publicaciones</text>'
        f'<rect x="380" y="{y - 10}" width="12" height="12" fill="#999" fill-opacity="0.18" '
        f'stroke="#555" stroke-dasharray="3 2"/>'
        f'<text x="398" y="{y}">Pocas publicaciones: poco confiable</text>'
    )
