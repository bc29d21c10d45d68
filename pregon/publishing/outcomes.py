"""What a network's answer does to a delivery (split from engine.py): published;
a transient error retried on RETRY_SCHEDULE; rate limited, retried after the
network's wait; dead credentials hold the whole account for reconnection; anything
permanent fails it and Coordinación is told. An uncertain answer is reconcile.py's.
Every status change goes through deliveries.py."""

from datetime import datetime, timedelta

from django.utils import timezone

from pregon.core.audit import log_action
from pregon.publishing import deliveries, notify
from pregon.publishing.channels.base import ChannelError, PostResult
from pregon.publishing.models import AttemptOutcome, ChannelAccount, ChannelState, Delivery
from pregon.publishing.services import WAITS_FOR_RECONNECTION

# Written once, as data: the wait before each retry after a transient error. After
# the last one the delivery fails and Coordinación is told.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=1)
MAX_RATE_LIMITED = 20  # a network that never lets us through is a failure too


def published(delivery: Delivery, result: PostResult) -> str:
    # With its publication's status, in one transaction (deliveries.transition).
    deliveries.transition(
        delivery,
        "publish",
        data={"remote_id": result.remote_id},
        remote_id=result.remote_id,
        remote_url=result.remote_url,
        published_at=timezone.now(),
        network_ref="",
        last_error="",
    )
    return "publicada"


def refused(delivery: Delivery, exc: ChannelError, worker: str) -> str:
    """A certain refusal (not `exc.uncertain`): nothing went out."""
    if exc.reconnect:
        return hold_for_reconnection(delivery, exc.message, worker)
    if exc.permanent:
        return fail(delivery, exc.message)
    if exc.rate_limited:
        return _rate_limited(delivery, exc, worker)
    return _transient(delivery, exc.message, worker)


def hold_for_reconnection(delivery: Delivery, error: str, worker: str) -> str:
    """The account's credentials are dead: nothing went out (the network refused the
    call). The whole account stops: it is marked for reconnection, so `due()` skips
    its deliveries; this one goes back to pending, not failed. The first delivery to
    find out tells Coordinación; reconnecting the account makes them due again, and
    the claim still sends each exactly once."""
    marked = ChannelAccount.objects.filter(
        pk=delivery.account_id, state=ChannelState.ACTIVE
    ).update(state=ChannelState.RECONNECT)
    message = f"{WAITS_FOR_RECONNECTION}{error}"
    release(delivery, worker, delivery.scheduled_at, message)
    if marked:
        account = ChannelAccount.objects.get(pk=delivery.account_id)
        log_action(account, "publishing.account_needs_reconnection", data={"error": error})
        notify.account_needs_reconnection(account, error)
    return "espera_reconexion"


def release(delivery: Delivery, worker: str, at: datetime, error: str) -> bool:
    """Back to pending at `at` (the claim is let go)."""
    return deliveries.transition(
        delivery, "requeue", worker=worker, scheduled_at=at, last_error=error
    )


def _transient(delivery: Delivery, error: str, worker: str) -> str:
    failures = delivery.attempt_log.filter(outcome=AttemptOutcome.TRANSIENT).count()
    if failures > len(RETRY_SCHEDULE):
        return fail(delivery, f"{error} (sin éxito tras {failures} intentos)")
    _retry_at(delivery, worker, timezone.now() + RETRY_SCHEDULE[failures - 1], error)
    return "reintentar"


def _rate_limited(delivery: Delivery, exc: ChannelError, worker: str) -> str:
    limited = delivery.attempt_log.filter(outcome=AttemptOutcome.RATE_LIMITED).count()
    if limited > MAX_RATE_LIMITED:
        return fail(delivery, exc.message)
    wait = timedelta(seconds=exc.retry_after) if exc.retry_after else DEFAULT_RATE_LIMIT_WAIT
    _retry_at(delivery, worker, timezone.now() + wait, exc.message)
    return "limite"


def _retry_at(delivery: Delivery, worker: str, at: datetime, error: str) -> bool:
    """Back to pending until `at`, saying when in the municipality's time (a retry
    must not read as «maybe published»)."""
    when = timezone.localtime(at)
    day = "" if when.date() == timezone.localdate() else f" del {when:%d/%m}"
    return release(delivery, worker, at, f"{error} Se reintentará a las {when:%H:%M}{day}.")


def fail(delivery: Delivery, error: str) -> str:
    if deliveries.transition(delivery, "fail", data={"error": error}, last_error=error):
        delivery.refresh_from_db()
        notify.delivery_needs_attention(delivery, error)
    return "fallida"
