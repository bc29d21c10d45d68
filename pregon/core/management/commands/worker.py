"""`pregon worker`: runs background tasks, writes the heartbeat, enqueues periodic jobs."""

import threading
import time
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from pregon.core import heartbeat, periodic
from pregon.core.taskrunner import ResilientWorker

HEARTBEAT_SECONDS = 5


class Command(BaseCommand):
    help = "Ejecuta el trabajo en segundo plano (tareas, latido y trabajos periódicos)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Termina cuando no queden tareas pendientes."
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, burst: bool = False, interval: float = 1.0, **options) -> None:
        worker_id = f"worker-{uuid.uuid4().hex[:12]}"
        started_at = timezone.now()
        self._safe_tick(worker_id, started_at)
        if not burst:
            threading.Thread(
                target=self._beat_forever, args=(worker_id, started_at), daemon=True
            ).start()
            periodic.start_loops()
        if settings.PREGON_TASKS_BACKEND == "rq":
            self._run_rq(burst)
        else:
            self._run_db(burst, interval, worker_id)

    def _tick(self, worker_id: str, started_at) -> None:
        heartbeat.beat(worker_id, started_at)
        periodic.enqueue_due()

    def _safe_tick(self, worker_id: str, started_at) -> None:
        try:
            self._tick(worker_id, started_at)
        except Exception as exc:  # noqa: BLE001 - the heartbeat must outlive hiccups
            self.stderr.write(f"latido fallido: {exc}")
        finally:
            close_old_connections()

    def _beat_forever(self, worker_id: str, started_at) -> None:
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            self._safe_tick(worker_id, started_at)

    def _run_db(self, burst: bool, interval: float, worker_id: str) -> None:
        worker = ResilientWorker(
            queue_names=["*"],
            interval=interval,
            batch=burst,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id[:64],
            excluded_queue_names=[],
        )
        if not burst:
            worker.configure_signals()
        worker.run()

    def _run_rq(self, burst: bool) -> None:
        args = ["--job-class", "django_tasks_rq.Job", "default"]
        if burst:  # one-off runs stay in this process (no fork)
            args = ["--burst", "--worker-class", "rq.worker.SimpleWorker", *args]
        call_command("rqworker", *args)
