"""Reads for the compliance page."""

from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from pregon.compliance.models import ComplianceEvent, ElectoralPeriod, EventKind
from pregon.compliance.rules import blackout_active


def default_period() -> ElectoralPeriod | None:
    """The veda in force, else the most recent one that has started, else the next."""
    today = timezone.localdate()
    return (
        blackout_active(today)
        or ElectoralPeriod.objects.filter(start__lte=today).order_by("-start").first()
        or ElectoralPeriod.objects.order_by("start").first()
    )


def period_events(period: ElectoralPeriod | None) -> QuerySet[ComplianceEvent]:
    """Blocked, flagged, exempted and overridden items for the period: those meant to
    go out during it, or checked during it."""
    events = ComplianceEvent.objects.select_related("user")
    if period is None:
        return events
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    end = datetime.combine(period.end, time.max, tzinfo=tz)
    return events.filter(
        Q(item_date__range=(start, end)) | Q(item_date__isnull=True, created_at__range=(start, end))
    )


def summary(events: QuerySet[ComplianceEvent]) -> dict[str, int]:
    return {kind.label: events.filter(kind=kind).count() for kind in EventKind}
