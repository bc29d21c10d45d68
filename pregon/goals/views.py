"""Goals dashboard (Coordinación, Consulta, Presidencia read) and plan editing."""

from datetime import date
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.analytics.charts import hbar_chart
from pregon.core import versions
from pregon.core.api_types import parse_id
from pregon.core.page_cache import staff_page
from pregon.core.pagination import paginate
from pregon.goals import periods, selectors, services, sources
from pregon.goals.apps import FIGURES_SCOPE
from pregon.goals.charts import target_bars
from pregon.goals.forms import IndicatorForm, PlanForm
from pregon.goals.models import Indicator, Plan


def _plan(request: HttpRequest) -> Plan | None:
    if request.GET.get("plan"):
        return get_object_or_404(Plan, pk=parse_id(request.GET["plan"]))
    return selectors.current_plan()


def _as_of(request: HttpRequest, plan: Plan) -> date:
    try:
        day = date.fromisoformat(request.GET.get("al", ""))
    except ValueError:
        return selectors.default_as_of(plan)
    return min(max(day, date(plan.year, 1, 1)), date(plan.year, 12, 31))


def _period(request: HttpRequest, default: str) -> periods.Period:
    """The period asked for; a mistyped one shows the default period with the
    explanation of the accepted forms, instead of losing the page."""
    try:
        return periods.parse(request.GET.get("periodo") or default)
    except periods.PeriodError as error:
        messages.error(request, f"{error} Se muestra {default}.")
        return periods.parse(default)


@access.require("goals.view_plan")
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return render(request, "goals/empty.html")
    as_of = _as_of(request, plan)
    period = _period(request, str(plan.year))
    name = f"goals-dashboard:{plan.pk}:{as_of}:{period.key}"
    context = {
        "plan": plan,
        "as_of": as_of,
        "period": period,
        "can_edit": access.can(request.user, "goals.change_plan"),
        **versions.cached(
            name, (FIGURES_SCOPE,), FIGURES_SECONDS, partial(_figures, plan, as_of, period)
        ),
    }
    return render(request, "goals/dashboard.html", context)


# The figures read the plan's year of publications, acciones and metrics: computed
# once per version of what the sources read (any write to those drops them) and day
# asked for, kept at most ten minutes.
FIGURES_SECONDS = 600


def _figures(plan: Plan, as_of: date, period: periods.Period) -> dict:
    with sources.one_reading():  # the cadence board: built once for T1 and its section
        quarters = selectors.quarter_progress(plan, as_of)
        coverage = selectors.coverage_by_area(period)
        return {
            "plans": list(Plan.objects.all()),
            "statuses": selectors.plan_status(plan, as_of),
            "quarters": quarters,
            "coverage": coverage,
            "coverage_total": selectors.coverage_total(coverage),
            "quarter_chart": _quarter_chart(quarters),
            "coverage_chart": mark_safe(  # noqa: S308 - labels are escaped in charts
                hbar_chart(
                    [(r["name"], r["percent"] or 0) for r in coverage],
                    title=f"Acciones publicadas por área (%), {period.label}",
                )
            ),
            "cadence": selectors.cadence_board(as_of),
        }


def _quarter_chart(quarters: list[dict]) -> str:
    if not quarters:
        return ""
    target = float(quarters[0]["result"].target)
    bars = [(q["label"], float(q["result"].value or 0)) for q in quarters]
    svg = target_bars(bars, target=target, title="Publicaciones por trimestre")
    return mark_safe(svg)  # noqa: S308 - labels are escaped in charts


@access.require("goals.view_plan")
def unpublished(request: HttpRequest) -> HttpResponse:
    plan = selectors.current_plan()
    period = _period(request, str(plan.year if plan else date.today().year))
    area = request.GET.get("area", "")
    rows = selectors.unpublished_acciones(period, area)
    page = paginate(request, rows)
    context = {
        "period": period,
        "area": area,
        "activities": page.items,
        "page": page,
        "total": rows.count(),
    }
    return render(request, "goals/unpublished.html", context)


@access.require("goals.change_plan")
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk) if pk else None
    if pk is None:
        access.check(request.user, "goals.add_plan")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(form=form, user=request.user)
        messages.success(request, "Plan guardado.")
        return redirect("goals:plan", pk=plan.pk)
    return render(request, "goals/plan_form.html", {"form": form, "plan": plan})


@access.require("goals.view_plan")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    context = {"plan": plan, "can_edit": access.can(request.user, "goals.change_plan")}
    return render(request, "goals/plan_detail.html", context)


@access.require("goals.change_indicator")
def indicator_edit(request: HttpRequest, plan_pk: int, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_pk)
    indicator = get_object_or_404(Indicator, pk=pk, plan=plan) if pk else None
    if pk is None:
        access.check(request.user, "goals.add_indicator")
    form = IndicatorForm(request.POST or None, instance=indicator, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(form=form, user=request.user)
        messages.success(request, "Indicador guardado.")
        return redirect("goals:plan", pk=plan.pk)
    context = {"form": form, "plan": plan, "indicator": indicator}
    return render(request, "goals/indicator_form.html", context)


@require_POST
@access.require("goals.delete_indicator")
def indicator_delete(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk, plan_id=plan_pk)
    services.indicator_delete(indicator=indicator, user=request.user)
    messages.success(request, "Indicador eliminado.")
    return redirect("goals:plan", pk=plan_pk)
