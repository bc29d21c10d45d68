"""Reads for the compliance page."""

from datetime import datetime, time
from urllib.parse import urlencode

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


def try_inside(period: ElectoralPeriod | None) -> dict | None:
    """An invitation to try the rules on a day inside `period` when it is not in
    force today (the demo's 2023 veda is past): the middle of the period, 10:00,
    a non-exempt category, as the check form's query string."""
    if period is None or period.start <= timezone.localdate() <= period.end:
        return None
    middle = period.start + (period.end - period.start) / 2
    query = urlencode(
        {
            "category": "obra_publica",
            "when": f"{middle.isoformat()}T10:00",
            "institutional": "on",
            "text": "Inauguramos la pavimentación de la calle Hidalgo.",
        }
    )
    return {"day": middle, "query": query}


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
