"""Importing occurrences into the agenda: plan (create, update, restore, cancel or
nothing), then apply all of it in one transaction with a history row per change."""

from datetime import datetime

import icalendar
from django.db import transaction
from django.utils import timezone

from pregon.accounts.models import Area
from pregon.agenda import services
from pregon.agenda.ics.occurrences import SYNCED_FIELDS, ImportResult, Occurrence, expand
from pregon.agenda.ics.reading import check_series, parse_calendar
from pregon.agenda.models import (
    Activity,
    ActivityChange,
    ActivityStatus,
    CoverageAssignment,
    CoverageStatus,
    ImportedCalendarEvent,
)
from pregon.core import versions

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
    versions.rows_updated(Activity)  # an UPDATE sends no signal
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
    versions.rows_updated(Activity)
    versions.rows_updated(CoverageAssignment)


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
    versions.rows_updated(Activity)  # bulk_create sends no signal (spans, pages, feed)
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
