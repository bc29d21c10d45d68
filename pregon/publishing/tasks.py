"""Background jobs. Domain state lives in Delivery rows; these only move it forward and
are safe to run twice (the claim is a conditional UPDATE)."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pregon.core.audit import log_action
from pregon.publishing import connectors, engine, services, token_health
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.models import ChannelAccount, Delivery


@task()
def publish_due() -> dict:
    """Every minute: send what is due, settle stale claims, tell late authors."""
    services.publications_missed()
    return dict(engine.publish_due())


@task()
def settle_delivery(delivery_id: int) -> str:
    """Check again on the network whether an uncertain delivery went out."""
    return engine.settle(delivery_id, engine.new_worker_id())


def enqueue_settle(delivery: Delivery) -> None:
    """Queue a new look at an uncertain delivery once the request's writes commit."""
    transaction.on_commit(lambda: settle_delivery.enqueue(delivery.pk))


@task()
def check_tokens() -> dict:
    """Daily: every account's token health (expiry, permissions, revocation)."""
    return token_health.check_all()


@task()
def test_connection(account_id: int) -> bool:
    """ "Probar conexión": runs in the background (no network calls in a request)."""
    account = ChannelAccount.objects.get(pk=account_id)
    try:
        channel, _ = connectors.connect(account)  # a refreshed X token is stored, not lost
        message, ok = channel.test_connection(), True
    except ChannelError as exc:
        message, ok = exc.message, False
    except Exception as exc:  # noqa: BLE001 - shown to the person, not raised
        message, ok = f"Error inesperado: {exc}", False
    ChannelAccount.objects.filter(pk=account_id).update(
        checked_at=timezone.now(), check_ok=ok, check_message=message[:500]
    )
    log_action(account, "publishing.connection_tested", data={"ok": ok})
    return ok
