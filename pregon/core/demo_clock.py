"""The demo's calendar. `pregon demo` builds the plan year as the current year:
what lies before now is history (activities held, publications out, figures
measured), what lies after is agenda. So a first visit finds today's agenda, this
week's coverage and this year's pace filled in, whatever the day."""

from datetime import date, datetime, time

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def plan_year() -> int:
    return today().year


def year_start() -> date:
    return date(plan_year(), 1, 1)


def elapsed_days() -> int:
    """Days of the plan year up to and including today (1 on 1 January)."""
    return (today() - year_start()).days + 1


def elapsed_fraction() -> float:
    days_in_year = (date(plan_year() + 1, 1, 1) - year_start()).days
    return elapsed_days() / days_in_year


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def is_history(moment: datetime | date) -> bool:
    if isinstance(moment, datetime):
        return moment < timezone.now()
    return moment < today()
