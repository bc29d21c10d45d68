"""Background work: the database worker, the heartbeat, periodic jobs, and RQ on Redis."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from pregon.core import periodic
from pregon.core.models import PeriodicJob, WorkerHeartbeat
from pregon.core.tasks import prune_heartbeats

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def _stale_heartbeat() -> WorkerHeartbeat:
    old = timezone.now() - timedelta(days=3)
    return WorkerHeartbeat.objects.create(worker_id="old", started_at=old, last_seen=old)


def test_db_worker_runs_enqueued_task_and_beats(settings, transactional_db):
    settings.TASKS = DB_TASKS
    settings.PREGON_TASKS_BACKEND = "db"
    _stale_heartbeat()
    result = prune_heartbeats.enqueue()
    call_command("worker", "--burst", "--interval", "0")
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value == 1
    beats = WorkerHeartbeat.objects.all()
    assert [b.worker_id.startswith("worker-") for b in beats] == [True]


def test_periodic_job_enqueued_once_until_due_again(settings, transactional_db):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    # Every app registers its own periodic jobs; follow one of them.
    pruning = DBTaskResult.objects.filter(task_path="pregon.core.tasks.prune_heartbeats")
    assert "core.prune_heartbeats" in periodic.enqueue_due()
    assert periodic.enqueue_due() == []
    assert pruning.count() == 1
    assert DBTaskResult.objects.count() == len(periodic.REGISTRY)  # each enqueued once
    PeriodicJob.objects.filter(name="core.prune_heartbeats").update(
        next_run_at=timezone.now() - timedelta(seconds=1)
    )
    assert periodic.enqueue_due() == ["core.prune_heartbeats"]
    assert pruning.count() == 2


@pytest.mark.redis
def test_rq_backend_runs_task_through_real_redis(settings, transactional_db):
    import redis

    url = settings.RQ_QUEUES["default"]["URL"]

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("PREGON_REQUIRE_REDIS"):
            pytest.fail(f"Redis no responde en {url} y esta ejecución lo exige")
        pytest.skip(f"Redis no responde en {url}")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}}
    settings.PREGON_TASKS_BACKEND = "rq"
    _stale_heartbeat()
    result = prune_heartbeats.enqueue()
    assert result.status.name == "READY"
    call_command("worker", "--burst")
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value == 1
