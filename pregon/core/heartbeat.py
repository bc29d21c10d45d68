"""The worker's heartbeat, read by /healthz."""

import os
import socket
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from pregon.core.models import WorkerHeartbeat


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def last_seen() -> datetime | None:
    return WorkerHeartbeat.objects.aggregate(m=Max("last_seen"))["m"]


def worker_status() -> dict:
    """What /healthz says of the workers: the latest heartbeat and whether it is stale
    (no worker has beaten within PREGON_WORKER_STALE_SECONDS, or none ever did)."""
    seen = last_seen()
    age = (timezone.now() - seen).total_seconds() if seen else None
    stale = age is None or age > settings.PREGON_WORKER_STALE_SECONDS
    return {
        "last_seen": seen.isoformat() if seen else None,
        "age_seconds": round(age) if age is not None else None,
        "stale": stale,
    }
