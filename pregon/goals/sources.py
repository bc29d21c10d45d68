"""Where each indicator source's number comes from: one function per `Source`.

Every function has the same shape, `(start, end, filters) -> Decimal | None`, with
`start`/`end` aware datetimes of a half-open interval and `filters` the indicator's
JSON (keys: channel, area, campaign, purpose). None means "sin datos" (the source
is not available), which is different from zero. Reads go through the owning
apps' QuerySet methods and selectors, so "published" is decided in one place."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet, Sum

from pregon.agenda.models import Activity, ActivityQuerySet
from pregon.analytics.models import AccountMetric, PageVisitDay, PostMetric
from pregon.goals.models import Source
from pregon.publishing import cadence
from pregon.publishing.models import DeliveryStatus, Publication
from pregon.surveys.models import Survey
from pregon.surveys.selectors import survey_results

SourceFunction = Callable[[datetime, datetime, dict], Decimal | None]
FILTER_KEYS = ("channel", "area", "campaign", "purpose")
# What the plan and its sources read: a write to any of these may change an indicator
# (the dashboard's figures and the home panel are cached until one happens).
READS = (
    "goals.Plan",
    "goals.Indicator",
    *cadence.READS,  # publications, deliveries, accounts, themes and vedas
    "agenda.Activity",
    "agenda.Campaign",
    "accounts.Area",
    "analytics.AccountMetric",
    "analytics.PostMetric",
    "analytics.PageVisitDay",
    "surveys.Survey",
    "surveys.Response",
    "surveys.Answer",
    "bulletins.Bulletin",
)


def local_dates(start: datetime, end: datetime) -> tuple[date, date]:
    """Inclusive local dates covered by [start, end)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    last = end.astimezone(zone).date().toordinal() - 1
    return start.astimezone(zone).date(), date.fromordinal(last)


def publications(start: datetime, end: datetime, filters: dict) -> QuerySet:
    rows = Publication.objects.published_between(start, end)
    if filters.get("channel"):
        rows = rows.filter(
            variants__deliveries__account__kind=filters["channel"],
            variants__deliveries__status=DeliveryStatus.PUBLICADA,
        ).distinct()
    if filters.get("area"):
        rows = rows.filter(area__short_name=filters["area"])
    if filters.get("campaign"):
        rows = rows.filter(campaign__name=filters["campaign"])
    return rows


def activities(start: datetime, end: datetime, filters: dict) -> ActivityQuerySet:
    """Public acciones registered in the period (they count by their start)."""
    rows = Activity.objects.public().filter(starts_at__gte=start, starts_at__lt=end)
    if filters.get("area"):
        rows = rows.filter(area__short_name=filters["area"])
    if filters.get("campaign"):
        rows = rows.filter(campaign__name=filters["campaign"])
    return rows


def publications_published(start: datetime, end: datetime, filters: dict) -> Decimal:
    return Decimal(publications(start, end, filters).count())


def activities_registered(start: datetime, end: datetime, filters: dict) -> Decimal:
    return Decimal(activities(start, end, filters).count())


def activities_published(start: datetime, end: datetime, filters: dict) -> Decimal:
    return Decimal(activities(start, end, filters).published().count())


def post_metrics(start: datetime, end: datetime, filters: dict) -> QuerySet:
    rows = PostMetric.objects.filter(published_at__gte=start, published_at__lt=end)
    if filters.get("channel"):
        rows = rows.filter(account__kind=filters["channel"])
    return rows


def _followers_by_account(start: datetime, end: datetime, filters: dict) -> dict[int, int]:
    first, last = local_dates(start, end)
    rows = AccountMetric.objects.filter(date__range=(first, last), followers__isnull=False)
    if filters.get("channel"):
        rows = rows.filter(account__kind=filters["channel"])
    # The accounts a followers baseline covers (engine.source_filters), not user filters.
    if filters.get("institutional"):
        rows = rows.filter(account__is_institutional=True)
    if "account" in filters:
        rows = rows.filter(account_id=filters["account"])
    latest: dict[int, int] = {}
    for account_id, value in rows.order_by("date").values_list("account_id", "followers"):
        latest[account_id] = value
    return latest


def followers(start: datetime, end: datetime, filters: dict) -> Decimal | None:
    """Followers at the end of the period: each account's last figure, summed over the
    accounts the baseline covers."""
    latest = _followers_by_account(start, end, filters)
    return Decimal(sum(latest.values())) if latest else None


# What several sources (and the page around them) read alike, kept for one reading.
_reading: ContextVar[dict | None] = ContextVar("goals_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within it, what several sources read alike (the cadence board of a day: T1's
    numerator, its denominator and the dashboard's section) is built once: one page,
    one round of indicators. Nested, the outermost holds; outside, nothing is kept, so
    a later reading sees later writes."""
    if _reading.get() is not None:
        yield
        return
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def cadence_board(day: date) -> cadence.CadenceBoard:
    """The permanent themes' board on `day`, once per reading (see `one_reading`)."""
    kept = _reading.get()
    if kept is None:
        return cadence.board(day)
    key = ("cadence_board", day)
    if key not in kept:
        kept[key] = cadence.board(day)
    return kept[key]


def cadence_met(start: datetime, end: datetime, filters: dict) -> Decimal:
    """Theme × network targets met on the period's last day (publishing.cadence), in
    their own week or month; targets paused by a veda do not count."""
    return Decimal(cadence_board(local_dates(start, end)[1]).met())


def cadence_targets(start: datetime, end: datetime, filters: dict) -> Decimal:
    return Decimal(len(cadence_board(local_dates(start, end)[1]).measured()))


def interactions(start: datetime, end: datetime, filters: dict) -> Decimal:
    total = post_metrics(start, end, filters).aggregate(
        n=Sum(F("reactions") + F("comments") + F("shares") + F("saves"))
    )["n"]
    return Decimal(total or 0)


def posts_measured(start: datetime, end: datetime, filters: dict) -> Decimal:
    return Decimal(post_metrics(start, end, filters).count())


def portal_visits(start: datetime, end: datetime, filters: dict) -> Decimal:
    rows = PageVisitDay.objects.filter(date__range=local_dates(start, end))
    if filters.get("purpose"):
        rows = rows.filter(purpose=filters["purpose"])
    return Decimal(rows.aggregate(n=Sum("visits"))["n"] or 0)


def survey_score(start: datetime, end: datetime, filters: dict) -> Decimal | None:
    """CSAT (% of 4–5 answers) pooled over every survey answered in the period."""
    first, last = local_dates(start, end)
    count = n = 0
    for survey in Survey.objects.filter(opens_on__lte=last, closes_on__gte=first):
        csat = survey_results(survey, first, last)["csat"]
        if csat and csat["n"]:
            count, n = count + csat["count"], n + csat["n"]
    return (Decimal(100 * count) / Decimal(n)).quantize(Decimal("0.01")) if n else None


def bulletin_model():
    """The bulletins app may not have its model yet: then the source reads "sin datos"."""
    try:
        model = apps.get_model("bulletins", "Bulletin")
    except LookupError:
        return None
    # A model whose migration is not applied yet has no table: also "sin datos".
    return model if model._meta.db_table in connection.introspection.table_names() else None


def bulletins_issued(start: datetime, end: datetime, filters: dict) -> Decimal | None:
    """Approved bulletins dated in the period. Written against the bulletins app's
    contract (`Bulletin.objects.approved()` and a `dated` date) with fallbacks, since
    that app is built in parallel; unknown shape → "sin datos"."""
    model = bulletin_model()
    if model is None:
        return None
    manager = model.objects
    if hasattr(manager, "issued_between"):
        return Decimal(manager.issued_between(start, end).count())
    rows = manager.approved() if hasattr(manager, "approved") else manager.all()
    names = {f.name for f in model._meta.get_fields()}
    for field in ("dated", "dated_on", "date"):
        if field in names:
            return Decimal(rows.filter(**{f"{field}__range": local_dates(start, end)}).count())
    for field in ("issued_at", "approved_at", "published_at"):
        if field in names:
            return Decimal(rows.filter(**{f"{field}__gte": start, f"{field}__lt": end}).count())
    return None


SOURCES: dict[str, SourceFunction] = {
    Source.PUBLICATIONS_PUBLISHED: publications_published,
    Source.ACTIVITIES_REGISTERED: activities_registered,
    Source.ACTIVITIES_PUBLISHED: activities_published,
    Source.FOLLOWERS: followers,
    Source.INTERACTIONS: interactions,
    Source.POSTS_MEASURED: posts_measured,
    Source.PORTAL_VISITS: portal_visits,
    Source.SURVEY_SCORE: survey_score,
    Source.BULLETINS_ISSUED: bulletins_issued,
    Source.CADENCE_MET: cadence_met,
    Source.CADENCE_TARGETS: cadence_targets,
}


def read(source: str, start: datetime, end: datetime, filters: dict | None = None):
    """One source over one period. Within `one_reading`, the same source, period and
    filters are read once (several indicators share a numerator or a denominator)."""
    filters = filters or {}
    kept = _reading.get()
    if kept is None:
        return SOURCES[source](start, end, filters)
    key = ("read", source, start, end, repr(sorted(filters.items())))
    if key not in kept:
        kept[key] = SOURCES[source](start, end, filters)
    return kept[key]
