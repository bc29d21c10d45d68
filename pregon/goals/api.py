"""Goals API: the plan's indicators with their current value and pace."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.core.api_types import Day, Id, Page
from pregon.goals import selectors
from pregon.goals.models import Plan

router = Router(tags=["Metas"])


class IndicatorStatusOut(Schema):
    code: str
    name: str
    period: str
    value: float | None
    target: float
    unit: str
    on_track: bool | None
    projected: float | None
    per_week_needed: float | None


def _float(value) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/goals/indicators",
    response=list[IndicatorStatusOut],
    summary="Indicadores del plan con su valor, meta y ritmo",
)
@paginate(Page)
def indicators(request: HttpRequest, plan: Id | None = None, as_of: Day | None = None):
    access.check(request.auth, "goals.view_plan")
    chosen = get_object_or_404(Plan, pk=plan) if plan else selectors.current_plan()
    if chosen is None:
        return []
    day = as_of or selectors.default_as_of(chosen)
    return [
        {
            "code": s.indicator.code,
            "name": s.indicator.name,
            "period": s.period.key,
            "value": _float(s.result.value),
            "target": float(s.result.target),
            "unit": s.indicator.unit,
            "on_track": s.on_track,
            "projected": _float(s.projected),
            "per_week_needed": _float(s.per_week_needed),
        }
        for s in selectors.plan_status(chosen, day)
    ]
