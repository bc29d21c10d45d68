"""Background jobs. Domain state lives in DistributionRecipient rows; these only move
it forward and are safe to run twice (each row is claimed before sending)."""

from django_tasks import task

from pregon.bulletins import distribution, live


@task()
def send_distribution(distribution_id: int) -> dict:
    return distribution.send_pending(distribution_id)


@task()
def resume_distributions() -> list[int]:
    """Every minute: sends interrupted by a worker restart go on."""
    return distribution.resume_unfinished()


@task()
def prepare_transmissions() -> list[int]:
    """Every 5 minutes: announcements for streamed sessions ahead (still to review)."""
    return live.prepare_due()
