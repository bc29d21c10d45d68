"""Which veda is in force: the one fact both the blackout rules and the
personal-promotion rule read (kept apart so neither imports the other)."""

from datetime import date, datetime

from django.utils import timezone

from pregon.compliance.models import ElectoralPeriod


def local_day(when: datetime | date) -> date:
    """The calendar day in Mexico City; naive datetimes are taken as local time."""
    if isinstance(when, datetime):
        if timezone.is_naive(when):
            return when.date()
        return timezone.localtime(when).date()
    return when


def blackout_active(now: datetime | date | None = None) -> ElectoralPeriod | None:
    """The veda in force at `now` (the one ending last if several), or None."""
    day = local_day(now or timezone.now())
    return ElectoralPeriod.objects.on(day).order_by("-end").first()
