from datetime import UTC, datetime

from django.db.utils import OperationalError

from pregon.core.models import WorkerHeartbeat


def test_healthz_ok_without_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "worker": {"last_seen": None, "age_seconds": None, "stale": True},
    }


def _beats(*minutes: int) -> None:
    started = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    for n, minute in enumerate(minutes):
        WorkerHeartbeat.objects.create(
            worker_id=f"worker-{n}", started_at=started, last_seen=started.replace(minute=minute)
        )


def _now_is(monkeypatch, hour: int, minute: int, second: int = 0) -> None:
    from pregon.core import heartbeat

    now = datetime(2026, 11, 30, hour, minute, second, tzinfo=UTC)
    monkeypatch.setattr(heartbeat.timezone, "now", lambda: now)


def test_healthz_reports_the_latest_worker_heartbeat(client, db, monkeypatch):
    _beats(5, 9, 7)
    _now_is(monkeypatch, 8, 9, 20)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"] == {
        "last_seen": "2026-11-30T08:09:00+00:00",
        "age_seconds": 20,
        "stale": False,
    }


def test_healthz_reports_a_stale_worker_but_the_web_still_answers(
    client, db, monkeypatch, settings
):
    settings.PREGON_WORKER_STALE_SECONDS = 60
    _beats(5, 9)
    _now_is(monkeypatch, 8, 10, 30)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["worker"] == {
        "last_seen": "2026-11-30T08:09:00+00:00",
        "age_seconds": 90,
        "stale": True,
    }


def test_healthz_503_when_database_unreachable(client, db, monkeypatch):
    from pregon.core import views

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
