"""The publishing API: CRUD and workflow actions with the web's permissions,
deliveries with attempts, channel accounts with write-only credentials."""

import json
from datetime import timedelta

from django.utils import timezone

from pregon.publishing import engine
from pregon.publishing.models import ChannelAccount, Publication


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_workflow_through_the_api(api_client, jorge, mariana, accounts, network):
    writer, coord = api_client(jorge), api_client(mariana)
    created = _post(
        writer,
        "/api/v1/publications",
        {
            "title": "Jornada de vacunación",
            "text": "Jornada de vacunación en el DIF municipal.",
            "category": "salud",
            "variants": [{"account": accounts["facebook"].pk}, {"account": accounts["x"].pk}],
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert {v["kind"] for v in created.json()["variants"]} == {"facebook_page", "x"}
    assert _post(writer, f"/api/v1/publications/{pk}/submit").json()["status"] == ("en_revision")
    assert _post(writer, f"/api/v1/publications/{pk}/approve").status_code == 403
    assert _post(coord, f"/api/v1/publications/{pk}/approve").json()["status"] == ("aprobada")
    when = (timezone.now() - timedelta(seconds=5)).isoformat()
    scheduled = _post(coord, f"/api/v1/publications/{pk}/schedule", {"when": when})
    assert scheduled.json()["status"] == "programada"
    engine.publish_due()
    deliveries = coord.get(f"/api/v1/deliveries?publication={pk}").json()["items"]
    assert {d["status"] for d in deliveries} == {"publicada"}
    assert all(d["remote_id"] and d["attempt_log"][0]["outcome"] == "ok" for d in deliveries)
    assert coord.get(f"/api/v1/publications/{pk}").json()["status"] == "publicada"


def test_patch_after_approval_returns_to_review(api_client, make_publication, jorge):
    publication = make_publication("aprobada")
    client = api_client(jorge)
    response = client.patch(
        f"/api/v1/publications/{publication.pk}",
        json.dumps({"text": "Texto nuevo"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "en_revision"
    publication.refresh_from_db()
    assert publication.text == "Texto nuevo" and publication.status == "en_revision"
    assert publication.approved_by is None


def test_cancel_and_bad_input(api_client, make_publication, mariana):
    publication = make_publication("programada", minutes=60)
    client = api_client(mariana)
    cancelled = _post(client, f"/api/v1/publications/{publication.pk}/cancel")
    assert cancelled.json()["status"] == "cancelada"
    again = _post(client, f"/api/v1/publications/{publication.pk}/cancel")
    assert again.status_code == 422 and "Cancelada" in again.content.decode()
    bad = _post(client, "/api/v1/publications", {"title": "x", "text": "y", "activity": 999})
    assert bad.status_code == 422 and "999" in bad.content.decode()
    assert not Publication.objects.filter(title="x").exists()


def test_credentials_are_write_only(api_client, mariana, pedro):
    client = api_client(mariana)
    created = _post(
        client,
        "/api/v1/channel-accounts",
        {
            "name": "Portal nuevo",
            "kind": "wordpress",
            "base_url": "https://portal.example/",
            "credentials": {"username": "u", "application_password": "secreto-123"},
        },
    )
    assert created.status_code == 201
    body = created.content.decode()
    assert "secreto-123" not in body and created.json()["has_credentials"] is True
    account = ChannelAccount.objects.get(name="Portal nuevo")
    assert json.loads(account.credentials)["application_password"] == "secreto-123"
    listing = client.get("/api/v1/channel-accounts").content.decode()
    assert "secreto-123" not in listing
    denied = _post(api_client(pedro), "/api/v1/channel-accounts", {"name": "n", "kind": "x"})
    assert denied.status_code == 403
