"""Background jobs. Domain state lives in DistributionRecipient rows; these only move
it forward and are safe to run twice (each row is claimed before sending). Tasks call
services, never the reverse: whoever creates or reopens a distribution queues its send
with `enqueue_send`."""

from typing import Any

from django.db import transaction
from django_tasks import task

from pregon.agenda.models import Activity
from pregon.bulletins import broadcast_recording, broadcasts, distribution, live
from pregon.bulletins.models import BroadcastState


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


# Scheduled live broadcasts (broadcasts.py, broadcast_recording.py) ------------------


@task()
def broadcast_run(broadcast_id: int) -> str:
    """Tell the network what is pending for one broadcast (schedule, move, cancel)."""
    return broadcasts.run_pending(broadcast_id)


@task()
def broadcast_refresh(broadcast_id: int) -> str:
    """Read one broadcast's state back; once it ended, keep its recording."""
    state = broadcasts.refresh(broadcast_id)
    if state == BroadcastState.TERMINADA:
        broadcast_recording.record(broadcast_id)
    return state


@task()
def broadcast_record(broadcast_id: int) -> str:
    return broadcast_recording.record(broadcast_id)


def enqueue_broadcasts(ids: list[int], *, refresh: bool = False) -> None:
    """Queue the network work once the transaction that asked for it commits."""
    job = broadcast_refresh if refresh else broadcast_run
    for broadcast_id in ids:
        transaction.on_commit(lambda pk=broadcast_id: job.enqueue(pk))


@task()
def follow_broadcasts() -> dict[str, list[int]]:
    """Every 5 minutes: pending actions retried, states read back around each session,
    recordings of ended broadcasts kept."""
    due = broadcasts.due_for_refresh()
    for broadcast_id in due["pending"]:
        broadcast_run.enqueue(broadcast_id)
    for broadcast_id in due["refresh"]:
        broadcast_refresh.enqueue(broadcast_id)
    for broadcast_id in due["record"]:
        broadcast_record.enqueue(broadcast_id)
    return due


def activity_saved(
    sender: type[Activity], instance: Activity, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of an activity: its broadcasts follow a new start or a cancellation
    (the network is told by the worker, after the save commits)."""
    if not (created or raw):
        enqueue_broadcasts(broadcasts.follow_activity(instance))
