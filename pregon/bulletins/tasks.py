"""Background jobs. Domain state lives in DistributionRecipient rows; these only move
it forward and are safe to run twice (each row is claimed before sending). Tasks call
services, never the reverse: whoever creates or reopens a distribution queues its send
with `enqueue_send`."""

from django.db import transaction
from django_tasks import task

from pregon.bulletins import distribution, live


@task()
def send_distribution(distribution_id: int) -> dict:
    return distribution.send_pending(distribution_id)


def enqueue_send(distribution_id: int) -> None:
    """Queue the send once the transaction that created or reopened it commits."""
    transaction.on_commit(lambda: send_distribution.enqueue(distribution_id))


@task()
def resume_distributions() -> list[int]:
    """Every minute: sends interrupted by a worker restart go on."""
    unfinished = distribution.settle_unfinished()
    for distribution_id in unfinished:
        send_distribution.enqueue(distribution_id)
    return unfinished


@task()
def prepare_transmissions() -> list[int]:
    """Every 5 minutes: announcements for streamed sessions ahead (still to review)."""
    return live.prepare_due()
