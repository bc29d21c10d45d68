"""Reads: what each person may see, calendar ranges, the publication queue, weeks."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda.models import (
    Activity,
    ActivityQuerySet,
    ActivityStatus,
    ActivityType,
    Campaign,
    CoverageAssignment,
    CoverageStatus,
    longest_span,
)

VIEWS = ("mes", "semana", "lista", "dia")
FILTERS = {"area": "area__short_name", "tipo": "type", "estado": "status"}


def visible_activities(user: User) -> ActivityQuerySet:
    qs = Activity.objects.select_related("area", "campaign")
    return access.scope_to_area(user, qs)


def apply_filters(qs: ActivityQuerySet, params: Mapping[str, str]) -> ActivityQuerySet:
    for param, lookup in FILTERS.items():
        value = (params.get(param) or "").strip()
        if value:
            qs = qs.filter(**{lookup: value})
    if params.get("presidenta"):
        qs = qs.filter(with_mayor=True)  # the mayor's own agenda
    return qs


def parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Period:
    view: str
    first: date  # first day shown
    last: date  # last day shown (inclusive)
    anchor: date
    previous: date
    next: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return _midnight(self.first), _midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def period_for(view: str, anchor: date) -> Period:
    if view == "dia":
        return Period(view, anchor, anchor, anchor, anchor - timedelta(1), anchor + timedelta(1))
    if view == "semana":
        monday = anchor - timedelta(days=anchor.weekday())
        return Period(
            view,
            monday,
            monday + timedelta(6),
            anchor,
            monday - timedelta(7),
            monday + timedelta(7),
        )
    first_of_month = anchor.replace(day=1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    previous_month = (first_of_month - timedelta(days=1)).replace(day=1)
    if view == "lista":
        return Period(
            view, first_of_month, next_month - timedelta(1), anchor, previous_month, next_month
        )
    # Month grid: whole weeks, Monday first.
    first = first_of_month - timedelta(days=first_of_month.weekday())
    last_day = next_month - timedelta(1)
    last = last_day + timedelta(days=6 - last_day.weekday())
    return Period("mes", first, last, anchor, previous_month, next_month)


def effective_tier_expression() -> Coalesce:
    return Coalesce(NullIf("priority_override", Value("")), "priority_tier")


def _published_annotation() -> Combinable:
    if hasattr(Activity, "publications"):
        return Count("publications", filter=Q(publications__status="publicada"), distinct=True)
    return Value(0)


def priority_queue(
    user: User, now: datetime | None = None, days_back: int = 7, days_ahead: int = 30
) -> ActivityQuerySet:
    """Upcoming and recently held activities, by tier then date, with coverage and
    publication state."""
    now = now or timezone.now()
    qs = (
        visible_activities(user)
        .active()
        .between(now - timedelta(days=days_back), now + timedelta(days=days_ahead))
        .annotate(
            effective_tier=effective_tier_expression(),
            coverage_total=Count(
                "coverage", filter=~Q(coverage__status=CoverageStatus.CANCELADA), distinct=True
            ),
            coverage_done=Count(
                "coverage", filter=Q(coverage__status=CoverageStatus.CUBIERTA), distinct=True
            ),
            coverage_unassigned=Count(
                "coverage", filter=Q(coverage__status=CoverageStatus.PLANEADA), distinct=True
            ),
            published_count=_published_annotation(),
        )
        .order_by("effective_tier", "starts_at")
    )
    return qs


def coverage_label(activity: Any) -> str:
    """`activity` as annotated by `priority_queue` (coverage counts), or a plain one."""
    total = getattr(activity, "coverage_total", None)
    if total is None:
        return ""
    if total == 0:
        return "Sin cobertura"
    if activity.coverage_done == total:
        return "Cubierta"
    if activity.coverage_unassigned:
        return f"Por asignar ({activity.coverage_unassigned} de {total})"
    return f"Asignada ({activity.coverage_done} de {total} cubiertas)"


def person_assignments(person: User, first: date, last: date) -> QuerySet[CoverageAssignment]:
    start, end = _midnight(first), _midnight(last + timedelta(days=1))
    return (
        CoverageAssignment.objects.select_related("activity", "activity__area", "assignee")
        .filter(
            assignee=person,
            activity__starts_at__gte=start - longest_span(),
            activity__starts_at__lt=end,
            activity__ends_at__gt=start,
        )
        .exclude(status=CoverageStatus.CANCELADA)
        .order_by("activity__starts_at")
    )


def today_activities(user: User) -> ActivityQuerySet:
    today = timezone.localdate()
    return (
        visible_activities(user).active().between(_midnight(today), _midnight(today + timedelta(1)))
    )


# The public feed holds what a subscriber's calendar needs: every upcoming public
# activity and those of the last six months. Calendar apps replace a subscription
# with what the feed says on each refresh, so older ones leave subscribers' calendars;
# the whole agenda stays in Pregón (and in the staff export). Ten years of a large
# municipality's agenda in one feed were 30,000 events, 554 KB even gzipped, that
# every subscribed calendar downloaded on each change.
PUBLIC_FEED_PAST = timedelta(days=183)


def public_feed_activities(now: datetime | None = None) -> ActivityQuerySet:
    since = (now or timezone.now()) - PUBLIC_FEED_PAST
    activities = Activity.objects.public().upcoming(since)
    # Implied by the line above (longest_span), and what the starts_at index answers.
    return activities.filter(starts_at__gte=since - longest_span()).select_related("area")


def type_choices() -> list:
    return ActivityType.choices


def status_choices() -> list:
    return ActivityStatus.choices


def campaigns_with_counts(user: User) -> QuerySet[Campaign]:
    """Campaigns with how many of their activities this person may see."""
    visible = visible_activities(user).values("pk")
    return Campaign.objects.annotate(
        activity_count=Count("activities", filter=Q(activities__in=visible), distinct=True)
    ).order_by("-starts_on", "name")
