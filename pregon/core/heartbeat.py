"""The worker's heartbeat, read by /healthz."""

import os
import socket
from datetime import datetime

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
