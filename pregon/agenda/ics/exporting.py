"""Exporting activities as iCalendar: plain events, and series imported from another
calendar written back as their master VEVENT with EXDATEs and overrides."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils import timezone

from pregon.agenda.ics.occurrences import (
    STATUS_FROM_ICS,
    SYNCED_FIELDS,
    local_tz,
    recurrence_key,
    to_occurrence,
)
from pregon.agenda.models import Activity, ActivityStatus, ImportedCalendarEvent

ICS_STATUS = {"cancelada": "CANCELLED", "propuesta": "TENTATIVE"}


def export_uid(activity: Activity) -> str:
    if activity.ical_uid and not activity.ical_recurrence_id:
        return activity.ical_uid
    return f"actividad-{activity.pk}@pregon.chapultepec"


def _times(event: icalendar.Event, activity: Activity) -> None:
    local = local_tz()
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
        event.add("RECURRENCE-ID", moment.astimezone(local_tz()))
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
        key = recurrence_key(rid.dt if rid else event.decoded("DTSTART"))
        found[key] = event
    return found


def _same(activity: Activity, generated: icalendar.Event) -> bool:
    occ = to_occurrence(generated, set(), False)
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
