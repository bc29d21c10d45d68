"""Each server-drawn chart, with the longest names of the demo, measured by Chromium:
every label inside the drawing, no two labels on top of each other, and every
series named in the legend (in full, or abbreviated with the full name in <title>)."""

from datetime import date, timedelta

import pytest

from pregon.analytics import charts as analytics_charts
from pregon.goals import charts as goals_charts
from pregon.publishing.demo import CHANNELS
from pregon.surveys import charts as survey_charts
from pregon.surveys.demo import CHANNELS as SURVEY_CHANNELS
from pregon.surveys.demo import TOPICS

pytestmark = pytest.mark.browser

ACCOUNTS = [name for name, *_ in CHANNELS][:4]
LONG = "Dirección de Desarrollo Económico, Turismo y Fomento Artesanal del Municipio"
LONGER = f"{LONG} y Coordinación Regional de Atención Ciudadana del Valle de Toluca"

MEASURE = """() => {
  const svg = document.querySelector('svg');
  const view = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    const spans = [...t.querySelectorAll('tspan')].map((s) => s.textContent);
    const text = spans.length ? spans.join(' ') : t.textContent;
    return {text, x: b.x, y: b.y, w: b.width, h: b.height};
  });
  return {width: view.width, height: view.height, boxes};
}"""


def _followers_chart() -> str:
    start = date(2026, 1, 1)
    series = {
        name: [(start + timedelta(days=d), 6900 + d * (i + 1) * 3) for d in range(0, 340, 7)]
        for i, name in enumerate([*ACCOUNTS, LONG])
    }
    return analytics_charts.line_chart(
        series, title="Seguidores por día", baseline=6900, baseline_label="Línea base ene 2023"
    )


CHARTS = {
    "seguidores": (_followers_chart, [*ACCOUNTS, LONG, "Línea base ene 2023: 6,900"]),
    "me-gusta": (
        lambda: analytics_charts.bar_chart(
            [(m, 60 + i * 9) for i, m in enumerate(analytics_charts.MONTHS)],
            title="«Me gusta» promedio",
            band=(50, 200),
            band_label="Rango del plan",
        ),
        ["Rango del plan: 50–200"],
    ),
    "propositos": (
        lambda: analytics_charts.hbar_chart(
            [(LONG, 1200), ("Trámites y servicios", 900), (TOPICS[2], 80)], title="Propósitos"
        ),
        [],
    ),
    "metas": (
        lambda: goals_charts.target_bars(
            [(f"{q} trimestre de 2026", 150 + 10 * i) for i, q in enumerate("1234")],
            target=180,
            title="Publicaciones por trimestre",
        ),
        ["Meta: 180"],
    ),
}


def _survey_chart() -> str:
    labels = [*TOPICS, *SURVEY_CHANNELS, LONG, LONGER]
    options = [{"label": label, "percent": 100 / len(labels)} for label in labels]
    return survey_charts.bars({"text": "¿Sobre qué tema?", "options": options})


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


def _check(page, svg: str) -> dict:
    page.set_content(f"<!doctype html><html><body style='margin:0'>{svg}</body></html>")
    found = page.evaluate(MEASURE)
    for box in found["boxes"]:
        assert box["x"] >= -0.5 and box["x"] + box["w"] <= found["width"] + 0.5, box
        assert box["y"] >= -0.5 and box["y"] + box["h"] <= found["height"] + 0.5, box
    boxes = found["boxes"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    return found


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_labels_fit_and_legend_is_complete(name, browser):
    make, legend = CHARTS[name]
    svg = make()
    page = browser.new_page()
    try:
        _check(page, svg)
    finally:
        page.close()
    for entry in legend:
        assert f">{entry}<" in svg or f"<title>{entry}</title>" in svg, entry


def test_survey_bars_wrap_long_options(browser):
    svg = _survey_chart()
    page = browser.new_page()
    try:
        found = _check(page, svg)
    finally:
        page.close()
    shown = " ".join(box["text"] for box in found["boxes"])
    assert "Eventos culturales y deportivos" in shown  # wrapped, not cut
    assert "Artesanal del Municipio" in shown  # three lines are enough for this one
    assert f"<title>{LONGER}</title>" in svg  # abbreviated, whole in its title
