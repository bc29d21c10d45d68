"""Home panel for Coordinación: the plan's indicators that are behind today."""

from django.http import HttpRequest
from django.urls import reverse

from pregon.accounts import access
from pregon.core.spanish import format_number
from pregon.goals import selectors, sources

# Writes to these change what the panel shows (core.panels caches it per person and
# app): every source an indicator reads (goals.sources), the cadence's included.
HOME_WATCH = sources.READS


def panels(request: HttpRequest) -> list[dict]:
    if not access.can(request.user, "goals.change_plan"):
        return []
    plan = selectors.current_plan()
    if plan is None:
        return []
    url = reverse("goals:dashboard")
    behind = [
        s for s in selectors.plan_status(plan, selectors.default_as_of(plan)) if s.on_track is False
    ]
    items = [
        {
            "text": f"{s.indicator.code} {s.indicator.name}",
            "url": f"{url}#ind-{s.indicator.code}",
            "meta": _meta(s),
        }
        for s in behind
    ]
    return [
        {
            "title": "Metas rezagadas",
            "items": items,
            "empty": "Todos los indicadores van en meta.",
            "link": {"label": "Tablero de metas", "url": url},
        }
    ]


def _meta(status: selectors.IndicatorStatus) -> str:
    unit = status.indicator.unit
    result = status.result
    value = "sin datos" if result.value is None else f"{format_number(result.value)} {unit}"
    text = f"{value} de {format_number(result.target)} {unit} · {status.period.label}"
    if status.per_week_needed:
        text += f" · faltan {format_number(status.per_week_needed, 1)} por semana"
    return text
