"""Writes: activities, their status history, priority scores and coverage."""

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import Area, User
from pregon.agenda import priority
from pregon.agenda.models import (
    Activity,
    ActivityChange,
    ActivityStatus,
    Campaign,
    CoverageAssignment,
    CoverageKind,
    CoverageStatus,
    PriorityRuleSet,
    Tier,
)
from pregon.core import versions
from pregon.core.audit import log_action

AREA_DENIED = "Solo puede registrar actividades de su propia área."
RESCHEDULABLE = (ActivityStatus.CONFIRMADA, ActivityStatus.REPROGRAMADA)


# --- priority ------------------------------------------------------------------------


def active_rule_set() -> PriorityRuleSet | None:
    return PriorityRuleSet.objects.filter(is_active=True).prefetch_related("rules").first()


def _month(value: datetime) -> tuple[int, int]:
    local = timezone.localtime(value)
    return local.year, local.month


def _first_of_kind(activities: list[Activity]) -> set[int]:
    """Ids of activities that are the first of their type in their (local) month."""
    if not activities:
        return set()
    types = {a.type for a in activities}
    start = min(a.starts_at for a in activities).replace(day=1) - timedelta(days=1)
    end = max(a.starts_at for a in activities) + timedelta(days=32)
    firsts: dict[tuple, int] = {}
    candidates = (
        Activity.objects.active()
        .filter(type__in=types, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
        .values_list("pk", "type", "starts_at")
    )
    for pk, kind, starts_at in candidates:
        firsts.setdefault((kind, *_month(starts_at)), pk)
    return set(firsts.values())


def rescore(activities: Iterable[Activity]) -> None:
    activities = [a for a in activities if a.pk]
    rule_set = active_rule_set()
    if rule_set is None or not activities:
        return
    rules = list(rule_set.rules.all())
    novel = _first_of_kind(activities)
    for activity in activities:
        total, terms = priority.score(activity, rules, activity.pk in novel)
        activity.priority_score = total
        activity.priority_tier = priority.tier_for(total, rule_set.tier_a_min, rule_set.tier_b_min)
        activity.priority_terms = [{"label": t.label, "points": t.points} for t in terms]
    # One UPDATE per distinct result (few: scores repeat), only the score columns since
    # other fields of these instances may be stale.
    groups: dict[str, list[int]] = {}
    for activity in activities:
        key = json.dumps([activity.priority_score, activity.priority_tier, activity.priority_terms])
        groups.setdefault(key, []).append(activity.pk)
    for key, pks in groups.items():
        total, tier, terms = json.loads(key)
        for start in range(0, len(pks), 500):
            Activity.objects.filter(pk__in=pks[start : start + 500]).update(
                priority_score=total, priority_tier=tier, priority_terms=terms
            )
    versions.rows_updated(Activity)  # an UPDATE sends no signal


def rescore_month(activity: Activity) -> None:
    """Novelty depends on the neighbours: rescore the same type in the same month,
    reading the saved rows, then refresh `activity`'s own score."""
    rescore_neighbours(activity.type, activity.starts_at)
    fresh = Activity.objects.filter(pk=activity.pk).values(
        "priority_score", "priority_tier", "priority_terms"
    )
    for name, value in (fresh.first() or {}).items():
        setattr(activity, name, value)


def rescore_neighbours(kind: str, when: datetime) -> None:
    local = timezone.localtime(when)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    after = (first + timedelta(days=32)).replace(day=1)
    same = Activity.objects.select_related("area").filter(
        type=kind, starts_at__gte=first, starts_at__lt=after
    )
    rescore(list(same))


def rescore_all() -> int:
    activities = list(Activity.objects.select_related("area"))
    rescore(activities)
    return len(activities)


def rules_saved(rule_set: PriorityRuleSet, user: User) -> int:
    count = rescore_all()
    log_action(rule_set, "agenda.rules_changed", user=user, data={"rescored": count})
    return count


def override_priority(*, activity: Activity, tier: str, reason: str, user: User) -> Activity:
    access.check(user, "agenda.override_priority")
    if tier and tier not in Tier.values:
        raise ValidationError({"tier": "Nivel desconocido; use A, B o C."})
    if not reason.strip():
        raise ValidationError({"reason": "Indique el motivo del ajuste de prioridad."})
    before = activity.tier
    activity.priority_override = tier
    activity.priority_override_reason = reason.strip()
    activity.save(update_fields=["priority_override", "priority_override_reason", "updated_at"])
    log_action(
        activity,
        "agenda.priority_overridden",
        user=user,
        data={"from": before, "to": activity.tier, "reason": reason.strip()},
    )
    return activity


# --- activities ----------------------------------------------------------------------


def _check_area(user: User, area: Area) -> None:
    if not access.can_act_for_area(user, area.pk):
        raise PermissionDenied(AREA_DENIED)


def _validate_dates(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise ValidationError({"ends_at": "El fin no puede ser anterior al inicio."})


@transaction.atomic
def activity_create(*, user: User, **fields: Any) -> Activity:
    access.check(user, "agenda.add_activity")
    _check_area(user, fields["area"])
    _validate_dates(fields["starts_at"], fields["ends_at"])
    activity = Activity(**fields, created_by=user)
    activity.full_clean(exclude=["priority_terms"])
    activity.save()
    rescore_month(activity)
    log_action(
        activity, "agenda.activity_created", user=user, data={"area": activity.area.short_name}
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, user: User, reason: str = "", **fields: Any) -> Activity:
    """Update fields; moving a confirmed activity records it as *reprogramada*."""
    access.check(user, "agenda.change_activity")
    _check_area(user, activity.area)
    if "area" in fields:
        _check_area(user, fields["area"])
    old = Activity.objects.get(pk=activity.pk)
    for name, value in fields.items():
        setattr(activity, name, value)
    _validate_dates(activity.starts_at, activity.ends_at)
    moved = (old.starts_at, old.ends_at) != (activity.starts_at, activity.ends_at)
    if moved and old.status in RESCHEDULABLE:
        activity.status = ActivityStatus.REPROGRAMADA
    activity.full_clean(exclude=["priority_terms"])
    activity.save()
    if moved or old.status != activity.status:
        _record_change(old, activity, user, reason)
    rescore_month(activity)
    if (old.type, _month(old.starts_at)) != (activity.type, _month(activity.starts_at)):
        rescore_neighbours(old.type, old.starts_at)  # the old month's first may change
    log_action(activity, "agenda.activity_updated", user=user, data={"fields": sorted(fields)})
    return activity


def _record_change(old: Activity, new: Activity, user: User | None, reason: str) -> ActivityChange:
    moved = (old.starts_at, old.ends_at) != (new.starts_at, new.ends_at)
    return ActivityChange.objects.create(
        activity=new,
        from_status=old.status,
        to_status=new.status,
        old_starts_at=old.starts_at if moved else None,
        old_ends_at=old.ends_at if moved else None,
        reason=reason,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def change_status(activity: Activity, status: str, user: User, reason: str = "") -> Activity:
    if status not in ActivityStatus.values:
        raise ValidationError({"status": "Estado desconocido."})
    old = Activity.objects.get(pk=activity.pk)
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    _record_change(old, activity, user, reason)
    if status == ActivityStatus.CANCELADA:
        activity.coverage.exclude(status=CoverageStatus.CUBIERTA).update(
            status=CoverageStatus.CANCELADA
        )
        versions.rows_updated(CoverageAssignment)
    log_action(
        activity, "agenda.status_changed", user=user, data={"from": old.status, "to": status}
    )
    return activity


def audit_import(area: Area, user: User | None, summary: dict) -> None:
    log_action(area, "agenda.ics_imported", user=user, data=summary)


# --- campaigns -----------------------------------------------------------------------

CAMPAIGN_FIELDS = ("name", "description", "starts_on", "ends_on")


def _validate_campaign(campaign: Campaign) -> None:
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": "La fecha de fin no puede ser anterior a la de inicio."})
    campaign.full_clean()


@transaction.atomic
def campaign_create(*, user: User, **fields: Any) -> Campaign:
    access.check(user, "agenda.add_campaign")
    campaign = Campaign(**{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    _validate_campaign(campaign)
    campaign.save()
    log_action(campaign, "agenda.campaign_created", user=user, data={"name": campaign.name})
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user: User, **fields: Any) -> Campaign:
    access.check(user, "agenda.change_campaign")
    changed = {k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS}
    for name, value in changed.items():
        setattr(campaign, name, value)
    _validate_campaign(campaign)
    campaign.save()
    log_action(campaign, "agenda.campaign_updated", user=user, data={"fields": sorted(changed)})
    return campaign


# --- coverage ------------------------------------------------------------------------


def default_kinds(activity: Activity) -> list[str]:
    """What the tier suggests: A full coverage, B photo and writing, C nothing."""
    if activity.tier == Tier.A:
        kinds: list[str] = [CoverageKind.FOTOGRAFIA, CoverageKind.VIDEO, CoverageKind.REDACCION]
        if activity.is_cabildo:
            kinds.append(CoverageKind.TRANSMISION)
        return kinds
    if activity.tier == Tier.B:
        return [CoverageKind.FOTOGRAFIA, CoverageKind.REDACCION]
    return []


@transaction.atomic
def coverage_request(
    *, activity: Activity, user: User, kinds: list[str] | None = None
) -> list[CoverageAssignment]:
    """An Enlace (or Coordinación) asks for coverage: planned assignments, no person yet."""
    access.check(user, "agenda.request_coverage")
    _check_area(user, activity.area)
    wanted = kinds if kinds is not None else default_kinds(activity)
    have = set(
        activity.coverage.exclude(status=CoverageStatus.CANCELADA).values_list("kind", flat=True)
    )
    created = [
        CoverageAssignment.objects.create(activity=activity, kind=kind)
        for kind in wanted
        if kind in CoverageKind.values and kind not in have
    ]
    log_action(
        activity, "agenda.coverage_requested", user=user, data={"kinds": [c.kind for c in created]}
    )
    return created


def travel_margin() -> timedelta:
    return timedelta(minutes=settings.PREGON_COVERAGE_TRAVEL_MARGIN_MINUTES)


def conflicts_for(
    assignee: User | None, activity: Activity, exclude_pk: int | None = None
) -> list[CoverageAssignment]:
    """Assignments of `assignee` whose activity overlaps this one, margin included."""
    if assignee is None:
        return []
    margin = travel_margin()
    found = (
        CoverageAssignment.objects.select_related("activity")
        .filter(assignee=assignee)
        .exclude(status=CoverageStatus.CANCELADA)
        .exclude(activity=activity)
        .filter(
            activity__starts_at__lt=activity.ends_at + margin,
            activity__ends_at__gt=activity.starts_at - margin,
        )
        .exclude(activity__status=ActivityStatus.CANCELADA)
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return list(found)


@transaction.atomic
def coverage_assign(
    *,
    activity: Activity,
    kind: str,
    assignee: User | None,
    user: User,
    notes: str = "",
    assignment: CoverageAssignment | None = None,
) -> tuple[CoverageAssignment, list[CoverageAssignment]]:
    """Create or update an assignment; returns it with the overlaps to warn about."""
    access.check(user, "agenda.change_coverageassignment")
    if kind not in CoverageKind.values:
        raise ValidationError({"kind": "Tipo de cobertura desconocido."})
    assignment = assignment or _open_slot(activity, kind) or CoverageAssignment(activity=activity)
    assignment.kind, assignment.assignee, assignment.notes = kind, assignee, notes
    if assignee and assignment.status == CoverageStatus.PLANEADA:
        assignment.status = CoverageStatus.ASIGNADA
    assignment.save()
    conflicts = conflicts_for(assignee, activity, exclude_pk=assignment.pk)
    log_action(
        assignment,
        "agenda.coverage_assigned",
        user=user,
        data={
            "assignee": getattr(assignee, "username", None),
            "conflicts": [c.pk for c in conflicts],
        },
    )
    return assignment, conflicts


def _open_slot(activity: Activity, kind: str) -> CoverageAssignment | None:
    """A requested (planned, nobody yet) assignment of this kind is filled, not doubled."""
    return (
        activity.coverage.filter(kind=kind, assignee=None, status=CoverageStatus.PLANEADA)
        .order_by("pk")
        .first()
    )


def coverage_mark_covered(
    *, assignment: CoverageAssignment, user: User, notes: str = ""
) -> CoverageAssignment:
    """Only the assignee or someone who manages coverage may close it."""
    access.check(user, "agenda.mark_covered")
    manages = access.can(user, "agenda.change_coverageassignment")
    if not manages and assignment.assignee_id != user.pk:
        raise PermissionDenied("Solo la persona asignada puede marcar esta cobertura.")
    assignment.status = CoverageStatus.CUBIERTA
    if notes:
        assignment.notes = f"{assignment.notes}\n{notes}".strip()
    assignment.save(update_fields=["status", "notes", "updated_at"])
    log_action(assignment, "agenda.coverage_covered", user=user)
    return assignment


def coverage_cancel(*, assignment: CoverageAssignment, user: User) -> CoverageAssignment:
    access.check(user, "agenda.change_coverageassignment")
    assignment.status = CoverageStatus.CANCELADA
    assignment.save(update_fields=["status", "updated_at"])
    log_action(assignment, "agenda.coverage_cancelled", user=user)
    return assignment
