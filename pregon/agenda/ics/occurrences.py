"""From a parsed calendar to occurrences: each VEVENT (and each repetition of a
series, expanded by `recurring-ical-events`) becomes an `Occurrence` in the
municipality's time zone, the shape both the import and the export compare."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils import timezone

from pregon.agenda.models import ActivityStatus

MAX_OCCURRENCES = 20000  # five years of a busy municipal agenda, for the whole file
STATUS_FROM_ICS = {
    "CONFIRMED": ActivityStatus.CONFIRMADA,
    "TENTATIVE": ActivityStatus.PROPUESTA,
    "CANCELLED": ActivityStatus.CANCELADA,
}
SYNCED_FIELDS = ("title", "description", "place", "starts_at", "ends_at", "all_day", "is_public")


class IcsError(Exception):
    """A file we refuse to import; the message is Spanish and names the line."""


@dataclass
class Occurrence:
    uid: str
    recurrence_id: str
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    is_public: bool
    status: str
    class_given: bool = True  # False: the file has no CLASS, so the person decides
    action: str = "crear"  # crear | actualizar | sin cambios | cancelar | restaurar
    activity_id: int | None = None
    gone: bool = False  # no longer in the file (as opposed to STATUS:CANCELLED in it)


@dataclass
class ImportResult:
    occurrences: list[Occurrence] = field(default_factory=list)
    dry_run: bool = True

    def count(self, action: str) -> int:
        return sum(1 for o in self.occurrences if o.action == action)

    def summary(self) -> dict:
        return {
            "ocurrencias": len(self.occurrences),
            "creadas": self.count("crear"),
            "actualizadas": self.count("actualizar"),
            "sin_cambios": self.count("sin cambios"),
            "canceladas": self.count("cancelar"),
            "restauradas": self.count("restaurar"),
            "simulacion": self.dry_run,
        }

    def as_dict(self) -> dict:
        rows = [
            {**asdict(o), "starts_at": o.starts_at.isoformat(), "ends_at": o.ends_at.isoformat()}
            for o in self.occurrences
        ]
        return {**self.summary(), "detalle": rows}


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def aware(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=local_tz())
    if timezone.is_naive(value):  # floating time: the municipality's local time
        return value.replace(tzinfo=local_tz())
    return value


def recurrence_key(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return aware(value).astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def to_occurrence(event, recurring: set[str], public_default: bool) -> Occurrence:
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if "DTEND" in event else None
    all_day = not isinstance(start, datetime)
    if end is None:
        end = start + (timedelta(days=1) if all_day else timedelta(hours=1))
    uid = str(event.get("UID", ""))
    rid = event.get("RECURRENCE-ID")
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    return Occurrence(
        uid=uid,
        recurrence_id=recurrence_key(rid.dt) if uid in recurring and rid else "",
        title=str(event.get("SUMMARY", "")).strip()[:300] or "(sin título)",
        description=str(event.get("DESCRIPTION", "")),
        place=str(event.get("LOCATION", ""))[:300],
        starts_at=aware(start),
        ends_at=aware(end),
        all_day=all_day,
        # Without a CLASS line an event stays private unless the person chose
        # «públicas»: a private calendar must not land in the public feed.
        is_public=str(event.get("CLASS", "")).upper() == "PUBLIC"
        if "CLASS" in event
        else public_default,
        status=STATUS_FROM_ICS.get(status, ActivityStatus.CONFIRMADA),
        class_given="CLASS" in event,
    )


def window(calendar: icalendar.Calendar) -> tuple[datetime, datetime]:
    """From the first DTSTART to PREGON_ICS_WINDOW_DAYS (a year) after the later of the
    last DTSTART and today: an endless RRULE is imported for the coming twelve months."""
    starts = [aware(e.decoded("DTSTART")) for e in calendar.walk("VEVENT")]
    if not starts:
        now = timezone.now()
        return now, now
    until = max(max(starts), timezone.now()) + timedelta(days=settings.PREGON_ICS_WINDOW_DAYS)
    return min(starts), until


def expand(
    calendar: icalendar.Calendar,
    since: datetime | None = None,
    until: datetime | None = None,
    public_default: bool = False,
) -> list[Occurrence]:
    first, last = window(calendar)
    recurring = {
        str(e.get("UID", ""))
        for e in calendar.walk("VEVENT")
        if any(key in e for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    found = []
    for event in recurring_ical_events.of(calendar).between(since or first, until or last):
        found.append(to_occurrence(event, recurring, public_default))
        if len(found) > MAX_OCCURRENCES:
            raise IcsError(
                f"El archivo produce más de {MAX_OCCURRENCES} ocurrencias; "
                "indique un periodo más corto (--desde/--hasta)."
            )
    found.sort(key=lambda o: (o.starts_at, o.uid))
    return found
