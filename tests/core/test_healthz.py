from django.db.utils import OperationalError
from django.utils import timezone

from pregon.core import heartbeat


def test_healthz_ok_without_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok", "worker": {"last_seen": None}}


def test_healthz_reports_worker_heartbeat(client, db):
    heartbeat.beat("worker-test", timezone.now())
    body = client.get("/healthz").json()
    assert body["worker"]["last_seen"] is not None


def test_healthz_503_when_database_unreachable(client, db, monkeypatch):
    from pregon.core import views

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
