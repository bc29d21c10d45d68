"""A delivery's statuses and the one table of moves between them.

Every change of `Delivery.status` goes through `transition()` (or `claim()` and the
publication-wide moves built on the same writer): one conditional UPDATE limited to the
move's source statuses, and for the engine to the worker that holds the claim, so two
processes can never both move the same row. The audit entry is written when, and only
when, the row changed; a move that closes a delivery settles its publication in the
same transaction.

Two kinds of «no»:
- `IllegalTransition`: the move is not in the table from the status the caller read
  (a bug, or a page that was out of date). It is a ValidationError, so a person reads
  the table's message for that move.
- `False` from `transition()`: the move was allowed, but another process changed the
  row first (a lost race). The engine takes it as «not mine any more»; `by_person()`
  turns it into the same refusal a person would read.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from pregon.core import versions
from pregon.core.audit import log_action
from pregon.publishing import publications
from pregon.publishing.models import Delivery, DeliveryStatus, Publication, PublicationStatus

D = DeliveryStatus

# Open: the engine or a person still has to act. Closed: the publication may settle.
OPEN_DELIVERY_STATUSES = (D.PENDIENTE, D.ENVIANDO, D.INCIERTA, D.RETENIDA)
CLOSED_DELIVERY_STATUSES = (D.PUBLICADA, D.FALLIDA, D.CANCELADA)

SETTLE = "settle"  # the publication becomes publicada / fallida once no delivery is open
REOPEN = "reopen"  # the publication is programada again (a delivery will be sent)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    audit: str = ""  # verb on the delivery; "" where another record tells (see the table)
    publication: str = ""  # SETTLE or REOPEN, in the same transaction as the move
    refusal: str = ""  # what a person reads when the move is not (or no longer) possible


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        # --- the engine. From «enviando» on, one worker holds the claim; the moves
        # marked «claimant» only change a row that worker still holds.
        # Claimed by one worker (its DeliveryAttempt rows record what it did).
        Transition("claim", (D.PENDIENTE,), D.ENVIANDO),
        # Claimant: nothing was sent (account or publication changed since the list).
        Transition("unclaim", (D.ENVIANDO,), D.PENDIENTE),
        # Claimant: retry later, wait for reconnection, or a manual channel's person.
        Transition("requeue", (D.ENVIANDO,), D.PENDIENTE),
        # Claimant: the network is still processing (Instagram containers).
        Transition("park", (D.ENVIANDO,), D.PENDIENTE),
        # Claimant: a veda stops it until it ends.
        Transition("hold", (D.ENVIANDO,), D.RETENIDA, "publishing.delivery_held"),
        Transition("release", (D.RETENIDA,), D.PENDIENTE, "publishing.delivery_released"),
        # Also from «incierta»: if a stale-claim sweep overtook a slow call, the
        # network's answer is still the truth.
        Transition(
            "publish",
            (D.ENVIANDO, D.INCIERTA),
            D.PUBLICADA,
            "publishing.delivery_published",
            SETTLE,
        ),
        Transition(
            "fail", (D.ENVIANDO, D.INCIERTA), D.FALLIDA, "publishing.delivery_failed", SETTLE
        ),
        Transition("uncertain", (D.ENVIANDO,), D.INCIERTA, "publishing.delivery_uncertain"),
        # A dead worker's claim (its lease ran out), only if nobody renewed it meanwhile.
        Transition("stale", (D.ENVIANDO,), D.INCIERTA, "publishing.delivery_stale"),
        # The network says it is not there (its NOT_FOUND attempt records it): resend.
        Transition("absent", (D.INCIERTA,), D.PENDIENTE),
        # --- people (Coordinación), by hand
        Transition(
            "mark_published",
            (D.PENDIENTE, D.INCIERTA, D.FALLIDA),
            D.PUBLICADA,
            "publishing.delivery_marked_published",
            SETTLE,
            "Este envío ya no se puede marcar: otro proceso lo cambió.",
        ),
        # The only way an uncertain delivery is ever sent again.
        Transition(
            "resend",
            (D.INCIERTA, D.FALLIDA),
            D.PENDIENTE,
            "publishing.delivery_retried",
            REOPEN,
            "Solo se reintentan envíos inciertos o fallidos.",
        ),
        Transition(
            "give_up",
            (D.INCIERTA, D.PENDIENTE, D.RETENIDA),
            D.FALLIDA,
            "publishing.delivery_given_up",
            SETTLE,
            "Este envío ya no se puede cerrar.",
        ),
        # --- the publication's workflow, for all its deliveries nobody has taken (the
        # publication's own entry says how many).
        Transition("cancel", (D.PENDIENTE, D.RETENIDA), D.CANCELADA),
        # A new date; a held one moves too (the new date passed the compliance check).
        Transition("move", (D.PENDIENTE, D.RETENIDA), D.PENDIENTE),
    )
}

# Every (from, to) pair some move allows; any other pair is illegal.
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    (source, t.target) for t in TRANSITIONS.values() for source in t.sources
)


class IllegalTransition(ValidationError):
    def __init__(self, status: str, name: str) -> None:
        step = TRANSITIONS.get(name)
        if step and step.refusal:
            message = step.refusal
        else:
            label = D(status).label.lower() if status in D.values else status
            target = D(step.target).label.lower() if step else "?"
            message = f"Un envío {label} no puede pasar a {target} ({name})."
        super().__init__(message)
        self.status, self.name = status, name


def transition(
    delivery: Delivery,
    name: str,
    *,
    worker: str = "",
    where: Q | None = None,
    user: object = None,
    data: dict | None = None,
    **fields: object,
) -> bool:
    """Move `delivery` by the table's move `name`, writing `fields` with the status.
    `worker`: only if that worker still holds the claim; `where`: any further condition
    on the row. Raises IllegalTransition if the status the caller read is not a source;
    False if another process changed the row first. The instance is not changed."""
    step = TRANSITIONS.get(name)
    if step is None or delivery.status not in step.sources:
        raise IllegalTransition(delivery.status, name)
    rows = Delivery.objects.filter(pk=delivery.pk)
    if worker:
        rows = rows.filter(claimed_by=worker)
    if where is not None:
        rows = rows.filter(where)
    if not step.publication:
        return _moved(delivery, step, rows, user, data, fields)
    with transaction.atomic(savepoint=False):  # the delivery and its publication together
        moved = _moved(delivery, step, rows, user, data, fields)
        if moved:
            _follow(delivery, step)
    return moved


def by_person(
    delivery: Delivery, name: str, *, user: object, data: dict | None = None, **fields: Any
) -> None:
    """A person's move: a lost race is refused with the table's message. `data` goes
    to the audit log, `fields` (any column's value) are written with the status."""
    if not transition(delivery, name, user=user, data=data, **fields):
        raise IllegalTransition(delivery.status, name)


def _moved(
    delivery: Delivery,
    step: Transition,
    rows: QuerySet,
    user: object,
    data: dict | None,
    fields: dict,
) -> bool:
    if not _write(step, rows, **fields):
        return False
    if step.audit:
        log_action(delivery, step.audit, user=user, data=data)
    return True


def _write(step: Transition, rows: QuerySet, **fields: object) -> int:
    """The conditional UPDATE itself: rows still in a source status take the target."""
    if len(step.sources) == 1:
        rows = rows.filter(status=step.sources[0])
    else:
        rows = rows.filter(status__in=step.sources)
    written = rows.update(status=step.target, **fields)
    if written:  # an UPDATE sends no signal: the cached pages are told here
        versions.rows_updated(Delivery)
    return written


def _follow(delivery: Delivery, step: Transition) -> None:
    publication = delivery.variant.publication
    if step.publication == SETTLE:
        publication_settle(publication)
    else:  # whatever its status was (publications.STEPS["reopen"])
        reopened = publications.STEPS["reopen"].target
        Publication.objects.filter(pk=publication.pk).update(status=reopened)
        versions.rows_updated(Publication)


# --- moves made before anyone read the row, or for a whole publication -----------------


def claim(delivery_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """pendiente → enviando: True only for the one worker whose UPDATE took the row.

    Single-table on purpose: with a join Django moves the conditions into a subquery,
    and PostgreSQL does not re-check a subquery after waiting for a concurrent update,
    so two workers could both "win"."""
    return _claim(Delivery.objects.filter(pk=delivery_id), worker, now, lease) == 1


def _claim(rows: QuerySet, worker: str, now: datetime, lease: timedelta) -> int:
    """The claim's conditional UPDATE on `rows` (due and still pending); how many."""
    return _write(
        TRANSITIONS["claim"],
        rows.filter(scheduled_at__lte=now),
        claimed_by=worker,
        claimed_at=now,
        lease_until=timezone.now() + lease,
        attempts=F("attempts") + 1,
    )


def claim_due(
    due: QuerySet, *, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[int]:
    """pendiente → enviando for up to `limit` rows of `due`, in one short transaction;
    the ids this worker took. Workers claiming at once take different rows without
    waiting or retrying: PostgreSQL locks the rows it reads and skips those another
    worker has locked (FOR UPDATE SKIP LOCKED); SQLite's transaction holds the write
    lock from its start (IMMEDIATE), so nobody changes them between read and write.
    The UPDATE itself is single-table and still conditional, as in `claim`."""
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        rows = Delivery.objects.filter(pk__in=ids)
        if _claim(rows, worker, now, lease) == len(ids):
            return ids
        mine = rows.filter(status=D.ENVIANDO, claimed_by=worker, claimed_at=now)
        return list(mine.values_list("pk", flat=True))


def _of(publication: Publication) -> QuerySet:
    return Delivery.objects.filter(variant__publication=publication)


def cancel_open(publication: Publication) -> int:
    """The publication's deliveries nobody has taken are cancelled; how many."""
    return _write(TRANSITIONS["cancel"], _of(publication))


def move_open(publication: Publication, when: datetime) -> int:
    """Only deliveries never tried move to `when`; one being sent stays as it is."""
    return _write(
        TRANSITIONS["move"], _of(publication).filter(attempts=0), scheduled_at=when, held_until=None
    )


# --- the publication follows its deliveries --------------------------------------------


@transaction.atomic(savepoint=False)  # inside a move's transaction: part of it
def publication_settle(publication: Publication) -> str:
    """Once no delivery is open, the publication is publicada (at least one channel
    got it) or fallida. Called after every delivery outcome, in the same transaction
    as the delivery's own change, so the two can never disagree. The publication's
    row is locked first: two of its deliveries finishing at once are settled one
    after the other, and the second sees the first."""
    locked = Publication.objects.select_for_update().filter(pk=publication.pk)
    status = locked.values_list("status", flat=True).get()
    rows = list(_of(publication).exclude(status=D.CANCELADA).values_list("status", "published_at"))
    statuses = {row_status for row_status, _ in rows}
    if not statuses or statuses & set(OPEN_DELIVERY_STATUSES):
        return status
    published = D.PUBLICADA in statuses
    step = publications.STEPS["published" if published else "failed"]
    if status not in step.sources:  # already so, or cancelled
        return status
    times = [at for row_status, at in rows if row_status == D.PUBLICADA and at is not None]
    Publication.objects.filter(pk=publication.pk).update(
        status=step.target, published_at=min(times) if times else None
    )
    versions.rows_updated(Publication)
    log_action(publication, step.audit)
    return step.target


def publications_repair() -> int:
    """Scheduled publications whose deliveries are all closed: rows left by versions
    that changed a delivery and its publication in two steps (a worker killed between
    them). Run when a worker starts; settles each one as its deliveries say."""
    closed = (
        Publication.objects.filter(
            status=PublicationStatus.PROGRAMADA, variants__deliveries__isnull=False
        )
        .exclude(variants__deliveries__status__in=OPEN_DELIVERY_STATUSES)
        .distinct()
    )
    repaired = 0
    for publication in closed:
        if publication_settle(publication) != PublicationStatus.PROGRAMADA:
            log_action(publication, "publishing.status_repaired")
            repaired += 1
    return repaired
