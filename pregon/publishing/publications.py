"""A publication's statuses and the one table of what may be done in each.

The workflow (services/workflow.py) asks `require()` before acting and writes a change
of status with `move()`, on the row it has locked (SELECT … FOR UPDATE), so the check
and the write cannot be overtaken. Once scheduled, the status follows its deliveries
(deliveries.py): settled when none is open, reopened when a person resends one.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from pregon.core.audit import log_action
from pregon.publishing.models import EDITABLE_STATUSES, Publication, PublicationStatus

S = PublicationStatus
EVERY_STATUS: tuple[str, ...] = tuple(S.values)


@dataclass(frozen=True)
class Step:
    name: str
    verb: str  # what a person tried, in the refusal: «No se puede <verb> una publicación…»
    sources: tuple[str, ...]
    target: str = ""  # "" when the status stays (an edit, a new date)
    audit: str = ""


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("edit", "editar", EDITABLE_STATUSES),
        Step("move_date", "mover", (S.BORRADOR, S.EN_REVISION, S.APROBADA)),
        Step("submit", "enviar a revisión", (S.BORRADOR,), S.EN_REVISION, "publishing.submitted"),
        Step("approve", "aprobar", (S.EN_REVISION,), S.APROBADA, "publishing.approved"),
        # From programada: a new date for it and its deliveries (services._reschedule).
        Step(
            "schedule",
            "programar",
            (S.APROBADA, S.PROGRAMADA),
            S.PROGRAMADA,
            "publishing.scheduled",
        ),
        # Its content changed after approval: its open deliveries are cancelled.
        Step(
            "back_to_review",
            "regresar a revisión",
            (S.APROBADA, S.PROGRAMADA),
            S.EN_REVISION,
            "publishing.back_to_review",
        ),
        Step("cancel", "cancelar", EDITABLE_STATUSES, S.CANCELADA, "publishing.cancelled"),
        # Following its deliveries (deliveries.publication_settle): a cancelled one
        # stays cancelled; a delivery being sent when the publication went back to
        # review still settles it.
        Step(
            "published",
            "dar por publicada",
            tuple(s for s in EVERY_STATUS if s not in (S.PUBLICADA, S.CANCELADA)),
            S.PUBLICADA,
            "publishing.published",
        ),
        Step(
            "failed",
            "dar por fallida",
            tuple(s for s in EVERY_STATUS if s not in (S.FALLIDA, S.CANCELADA)),
            S.FALLIDA,
            "publishing.failed",
        ),
        # A person resends a delivery (deliveries «resend»): whatever the status was.
        Step("reopen", "reabrir", EVERY_STATUS, S.PROGRAMADA),
    )
}


def allows(publication: Publication, name: str) -> bool:
    return publication.status in STEPS[name].sources


def require(publication: Publication, name: str) -> Step:
    """The step, or a ValidationError a person can read."""
    step = STEPS[name]
    if publication.status not in step.sources:
        status = publication.get_status_display()
        raise ValidationError(f"No se puede {step.verb} una publicación en estado «{status}».")
    return step


def move(
    publication: Publication,
    name: str,
    *,
    user: object = None,
    data: dict | None = None,
    fields: tuple[str, ...] = (),
) -> Publication:
    """Write the step's status (and `fields`, already set on the instance) on a row
    the caller has locked, and its audit entry."""
    step = require(publication, name)
    publication.status = step.target
    publication.save(update_fields=["status", *fields, "updated_at"])
    if step.audit:
        log_action(publication, step.audit, user=user, data=data)
    return publication
