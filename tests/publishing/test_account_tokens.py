"""Accounts fail as a unit and refresh one at a time: an expired or revoked token
holds the account's deliveries (none is failed) until someone reconnects it, then
each goes out exactly once; eight deliveries finding X's token expired spend the
single-use refresh token once and all use the new one."""

import json

import pytest
from django.core import mail
from django.db import connection

from pregon.publishing import connectors, engine, services
from pregon.publishing.models import ChannelState, Delivery, DeliveryStatus

D = DeliveryStatus


def _texts(n: int) -> list[str]:
    return [f"Aviso {i}: jornada de vacunación en la colonia {i}." for i in range(n)]


def test_expired_page_token_holds_the_account_until_reconnected(publish, networks, mariana):
    mariana.email = "coordinacion@chapultepec.gob.mx"
    mariana.save()
    publications = [publish("facebook", text=text) for text in _texts(3)]
    networks.graph.expire_token("page-token")
    counts = engine.publish_due()
    account = networks.accounts["facebook"]
    account.refresh_from_db()
    assert account.state == ChannelState.RECONNECT
    deliveries = Delivery.objects.filter(account=account)
    # Held, not failed: one found out, the others were never attempted.
    assert set(deliveries.values_list("status", flat=True)) == {D.PENDIENTE}
    assert counts["espera_reconexion"] >= 1 and counts["fallida"] == 0
    assert deliveries.filter(last_error__startswith=services.WAITS_FOR_RECONNECTION).exists()
    [email] = mail.outbox  # Coordinación is told once, for the account
    assert "volver a conectarse" in email.subject and "3 envíos esperan" in email.body
    engine.publish_due()  # nothing moves while the account waits
    assert networks.graph.posts == {}
    # Reconnecting with new credentials (the form and the API both save through here).
    networks.graph.add_page("111", "H. Ayuntamiento de Chapultepec", token="new-token")
    services.account_save(
        account=account, user=mariana, credentials=json.dumps({"access_token": "new-token"})
    )
    account.refresh_from_db()
    assert account.state == ChannelState.ACTIVE
    connectors._channels.clear()
    engine.publish_due()
    engine.publish_due()
    assert set(deliveries.values_list("status", flat=True)) == {D.PUBLICADA}
    messages = sorted(post["message"] for post in networks.graph.posts.values())
    assert messages == sorted(_texts(3))  # each exactly once
    for publication in publications:
        publication.refresh_from_db()
        assert publication.status == "publicada"


def test_reconnecting_through_the_api_releases_them_too(publish, networks, api_client, mariana):
    publish("facebook", text=_texts(1)[0])
    networks.graph.expire_token("page-token")
    engine.publish_due()
    account = networks.accounts["facebook"]
    networks.graph.add_page("111", "H. Ayuntamiento de Chapultepec", token="new-token")
    client = api_client(mariana)
    payload = {
        "name": account.name,
        "kind": account.kind,
        "external_id": "111",
        "base_url": account.base_url,
        "state": "activa",
        "credentials": {"access_token": "new-token"},
    }
    answer = client.patch(
        f"/api/v1/channel-accounts/{account.pk}",
        json.dumps(payload),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    connectors._channels.clear()
    engine.publish_due()
    assert Delivery.objects.get(account=account).status == D.PUBLICADA
    assert len(networks.graph.posts) == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database cannot be shared by threads; "
    "channels/test_x.py covers the race with one lock in memory",
)
def test_eight_deliveries_refresh_the_x_token_once(publish, networks):
    for text in _texts(8):
        publish("x", text=text)
    networks.x.expire_access_token("at-1")
    counts = engine.publish_due(concurrency=8)
    assert counts["publicada"] == 8, counts
    account = networks.accounts["x"]
    account.refresh_from_db()
    assert account.state == ChannelState.ACTIVE
    refreshes = networks.x.requests_to("POST", "/2/oauth2/token")
    assert len(refreshes) == 1
    stored = json.loads(account.credentials)
    # The rotated refresh token was stored: it is the one X will accept next time.
    assert stored["refresh_token"] in networks.x.refresh_tokens
    assert stored["access_token"] in networks.x.access_tokens
    assert len(networks.x.tweets) == 8
