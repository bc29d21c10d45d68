from datetime import UTC, datetime

from django.db.utils import OperationalError

from pregon.core.models import WorkerHeartbeat


def test_healthz_ok_without_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok", "worker": {"last_seen": None}}


def test_healthz_reports_the_latest_worker_heartbeat(client, db):
    started = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    for worker, minute in (("worker-a", 5), ("worker-b", 9), ("worker-c", 7)):
        WorkerHeartbeat.objects.create(
            worker_id=worker, started_at=started, last_seen=started.replace(minute=minute)
        )
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"] == {"last_seen": "2026-11-30T08:09:00+00:00"}


def test_healthz_503_when_database_unreachable(client, db, monkeypatch):
    from pregon.core import views

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
