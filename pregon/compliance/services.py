"""Writes: the compliance event log (mirrored into the audit log) and rule edits."""

from datetime import datetime

from django.db import models, transaction

from pregon.accounts.models import User
from pregon.compliance.models import ComplianceEvent, EventKind
from pregon.compliance.verdict import BLOCK, OK, Verdict
from pregon.core.audit import log_action


def record_event(
    kind: str,
    *,
    app_label: str,
    object_id: object,
    object_label: str,
    rule: str,
    message: str,
    user: User | None = None,
    item_date: datetime | None = None,
) -> ComplianceEvent:
    """Log what a rule did (blocked/flagged/exempted/overridden) and mirror it
    into the audit log as `compliance.<kind>`."""
    event = ComplianceEvent.objects.create(
        kind=EventKind(kind),
        app_label=app_label,
        object_id=str(object_id or ""),
        object_label=str(object_label)[:300],
        rule=rule,
        message=message,
        item_date=item_date,
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    log_action(
        event,
        f"compliance.{kind}",
        user=user,
        data={"app": app_label, "object_id": event.object_id, "rule": rule, "message": message},
    )
    return event


def record_verdict(
    verdict: Verdict,
    *,
    app_label: str,
    object_id: object,
    object_label: str,
    user: User | None = None,
    item_date: datetime | None = None,
    overridden: bool = False,
) -> list[ComplianceEvent]:
    """One event per rule that blocked or flagged ("overridden" instead when a
    person with authority went ahead anyway), plus one per exemption used."""
    events = []
    with transaction.atomic():
        for rule, level, message in verdict.entries():
            kind = _event_kind(rule, level, overridden)
            if kind is None:
                continue
            events.append(
                record_event(
                    kind,
                    app_label=app_label,
                    object_id=object_id,
                    object_label=object_label,
                    rule=rule,
                    message=message,
                    user=user,
                    item_date=item_date,
                )
            )
    return events


def _event_kind(rule: str, level: str, overridden: bool) -> str | None:
    if level == OK:
        # An exempt category in a veda, or a video going without subtitles for a
        # stated reason: both are recorded with their reason.
        return EventKind.EXEMPTED if rule in ("veda_exenta", "subtitulos") else None
    if overridden:
        return EventKind.OVERRIDDEN
    return EventKind.BLOCKED if level == BLOCK else EventKind.FLAGGED


def save_rule(obj: models.Model, *, user: User, created: bool) -> models.Model:
    """Save a rule record edited by Coordinación and audit the change."""
    obj.save()
    verb = "created" if created else "changed"
    log_action(obj, f"compliance.{obj._meta.model_name}_{verb}", user=user)
    return obj


def delete_rule(obj: models.Model, *, user: User) -> None:
    log_action(obj, f"compliance.{obj._meta.model_name}_deleted", user=user)
    obj.delete()
