"""Reads for the goals dashboard: indicator status and pace, quarterly progress and
coverage of acciones by area."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pregon.agenda.models import ActivityQuerySet
from pregon.analytics.baseline import PlanBaseline
from pregon.analytics.models import AccountMetric
from pregon.core.spanish import format_number, spanish_date
from pregon.goals import engine, periods, sources
from pregon.goals.models import BaselineScope, FormulaKind, Frequency, Indicator, Plan, Source
from pregon.goals.periods import Period
from pregon.publishing import cadence
from pregon.publishing.models import ChannelAccount


def current_plan() -> Plan | None:
    """The plan of this year, else the most recent one."""
    return Plan.objects.filter(year=timezone.localdate().year).first() or Plan.objects.first()


def default_as_of(plan: Plan) -> date:
    """Today, or the plan's last day when the plan's year is over."""
    return min(timezone.localdate(), date(plan.year, 12, 31))


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, ZoneInfo(settings.TIME_ZONE))


@dataclass
class IndicatorStatus:
    indicator: Indicator
    period: Period
    result: engine.Result
    elapsed: float  # fraction of the period already lived (0–1)
    projected: Decimal | None = None  # counts: where the period ends at the current rate
    per_week_needed: Decimal | None = None  # counts: pace needed from now on
    baseline_note: str = ""  # followers: what the value is measured against

    @property
    def on_track(self) -> bool | None:
        if self.result.value is None:
            return None
        if self.projected is not None:
            return self.projected >= self.result.target
        return self.result.met

    @property
    def percent_elapsed(self) -> float:
        return 100 * self.elapsed

    @property
    def percent_of_target(self) -> float | None:
        value, target = self.result.value, self.result.target
        return None if value is None or not target else float(100 * value / target)


def indicator_status(indicator: Indicator, as_of: date) -> IndicatorStatus:
    period = periods.containing(as_of, indicator.frequency)
    start, _ = period.bounds()
    cut = min(_end_of(as_of), period.bounds()[1])
    result = engine.evaluate(indicator, start, cut, engine.target_for(indicator, period))
    lived = min(period.days, (as_of - period.start).days + 1)
    status = IndicatorStatus(indicator, period, result, lived / period.days)
    status.baseline_note = baseline_note(indicator)
    if indicator.formula_kind == FormulaKind.COUNT and result.value is not None:
        status.projected = engine.round2(result.value * period.days / lived)
        weeks_left = Decimal(period.days - lived) / 7
        missing = max(Decimal(0), result.target - result.value)
        status.per_week_needed = engine.round2(missing / weeks_left) if weeks_left else None
    return status


SCOPE_WORDS: dict[str, str] = {
    BaselineScope.INSTITUTIONAL: "las cuentas del Ayuntamiento",
    BaselineScope.ALL: "todas las cuentas",
    BaselineScope.ACCOUNT: "la cuenta",
}


def _covered(indicator: Indicator) -> QuerySet[ChannelAccount]:
    measured = ChannelAccount.objects.filter(
        pk__in=AccountMetric.objects.filter(followers__isnull=False).values("account")
    )
    if indicator.baseline_scope == BaselineScope.INSTITUTIONAL:
        measured = measured.filter(is_institutional=True)
    elif indicator.baseline_scope == BaselineScope.ACCOUNT:
        measured = measured.filter(pk=indicator.baseline_account_id or 0)
    return measured


def baseline_accounts(indicator: Indicator) -> list[str]:
    """Names of the measured accounts a followers baseline covers."""
    return list(_covered(indicator).order_by("name").values_list("name", flat=True))


def followers_baseline() -> PlanBaseline | None:
    """The current plan's followers baseline as analytics shows it (registered in
    GoalsConfig.ready): one figure, its date and the accounts it covers, summed."""
    plan = current_plan()
    indicator = (
        plan.indicators.filter(numerator=Source.FOLLOWERS, baseline__isnull=False)
        .order_by("code")
        .first()
        if plan
        else None
    )
    if indicator is None or indicator.baseline is None:
        return None
    scope = SCOPE_WORDS.get(indicator.baseline_scope, SCOPE_WORDS[BaselineScope.ALL])
    if indicator.baseline_scope == BaselineScope.ACCOUNT and indicator.baseline_account:
        scope = f"la cuenta {indicator.baseline_account}"
    return PlanBaseline(
        followers=int(indicator.baseline),
        since=indicator.baseline_date,
        scope=scope,
        account_ids=frozenset(_covered(indicator).values_list("pk", flat=True)),
    )


def baseline_note(indicator: Indicator) -> str:
    """«Línea base: 6 900 seguidores al 1 de enero de 2026, en las cuentas del
    Ayuntamiento (…); el valor actual suma las mismas cuentas.» Empty if not followers."""
    if indicator.numerator != Source.FOLLOWERS or indicator.baseline is None:
        return ""
    when = f" al {spanish_date(indicator.baseline_date)}" if indicator.baseline_date else ""
    scope = SCOPE_WORDS.get(indicator.baseline_scope, SCOPE_WORDS[BaselineScope.ALL])
    names = baseline_accounts(indicator)
    covered = f" ({'; '.join(names)})" if names else " (ninguna con cifras de seguidores)"
    return (
        f"Línea base: {format_number(indicator.baseline, 0)} seguidores{when}, en {scope}"
        f"{covered}; el valor actual suma las mismas cuentas."
    )


def plan_status(plan: Plan, as_of: date) -> list[IndicatorStatus]:
    with sources.one_reading():  # indicators sharing a reading (T1's board) read it once
        return [indicator_status(i, as_of) for i in plan.indicators.all()]


def quarterly_indicator(plan: Plan) -> Indicator | None:
    return plan.indicators.filter(
        frequency=Frequency.QUARTERLY,
        formula_kind=FormulaKind.COUNT,
        numerator=Source.PUBLICATIONS_PUBLISHED,
    ).first()


def quarter_progress(plan: Plan, as_of: date | None = None) -> list[dict]:
    """Published per quarter of the plan's year against the quarterly target, up to
    `as_of` (the quarter under way is counted to that day; later ones are not shown)."""
    indicator = quarterly_indicator(plan)
    if indicator is None:
        return []
    as_of = as_of or date(plan.year, 12, 31)
    rows = []
    for q in range(1, 5):
        period = periods.quarter(plan.year, q)
        if period.start > as_of:
            break
        start, end = period.bounds()
        target = engine.target_for(indicator, period)
        result = engine.evaluate(indicator, start, min(end, _end_of(as_of)), target)
        rows.append({"period": period, "label": f"T{q}", "result": result})
    return rows


def coverage_by_area(period: Period) -> list[dict]:
    """Public acciones registered and with ≥1 published publication, per area: one
    grouped query, a row per area whatever the number of acciones."""
    start, end = period.bounds()
    registered = sources.activities(start, end, {})
    published = Q(pk__in=registered.published().values("pk"))
    counts = (
        registered.order_by()
        .values("area__short_name", "area__name")
        .annotate(registered=Count("pk"), published=Count("pk", filter=published))
    )
    rows = [
        {
            "area": r["area__short_name"],
            "name": r["area__name"],
            "registered": r["registered"],
            "published": r["published"],
        }
        for r in counts
    ]
    rows.sort(key=lambda r: r["name"])
    for row in rows:
        row["unpublished"] = row["registered"] - row["published"]
        row["percent"] = round(100 * row["published"] / row["registered"], 1)
    return rows


def coverage_total(rows: list[dict]) -> dict:
    registered = sum(r["registered"] for r in rows)
    published = sum(r["published"] for r in rows)
    return {
        "registered": registered,
        "published": published,
        "percent": round(100 * published / registered, 1) if registered else None,
    }


def unpublished_acciones(period: Period, area: str = "") -> ActivityQuerySet:
    start, end = period.bounds()
    rows = sources.activities(start, end, {"area": area} if area else {})
    return rows.unpublished().select_related("area").order_by("starts_at")


def cadence_board(as_of: date) -> cadence.CadenceBoard:
    """The permanent themes' cadence on `as_of` (the dashboard's section): inside the
    page's `sources.one_reading()`, the same board T1's sources read."""
    return sources.cadence_board(as_of)
