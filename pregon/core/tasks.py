from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pregon.core.models import WorkerHeartbeat


@task()
def prune_heartbeats() -> int:
    """Forget workers not seen for a day (stopped or replaced)."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    return deleted
