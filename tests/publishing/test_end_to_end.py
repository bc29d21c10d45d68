"""The engine with the real connectors against fake Facebook, Instagram, X and
WordPress servers: published once with remote ids, uncertain outcomes settled by
asking the network, never posted twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pregon.publishing import engine
from pregon.publishing.models import Delivery, DeliveryStatus, PublicationStatus

D = DeliveryStatus
TEXT = "Feria de la salud en el jardín municipal este sábado #Chapultepec"


def test_published_to_all_four_networks_with_remote_ids(publish, networks, monkeypatch):
    from pregon.publishing.channels.instagram import InstagramChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    publication = publish("facebook", "instagram", "x", "wordpress", image=True)
    counts = engine.publish_due()
    assert counts["publicada"] == 4, counts
    deliveries = {
        d.account.kind: d for d in Delivery.objects.filter(variant__publication=publication)
    }
    assert deliveries["facebook_page"].remote_id in networks.graph.posts
    assert deliveries["instagram"].remote_id in networks.graph.media
    assert deliveries["x"].remote_id in networks.x.tweets
    assert int(deliveries["wordpress"].remote_id) in networks.wp.posts
    assert all(d.remote_id and d.remote_url for d in deliveries.values())
    assert networks.x.tweets[deliveries["x"].remote_id]["text"] == TEXT
    # Meta fetched the image through the signed public link, as a JPEG.
    [(url, status, kind)] = networks.graph.fetched
    assert url.startswith(f"{networks_public(publication)}") and status == 200
    assert kind == "image/jpeg"
    for delivery in deliveries.values():
        attempt = delivery.attempt_log.get()
        assert attempt.calls and attempt.calls[-1]["status"] in (200, 201)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


def networks_public(publication) -> str:
    from django.conf import settings

    return f"{settings.PREGON_PUBLIC_URL}/publicaciones/m/"


def test_slow_answer_after_posting_is_settled_not_resent(publish, networks, settings):
    """Facebook creates the post but answers after our timeout: uncertain, then the
    page's recent posts show it, so it is published exactly once."""
    settings.PREGON_CHANNEL_TIMEOUT = 0.5
    publication = publish("facebook")
    networks.graph.slow(1.5, path="/feed")
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PUBLICADA
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == [
        "incierto",
        "encontrada",
    ]
    assert len(networks.graph.posts) == 1
    engine.publish_due()
    assert len(networks.graph.posts) == 1


def test_server_error_is_retried_on_schedule(publish, networks):
    """A POST answered 500 is not retried inside the call: the engine waits the first
    step of the schedule and the next run publishes it, once."""
    publication = publish("wordpress")
    networks.wp.fail(500, times=1)
    before = timezone.now()
    assert engine.publish_due()["reintentar"] == 1
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE and networks.wp.posts == {}
    assert delivery.scheduled_at >= before + engine.RETRY_SCHEDULE[0] - timedelta(seconds=1)
    assert not engine.publish_due() and networks.wp.posts == {}  # not before its time
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA
    assert list(delivery.attempt_log.order_by("pk").values_list("http_status", flat=True)) == [
        500,
        201,
    ]
    [(post_id, post)] = networks.wp.posts.items()
    assert delivery.remote_id == str(post_id) and post["title"]["raw"] == "Feria de la salud"
    assert "Feria de la salud en el jardín municipal este sábado" in post["content"]["raw"]


def test_expired_facebook_token_needs_reconnection(publish, networks):
    publication = publish("facebook")
    networks.graph.expire_token("page-token")
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE  # waits for the account, not failed
    delivery.account.refresh_from_db()
    assert delivery.account.state == "reconexion"
    assert networks.graph.posts == {}


def test_x_rate_limit_waits_until_reset(publish, networks):
    publication = publish("x")
    networks.x.rate_limit(times=1, reset_in=120)
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE
    assert delivery.scheduled_at > timezone.now() + timedelta(seconds=60)


def test_concurrent_sending_posts_each_once(publish, networks):
    """One worker sending several deliveries at a time, each on its own connection."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("la base SQLite en memoria de las pruebas bloquea tablas entre hilos")
    publications = [publish("facebook", "wordpress", text=f"Aviso {n}") for n in range(6)]
    counts = engine.publish_due(concurrency=4)
    assert counts["publicada"] == 12, counts
    assert len(networks.graph.posts) == 6 and len(networks.wp.posts) == 6
    for publication in publications:
        publication.refresh_from_db()
        assert publication.status == PublicationStatus.PUBLICADA
