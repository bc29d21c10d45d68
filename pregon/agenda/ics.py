"""iCalendar (RFC 5545) import and export. Parsing and recurrence expansion are done
by `icalendar` and `recurring-ical-events`; this module only maps events to activities
and turns parser complaints into Spanish messages that name the line."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pregon.accounts.models import Area
from pregon.agenda.models import (
    Activity,
    ActivityChange,
    ActivityStatus,
    CoverageStatus,
    ImportedCalendarEvent,
)
from pregon.core.uploads import max_bytes, too_large_message

MAX_OCCURRENCES = 20000  # five years of a busy municipal agenda, for the whole file
TOO_FREQUENT = {"SECONDLY": "cada segundo", "MINUTELY": "cada minuto", "HOURLY": "cada hora"}
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


# --- reading -------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IcsError(f"Línea {line}: el archivo no está en UTF-8.") from exc


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the physical line number where each starts."""
    lines: list[list] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1][1] += line[1:]
        elif line.strip():
            lines.append([number, line])
    return [(n, s) for n, s in lines]


def _line_of_text(lines: list[tuple[int, str]], fragment: str) -> tuple[int, str] | None:
    for number, line in lines:
        if line == fragment:
            return number, line
    return None


def _line_of_property(lines: list[tuple[int, str]], prop: str) -> tuple[int, str] | None:
    """The first `prop` line that icalendar cannot read on its own."""
    candidates = [(n, s) for n, s in lines if re.split(r"[;:]", s, maxsplit=1)[0].upper() == prop]
    for number, line in candidates:
        probe = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
        if probe.errors:
            return number, line
    return candidates[0] if candidates else None


def _fail(lines: list[tuple[int, str]], prop: str | None, problem: str) -> IcsError:
    quoted = re.search(r"could not be parsed into parts: '(.*?)':", problem)
    where = _line_of_text(lines, quoted.group(1)) if quoted else None
    if where is None and prop:
        where = _line_of_property(lines, prop.upper())
    if where is None:
        return IcsError(f"El calendario no es válido: {problem}")
    number, line = where
    what = f"el valor de {prop} no es válido" if prop else "la línea no tiene la forma NOMBRE:valor"
    return IcsError(f"Línea {number}: {what} («{line[:120]}»).")


def parse_calendar(data: bytes) -> icalendar.Calendar:
    if len(data) > max_bytes("ical"):
        raise IcsError(too_large_message("ical"))
    text = _decode(data)
    lines = _logical_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise IcsError("Línea 1: el archivo no es un calendario iCalendar (falta BEGIN:VCALENDAR).")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise _fail(lines, None, str(exc)) from exc
    for component in calendar.walk():
        for prop, problem in component.errors:
            raise _fail(lines, prop, str(problem))
    for index, event in enumerate(calendar.walk("VEVENT")):
        if "DTSTART" not in event:
            begins = [n for n, s in lines if s.strip().upper() == "BEGIN:VEVENT"]
            raise IcsError(f"Línea {begins[index]}: el evento no tiene fecha de inicio (DTSTART).")
    return calendar


# --- bounds on recurrence ----------------------------------------------------------


def _rule_lines(lines: list[tuple[int, str]]) -> list[int | None]:
    """The line of each VEVENT's RRULE (None without one), in file order."""
    found: list[int | None] = []
    inside = False
    for number, line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if line.strip().upper() == "BEGIN:VEVENT":
            inside = True
            found.append(None)
        elif line.strip().upper() == "END:VEVENT":
            inside = False
        elif inside and name == "RRULE" and found[-1] is None:
            found[-1] = number
    return found


def check_series(data: bytes, calendar: icalendar.Calendar, until: datetime | None) -> None:
    """Refuse, naming the line, a series that repeats more often than daily, asks for
    more than PREGON_ICS_MAX_SERIES_OCCURRENCES repetitions, or produces more than that
    within the import window; and a file whose series add up past MAX_OCCURRENCES.
    Counting stops at the limit, so an endless rule costs as much as a short one."""
    limit = settings.PREGON_ICS_MAX_SERIES_OCCURRENCES
    last = until or _window(calendar)[1]
    lines = _logical_lines(_decode(data))
    total = 0
    for event, number in zip(calendar.walk("VEVENT"), _rule_lines(lines), strict=False):
        where = f"Línea {number}" if number else "Una serie"
        total += _series_size(event, where, limit, last)
        if total > MAX_OCCURRENCES:
            raise IcsError(
                f"{where}: el archivo produce más de {MAX_OCCURRENCES} ocurrencias; "
                "indique un periodo más corto (--desde/--hasta)."
            )


def _series_size(event, where: str, limit: int, last: datetime) -> int:
    rules = event.get("RRULE")
    if rules is None:
        return 1 + sum(len(r.dts) for r in _as_list(event.get("RDATE")))
    rule = rules[0] if isinstance(rules, list) else rules
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in TOO_FREQUENT:
        raise IcsError(
            f"{where}: la repetición {TOO_FREQUENT[freq]} (FREQ={freq}) no se admite en la "
            "agenda; la más frecuente es diaria."
        )
    count = int((rule.get("COUNT") or [0])[0])
    if count > limit:
        raise IcsError(
            f"{where}: la serie pide {count} repeticiones (COUNT={count}); el máximo es {limit}."
        )
    if count:
        return count
    size = _count_until(event, rule, last, limit + 1)
    if size > limit:
        raise IcsError(
            f"{where}: la serie produce más de {limit} ocurrencias hasta "
            f"{timezone.localtime(last):%d/%m/%Y}; acórtela con UNTIL o COUNT."
        )
    return size


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([value] if value is not None else [])


def _count_until(event, rule, last: datetime, cap: int) -> int:
    """Occurrences of `rule` up to `last`, counting at most `cap`."""
    from dateutil.rrule import rrulestr

    local = _local_tz()
    start = _aware(event.decoded("DTSTART")).astimezone(local).replace(tzinfo=None)
    end = last.astimezone(local).replace(tzinfo=None)
    try:
        series = rrulestr(rule.to_ical().decode(), dtstart=start, ignoretz=True)
        until = series._until  # noqa: SLF001 - dateutil exposes no getter
        bounded = series.replace(until=min(until, end) if until else end)
    except (ValueError, TypeError) as exc:
        raise IcsError(
            f"La regla de repetición «{rule.to_ical().decode()[:120]}» no es válida."
        ) from exc
    return sum(1 for _ in islice(bounded, cap))


# --- mapping -------------------------------------------------------------------------


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _aware(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=_local_tz())
    if timezone.is_naive(value):  # floating time: the municipality's local time
        return value.replace(tzinfo=_local_tz())
    return value


def _recurrence_key(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return _aware(value).astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _occurrence(event, recurring: set[str], public_default: bool) -> Occurrence:
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
        recurrence_id=_recurrence_key(rid.dt) if uid in recurring and rid else "",
        title=str(event.get("SUMMARY", "")).strip()[:300] or "(sin título)",
        description=str(event.get("DESCRIPTION", "")),
        place=str(event.get("LOCATION", ""))[:300],
        starts_at=_aware(start),
        ends_at=_aware(end),
        all_day=all_day,
        # Without a CLASS line an event stays private unless the person chose
        # «públicas»: a private calendar must not land in the public feed.
        is_public=str(event.get("CLASS", "")).upper() == "PUBLIC"
        if "CLASS" in event
        else public_default,
        status=STATUS_FROM_ICS.get(status, ActivityStatus.CONFIRMADA),
        class_given="CLASS" in event,
    )


def _window(calendar: icalendar.Calendar) -> tuple[datetime, datetime]:
    """From the first DTSTART to PREGON_ICS_WINDOW_DAYS (a year) after the later of the
    last DTSTART and today: an endless RRULE is imported for the coming twelve months."""
    starts = [_aware(e.decoded("DTSTART")) for e in calendar.walk("VEVENT")]
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
    first, last = _window(calendar)
    recurring = {
        str(e.get("UID", ""))
        for e in calendar.walk("VEVENT")
        if any(key in e for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    found = []
    for event in recurring_ical_events.of(calendar).between(since or first, until or last):
        found.append(_occurrence(event, recurring, public_default))
        if len(found) > MAX_OCCURRENCES:
            raise IcsError(
                f"El archivo produce más de {MAX_OCCURRENCES} ocurrencias; "
                "indique un periodo más corto (--desde/--hasta)."
            )
    found.sort(key=lambda o: (o.starts_at, o.uid))
    return found


# --- planning and applying -----------------------------------------------------------


GONE_REASON = "Ya no está en el calendario importado."
RESTORED_REASON = "Volvió a aparecer en el calendario importado."
CANCELLED_REASON = "El calendario importado la marca como cancelada."


def _plan(occurrences: list[Occurrence]) -> list[Occurrence]:
    """Decide per occurrence: create, update, restore, cancel or nothing; occurrences
    that disappeared from a UID we import again (a new EXDATE) are cancelled."""
    uids = {o.uid for o in occurrences if o.uid}
    existing = {
        (a.ical_uid, a.ical_recurrence_id): a for a in Activity.objects.filter(ical_uid__in=uids)
    }
    cancelled_by_import = _cancelled_by_import([a.pk for a in existing.values()])
    for occ in occurrences:
        current = existing.pop((occ.uid, occ.recurrence_id), None) if occ.uid else None
        if current is None:
            continue
        occ.activity_id = current.pk
        if not occ.class_given:  # the file says nothing: keep what the person chose
            occ.is_public = current.is_public
        occ.action = _action_for(occ, current, current.pk in cancelled_by_import)
    gone = [a for a in existing.values() if a.status != ActivityStatus.CANCELADA]
    return occurrences + [_cancellation(a) for a in gone]


def _action_for(occ: Occurrence, current: Activity, cancelled_by_import: bool) -> str:
    if occ.status == ActivityStatus.CANCELADA and current.status != ActivityStatus.CANCELADA:
        return "cancelar"
    if cancelled_by_import and occ.status != ActivityStatus.CANCELADA:
        return "restaurar"  # an earlier import cancelled it; it is back in the file
    same = all(getattr(current, f) == getattr(occ, f) for f in SYNCED_FIELDS)
    return "sin cambios" if same else "actualizar"


def _cancelled_by_import(pks: list[int]) -> set[int]:
    """Cancelled activities whose latest change is an import's cancellation: a person
    who cancelled one by hand keeps it cancelled whatever the file says."""
    latest: dict[int, ActivityChange] = {}
    changes = ActivityChange.objects.filter(
        activity_id__in=pks, activity__status=ActivityStatus.CANCELADA
    ).order_by("activity_id", "-changed_at", "-id")
    for change in changes:
        latest.setdefault(change.activity_id, change)
    return {
        pk
        for pk, change in latest.items()
        if change.source == "ics" and change.to_status == ActivityStatus.CANCELADA
    }


def _cancellation(activity: Activity) -> Occurrence:
    occ = Occurrence(
        uid=activity.ical_uid,
        recurrence_id=activity.ical_recurrence_id,
        **{f: getattr(activity, f) for f in SYNCED_FIELDS},
        status=ActivityStatus.CANCELADA,
    )
    occ.action, occ.activity_id, occ.gone = "cancelar", activity.pk, True
    return occ


def _shown(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _diff(activity: Activity, occ: Occurrence) -> dict:
    return {
        f: [_shown(getattr(activity, f)), _shown(getattr(occ, f))]
        for f in SYNCED_FIELDS
        if getattr(activity, f) != getattr(occ, f)
    }


def _record(activity: Activity, occ: Occurrence, user, to_status: str, reason: str) -> None:
    """History row for an import: who, when (auto), what changed and why."""
    moved = (activity.starts_at, activity.ends_at) != (occ.starts_at, occ.ends_at)
    ActivityChange.objects.create(
        activity=activity,
        from_status=activity.status,
        to_status=to_status,
        old_starts_at=activity.starts_at if moved else None,
        old_ends_at=activity.ends_at if moved else None,
        reason=reason,
        changed_fields=_diff(activity, occ),
        source="ics",
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _update(occ: Occurrence, user, status: str, reason: str) -> Activity:
    activity = Activity.objects.get(pk=occ.activity_id)
    _record(activity, occ, user, status, reason)
    values = {f: getattr(occ, f) for f in SYNCED_FIELDS}
    Activity.objects.filter(pk=occ.activity_id).update(
        **values, status=status, updated_at=timezone.now()
    )
    activity.refresh_from_db()
    return activity


def _cancel(occ: Occurrence, user) -> None:
    activity = Activity.objects.get(pk=occ.activity_id)
    reason = GONE_REASON if occ.gone else CANCELLED_REASON
    _record(activity, occ, user, ActivityStatus.CANCELADA, reason)
    Activity.objects.filter(pk=activity.pk).update(
        status=ActivityStatus.CANCELADA, updated_at=timezone.now()
    )
    activity.coverage.exclude(status=CoverageStatus.CUBIERTA).update(
        status=CoverageStatus.CANCELADA
    )


def _apply(occurrences: list[Occurrence], area: Area, user) -> list[Activity]:
    touched, new = [], []
    for occ in occurrences:
        if occ.action == "sin cambios":
            continue
        if occ.action == "cancelar":
            _cancel(occ, user)
        elif occ.action == "restaurar":
            touched.append(_update(occ, user, ActivityStatus.CONFIRMADA, RESTORED_REASON))
        elif occ.action == "actualizar":
            current = Activity.objects.only("status").get(pk=occ.activity_id)
            touched.append(_update(occ, user, current.status, "Actualizada por importación."))
        else:
            new.append(occ)
    return touched + _create_all(new, area, user)


def _create_all(new: list[Occurrence], area: Area, user) -> list[Activity]:
    """One INSERT per batch: a five-year calendar has thousands of occurrences."""
    creator = user if getattr(user, "is_authenticated", False) else None
    rows = [
        Activity(
            **{f: getattr(occ, f) for f in SYNCED_FIELDS},
            area=area,
            status=occ.status,
            ical_uid=occ.uid,
            ical_recurrence_id=occ.recurrence_id,
            created_by=creator,
        )
        for occ in new
    ]
    created = Activity.objects.bulk_create(rows, batch_size=500)
    if created and created[0].pk is None:  # a backend that does not return ids
        keys = [(o.uid, o.recurrence_id) for o in new]
        found = {
            (a.ical_uid, a.ical_recurrence_id): a
            for a in Activity.objects.filter(ical_uid__in={k[0] for k in keys})
        }
        created = [found[k] for k in keys]
    for occ, activity in zip(new, created, strict=True):
        occ.activity_id = activity.pk
    return created


def import_ics(
    data: bytes,
    area: Area,
    user=None,
    dry_run: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
    public_default: bool = False,
    source: str = "",
) -> ImportResult:
    """Preview (dry_run) or import a calendar file. All or nothing. Events without a
    CLASS line are private unless `public_default`."""
    from pregon.agenda import services

    calendar = parse_calendar(data)
    check_series(data, calendar, until)
    occurrences = _plan(expand(calendar, since, until, public_default))
    result = ImportResult(occurrences=occurrences, dry_run=dry_run)
    if dry_run:
        return result
    with transaction.atomic():
        _remember(calendar, str(calendar.get("X-WR-CALNAME", "")).strip() or source)
        touched = _apply(occurrences, area, user)
        services.rescore(touched)
        services.audit_import(area, user, result.summary())
    return result


# --- remembering the source ----------------------------------------------------------


def _remember(calendar: icalendar.Calendar, source: str) -> None:
    """Keep each UID's calendar name and, for a series, its master VEVENT."""
    masters: dict[str, str] = {}
    uids: set[str] = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        if not uid:
            continue
        uids.add(uid)
        if "RECURRENCE-ID" not in event and any(k in event for k in ("RRULE", "RDATE")):
            masters[uid] = event.to_ical().decode()
    for uid in uids:
        ImportedCalendarEvent.objects.update_or_create(
            uid=uid[:255], defaults={"source": source[:200], "master": masters.get(uid, "")}
        )


# --- export --------------------------------------------------------------------------


def export_uid(activity: Activity) -> str:
    if activity.ical_uid and not activity.ical_recurrence_id:
        return activity.ical_uid
    return f"actividad-{activity.pk}@pregon.chapultepec"


def _times(event: icalendar.Event, activity: Activity) -> None:
    local = _local_tz()
    if activity.all_day:
        event.add("DTSTART", activity.starts_at.astimezone(local).date())
        event.add("DTEND", activity.ends_at.astimezone(local).date())
    else:
        event.add("DTSTART", activity.starts_at.astimezone(local))
        event.add("DTEND", activity.ends_at.astimezone(local))


def _describe(
    event: icalendar.Event, activity: Activity, stamp: datetime | None, source: str
) -> None:
    event.add("DTSTAMP", stamp or activity.updated_at)
    event.add("SUMMARY", activity.title)
    _times(event, activity)
    if activity.description:
        event.add("DESCRIPTION", activity.description)
    if activity.place:
        event.add("LOCATION", activity.place)
    event.add("CLASS", "PUBLIC" if activity.is_public else "PRIVATE")
    event.add("STATUS", ICS_STATUS.get(activity.status, "CONFIRMED"))
    event.add("CATEGORIES", [activity.get_type_display()])
    event.add("LAST-MODIFIED", activity.updated_at)
    if source:
        event.add("X-PREGON-SOURCE-CALENDAR", source)


ICS_STATUS = {"cancelada": "CANCELLED", "propuesta": "TENTATIVE"}


def _event(activity: Activity, stamp: datetime | None, source: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", export_uid(activity))
    _describe(event, activity, stamp, source)
    return event


def _override(activity: Activity, stamp: datetime | None, source: str) -> icalendar.Event:
    """One occurrence of a series as Pregón holds it, tied to the series by
    RECURRENCE-ID (RFC 5545 §3.8.4.4)."""
    event = icalendar.Event()
    event.add("UID", activity.ical_uid)
    rid = activity.ical_recurrence_id
    if len(rid) == 8:
        event.add("RECURRENCE-ID", datetime.strptime(rid, "%Y%m%d").date())
    else:
        moment = datetime.strptime(rid, "%Y%m%dT%H%M%SZ").replace(tzinfo=ZoneInfo("UTC"))
        event.add("RECURRENCE-ID", moment.astimezone(_local_tz()))
    _describe(event, activity, stamp, source)
    return event


def _series_events(
    imported: ImportedCalendarEvent, members: list[Activity], stamp: datetime | None
) -> list[icalendar.Event]:
    """The master VEVENT as imported (RRULE, RDATE, EXDATE), with an EXDATE for each
    occurrence inside the imported span that is not exported (deleted in Pregón or
    not in this feed), plus an override for each occurrence Pregón holds differently."""
    master = icalendar.Event.from_ical(imported.master)
    public = sum(a.is_public for a in members) * 2 >= len(members)  # most occurrences
    master.pop("CLASS", None)
    master.add("CLASS", "PUBLIC" if public else "PRIVATE")
    generated = _generated(master, members)
    held = {a.ical_recurrence_id: a for a in members}
    events = []
    for activity in members:
        expected = generated.get(activity.ical_recurrence_id)
        if expected is None or not _same(activity, expected):
            events.append(_override(activity, stamp, imported.source))
    first, last = min(held), max(held)
    dropped = [g for key, g in generated.items() if key not in held and first <= key <= last]
    master.pop("DTSTAMP", None)
    master.add("DTSTAMP", stamp or max(a.updated_at for a in members))
    for occurrence in dropped:
        master.add(
            "EXDATE", occurrence.decoded("RECURRENCE-ID", None) or occurrence.decoded("DTSTART")
        )
    if imported.source:
        master.add("X-PREGON-SOURCE-CALENDAR", imported.source)
    return [master, *events]


def _generated(master: icalendar.Event, members: list[Activity]) -> dict[str, icalendar.Event]:
    """The master's own occurrences across the members' span, by recurrence key."""
    calendar = icalendar.Calendar()
    calendar.add_component(master)
    start = min(a.starts_at for a in members) - timedelta(days=2)
    end = max(a.starts_at for a in members) + timedelta(days=2)
    found = {}
    for event in recurring_ical_events.of(calendar).between(start, end):
        rid = event.get("RECURRENCE-ID")
        key = _recurrence_key(rid.dt if rid else event.decoded("DTSTART"))
        found[key] = event
    return found


def _same(activity: Activity, generated: icalendar.Event) -> bool:
    occ = _occurrence(generated, set(), False)
    status = STATUS_FROM_ICS.get(str(generated.get("STATUS", "CONFIRMED")).upper())
    return all(getattr(activity, f) == getattr(occ, f) for f in SYNCED_FIELDS) and (
        activity.status == (status or ActivityStatus.CONFIRMADA)
    )


def export_ics(activities, name: str, *, stamp_with_revision: bool = False) -> bytes:
    """`stamp_with_revision`: DTSTAMP is each event's last revision (RFC 5545 3.8.7.2,
    calendars without METHOD), so an unchanged agenda gives the same bytes (and ETag)."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Pregón//Agenda Chapultepec//ES")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    stamp = None if stamp_with_revision else timezone.now()
    activities = list(activities)
    imported = {
        i.uid: i
        for i in ImportedCalendarEvent.objects.filter(
            uid__in={a.ical_uid for a in activities if a.ical_uid}
        )
    }
    series: dict[str, list[Activity]] = {}
    for activity in activities:
        known = imported.get(activity.ical_uid)
        if known and known.master and activity.ical_recurrence_id:
            series.setdefault(activity.ical_uid, []).append(activity)
        else:
            calendar.add_component(_event(activity, stamp, known.source if known else ""))
    for uid, members in series.items():
        for event in _series_events(imported[uid], members, stamp):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
