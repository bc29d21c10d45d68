"""Audience API: account and post figures, portal visits, purpose rules, and uploads
of metric exports and access logs (the same validation as the dashboard)."""

from datetime import date, datetime, timedelta
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.analytics import definitions as d
from pregon.analytics import engagement, selectors, tasks
from pregon.analytics.demographics import Breakdown, audience_kinds, catalog_for
from pregon.analytics.models import AccountMetric, PostMetric, Purpose, PurposeRule, WebLogImport
from pregon.analytics.services import (
    UploadError,
    import_metrics_upload,
    purpose_rule_delete,
    purpose_rule_save,
    stage_weblog,
)
from pregon.core.api_types import Day, Id, Page
from pregon.publishing.models import ChannelAccount, Delivery

router = Router(tags=["Audiencias"])
DEFAULT_DAYS = 30


class MeasuredAccountOut(Schema):
    id: int
    name: str
    kind: str
    followers: int | None
    followers_date: date | None


class DayMetricOut(Schema):
    date: date
    followers: int | None
    follows_gained: int | None
    follows_lost: int | None
    reach: int | None
    views: int | None
    engagements: int | None
    extra: dict
    source: str


class AccountMetricsOut(Schema):
    account: MeasuredAccountOut
    start: date
    end: date
    baseline_followers: int | None = Field(
        description="La primera cifra de seguidores de la cuenta en el periodo (su propia base)."
    )
    growth_rate: float | None
    definitions: dict[str, str]
    days: list[DayMetricOut]


class PostOut(Schema):
    id: int
    account: int
    account_name: str
    remote_id: str
    delivery: int | None
    permalink: str
    text: str
    published_at: datetime | None
    snapshot_at: datetime
    views: int | None
    reach: int | None
    reactions: int
    comments: int
    shares: int
    saves: int
    clicks: int
    interactions: int
    in_band: bool

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_delivery(obj) -> int | None:
        return obj.delivery_id

    @staticmethod
    def resolve_in_band(obj) -> bool:
        low, high = d.LIKES_BAND
        return low <= obj.reactions <= high


class PurposeCount(Schema):
    purpose: str
    label: str
    visits: int


class PageCount(Schema):
    path: str
    purpose: str
    visits: int


class PortalOut(Schema):
    start: date
    end: date
    visits: int
    visitor_days: int
    avg_daily_visitors: float | None
    by_purpose: list[PurposeCount]
    top_pages: list[PageCount]


class RuleIn(Schema):
    prefix: str
    purpose: str


class RuleOut(Schema):
    id: int
    prefix: str
    purpose: str
    label: str

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.get_purpose_display()


class RuleSaved(Schema):
    rule: RuleOut
    reclassified: int


class MetricsImportOut(Schema):
    file: str
    layout: str
    account: str
    rows: int
    created: int
    updated: int
    unchanged: int


class WebLogImportOut(Schema):
    id: int
    name: str
    state: str
    state_label: str
    percent: int
    size: int
    position: int
    lines_done: int
    visits: int
    bots: int
    skipped: int
    malformed: int
    error: str
    updated_at: datetime

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


def _range(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or timezone.localdate()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationError({"start": "La fecha inicial es posterior a la final."})
    return start, end


def _account_out(account: ChannelAccount) -> dict:
    last = (
        AccountMetric.objects.filter(account=account, followers__isnull=False)
        .order_by("-date")
        .first()
    )
    return {
        "id": account.pk,
        "name": account.name,
        "kind": account.kind,
        "followers": last.followers if last else None,
        "followers_date": last.date if last else None,
    }


@router.get("/analytics/accounts", response=list[MeasuredAccountOut], summary="Cuentas medidas")
@paginate(Page)
def accounts(request: HttpRequest):
    access.check(request.auth, "analytics.view_accountmetric")
    return [_account_out(a) for a in selectors.measured_accounts()]


@router.get(
    "/analytics/accounts/{int:account_id}/metrics",
    response=AccountMetricsOut,
    summary="Cifras diarias de una cuenta",
)
def account_metrics(
    request: HttpRequest, account_id: Id, start: Day | None = None, end: Day | None = None
):
    """One row per day (followers, reach, views, interactions...) between `start` and
    `end` (default: the last 30 days), with the account's growth over its own first
    figure of the period (the plan's one baseline covers a sum of accounts: see Metas)."""
    access.check(request.auth, "analytics.view_accountmetric")
    account = get_object_or_404(ChannelAccount, pk=account_id)
    start, end = _range(start, end)
    days = list(AccountMetric.objects.filter(account=account, date__range=(start, end)))
    last = next((m.followers for m in reversed(days) if m.followers is not None), None)
    first = next((m.followers for m in days if m.followers is not None), None)
    return {
        "account": _account_out(account),
        "start": start,
        "end": end,
        "baseline_followers": first,
        "growth_rate": d.growth_rate(last, first) if first and last is not None else None,
        "definitions": {key: item.text for key, item in d.DEFINITIONS.items()},
        "days": days,
    }


@router.get("/analytics/posts", response=list[PostOut], summary="Publicaciones con más interacción")
@paginate(Page)
def top_posts(
    request: HttpRequest,
    account: Id | None = None,
    start: Day | None = None,
    end: Day | None = None,
):
    """Posts published between `start` and `end`, most interactions first."""
    access.check(request.auth, "analytics.view_postmetric")
    start, end = _range(start, end)
    chosen = ChannelAccount.objects.filter(pk=account) if account else selectors.measured_accounts()
    return selectors.top_posts(list(chosen), start, end, limit=None)


@router.get(
    "/analytics/deliveries/{int:delivery_id}/metrics",
    response=list[PostOut],
    summary="Cifras de una entrega publicada",
)
@paginate(Page)
def delivery_metrics(request: HttpRequest, delivery_id: Id):
    access.check(request.auth, "analytics.view_postmetric")
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    return list(PostMetric.objects.filter(delivery=delivery).select_related("account"))


@router.get("/analytics/portal", response=PortalOut, summary="Visitas al portal")
def portal(request: HttpRequest, start: Day | None = None, end: Day | None = None):
    """Visits by purpose and the most visited pages between `start` and `end`."""
    access.check(request.auth, "analytics.view_pagevisitday")
    start, end = _range(start, end)
    summary = selectors.visits_summary(start, end)
    labels = dict(Purpose.choices)
    by_label = dict(selectors.visits_by_purpose(start, end))
    return {
        "start": start,
        "end": end,
        "visits": summary["visits"],
        "visitor_days": summary["visitor_days"],
        "avg_daily_visitors": summary["avg_daily_visitors"],
        "by_purpose": [
            {"purpose": value, "label": label, "visits": by_label.get(label, 0)}
            for value, label in labels.items()
        ],
        "top_pages": [
            {"path": p["path"], "purpose": p["purpose"], "visits": p["total"]}
            for p in selectors.top_pages(start, end, limit=50)
        ],
    }


@router.get("/analytics/purpose-rules", response=list[RuleOut], summary="Reglas de propósito")
@paginate(Page)
def rules(request: HttpRequest):
    access.check(request.auth, "analytics.view_purposerule")
    return list(PurposeRule.objects.all())


@router.post(
    "/analytics/purpose-rules", response={200: RuleSaved}, summary="Guardar una regla de propósito"
)
def rule_save(request: HttpRequest, payload: RuleIn):
    """Creates the rule or changes the purpose of an existing prefix; the pages already
    counted are classified again."""
    access.check(request.auth, "analytics.change_purposerule")
    access.check(request.auth, "analytics.add_purposerule")
    rule, changed = purpose_rule_save(
        prefix=payload.prefix, purpose=payload.purpose, user=request.auth
    )
    return {"rule": rule, "reclassified": changed}


@router.delete(
    "/analytics/purpose-rules/{int:rule_id}", response={204: None}, summary="Borrar una regla"
)
def rule_delete(request: HttpRequest, rule_id: Id):
    access.check(request.auth, "analytics.delete_purposerule")
    purpose_rule_delete(rule=get_object_or_404(PurposeRule, pk=rule_id), user=request.auth)
    return Status(204, None)


@router.post(
    "/analytics/imports/metrics",
    response=MetricsImportOut,
    summary="Importar una exportación de cifras (Meta, X)",
)
def import_metrics(request: HttpRequest, file: File[UploadedFile], account: Form[str] = ""):
    """A CSV exported from Meta Business Suite or X analytics. The whole file is checked
    first; a bad file is refused (422, with file, line and column) and changes nothing."""
    access.check(request.auth, "analytics.add_postmetric")
    try:
        report = import_metrics_upload(uploaded=file, account_name=account, user=request.auth)
    except UploadError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return report


@router.post(
    "/analytics/imports/weblogs",
    response={202: WebLogImportOut},
    summary="Subir una bitácora de acceso del portal",
)
def import_weblog(request: HttpRequest, file: File[UploadedFile]):
    """The log (plain or .gz) is checked by content and imported by the background
    worker; poll `GET /analytics/imports/weblogs/{id}` for its progress."""
    access.check(request.auth, "analytics.add_weblogimport")
    try:
        imp = stage_weblog(uploaded=file, user=request.auth)
    except UploadError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    tasks.enqueue_weblog_import(imp)
    imp.refresh_from_db()
    return Status(202, imp)


@router.get(
    "/analytics/imports/weblogs", response=list[WebLogImportOut], summary="Bitácoras importadas"
)
@paginate(Page)
def weblog_imports(request: HttpRequest):
    access.check(request.auth, "analytics.view_weblogimport")
    return WebLogImport.objects.all()


@router.get(
    "/analytics/imports/weblogs/{int:import_id}",
    response=WebLogImportOut,
    summary="Estado de una bitácora",
)
def weblog_import(request: HttpRequest, import_id: Id):
    access.check(request.auth, "analytics.view_weblogimport")
    return get_object_or_404(WebLogImport, pk=import_id)


# ---- when our public responds, who is listening ------------------------------------


class FigureOut(Schema):
    posts: int
    mean: float
    ci_low: float | None
    ci_high: float | None
    trusted: bool


class CellOut(FigureOut):
    weekday: int
    weekday_name: str
    hour: int


class GroupOut(FigureOut):
    value: str
    label: str


class SlotOut(Schema):
    weekday_name: str
    hour: int
    next_time: datetime
    mean: float
    posts: int


class AccountEngagementOut(Schema):
    account: int
    name: str
    kind: str
    posts: int
    posts_by_followers: int
    cells: list[CellOut]
    best: list[SlotOut]


class EngagementOut(Schema):
    start: datetime
    end: datetime
    posts: int
    accounts: list[AccountEngagementOut]
    groups: dict[str, list[GroupOut]]


def _figure(fig: engagement.Figure) -> dict:
    return {
        "posts": fig.n,
        "mean": round(fig.mean, 4),
        "ci_low": None if fig.low is None else round(fig.low, 4),
        "ci_high": None if fig.high is None else round(fig.high, 4),
        "trusted": fig.trusted,
    }


def _engagement_account(entry: dict) -> dict:
    cells = [
        {"weekday": wd, "weekday_name": engagement.WEEKDAYS[wd], "hour": h, **_figure(fig)}
        for (wd, h), fig in sorted(entry["cells"].items())
    ]
    best = [
        {
            "weekday_name": s.weekday_name,
            "hour": s.hour,
            "next_time": s.when,
            "mean": round(s.figure.mean, 4),
            "posts": s.figure.n,
        }
        for s in entry["best"]
    ]
    account = entry["account"]
    return {
        "account": account.pk,
        "name": account.name,
        "kind": account.kind,
        "posts": entry["posts"],
        "posts_by_followers": entry["by_followers"],
        "cells": cells,
        "best": best,
    }


# The windows the page offers: 90, 180 or 365 days (checked in the view).
WindowDays = Annotated[int, Field(ge=90, le=365, description="Días: 90, 180 o 365.")]


@router.get(
    "/analytics/engagement",
    response=EngagementOut,
    summary="Tasa de interacción por día y hora, formato y categoría",
)
def engagement_by_time(request: HttpRequest, days: WindowDays = 365, account: Id | None = None):
    """Pregón's own delivered posts of the last `days` (90, 180 or 365) days: mean
    engagement (%) with its 95 % interval per weekday × hour (local time) of each
    account, and per format and category; `trusted` is false with fewer than five posts
    or an interval wider than the figure."""
    access.check(request.auth, "analytics.view_postmetric")
    if days not in (90, 180, 365):
        raise ValidationError({"days": "Use 90, 180 o 365."})
    accounts = [a for a in selectors.social_accounts() if account in (None, a.pk)]
    found = engagement.figures(accounts, days, timezone.localdate())
    groups = {
        name: [{"value": v, "label": label, **_figure(fig)} for v, label, fig in rows]
        for name, (_, rows) in found["groups"].items()
    }
    return {
        "start": found["start"],
        "end": found["end"],
        "posts": found["posts"],
        "accounts": [_engagement_account(e) for e in found["maps"]],
        "groups": groups,
    }


class BreakdownOut(Schema):
    metric: str
    breakdown: str
    date: date | None
    counts: dict[str, int]
    available: bool
    note: str


class AccountAudienceOut(Schema):
    account: int
    name: str
    kind: str
    breakdowns: list[BreakdownOut]


@router.get(
    "/analytics/audience",
    response=list[AccountAudienceOut],
    summary="Quién escucha: edad, género y ciudad del público",
)
@paginate(Page)
def audience(request: HttpRequest, account: Id | None = None):
    """The latest breakdown of each metric the network offers, per Facebook page and
    Instagram account; `available` is false (and `note` says why) when the API no
    longer offers it."""
    access.check(request.auth, "analytics.view_audiencebreakdown")
    everyone = selectors.social_accounts(audience_kinds())
    accounts = [a for a in everyone if account in (None, a.pk)]
    today = timezone.localdate()
    found = selectors.audience_rows(accounts, today - timedelta(days=364), today)
    return [
        {
            "account": a.pk,
            "name": a.name,
            "kind": a.kind,
            "breakdowns": [_breakdown(item, found[a.pk]["latest"]) for item in catalog_for(a.kind)],
        }
        for a in accounts
    ]


def _breakdown(item: Breakdown, latest: dict) -> dict:
    row = latest.get((item.metric, item.breakdown))
    note = item.retired or (row.unavailable if row else "sin datos todavía")
    return {
        "metric": item.metric,
        "breakdown": item.breakdown,
        "date": row.date if row else None,
        "counts": row.counts if row and not note else {},
        "available": not (item.retired or (row and row.unavailable)),
        "note": note,
    }
