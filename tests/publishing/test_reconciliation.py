"""Reconciliation that cannot miss: a worker dies right after the network accepted a
post, people then publish 50 more on the same account, and the check still finds
ours — exactly one copy in the end. Anything short of «not there, and every post
since the attempt was read» leaves the delivery «incierta» with its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pregon.publishing import attempts, connectors, engine
from pregon.publishing.channels.x import connector as x_connector
from pregon.publishing.models import Delivery, DeliveryStatus, PublicationStatus
from tests.publishing.conftest import E2E_TEXT
from tests.publishing.faults_support import WorkerKilled, stale

D = DeliveryStatus


@pytest.fixture
def killed_after_accepted(monkeypatch):
    """The worker dies between the network's «created» and recording it."""
    real = attempts.record

    def record(delivery, worker, call, *, exc=None, outcome=None):
        if exc is None and outcome is None:
            raise WorkerKilled
        return real(delivery, worker, call, exc=exc, outcome=outcome)

    monkeypatch.setattr(attempts, "record", record)
    return monkeypatch


def _copies(networks, kind: str) -> int:
    if kind == "facebook":
        return sum(p["message"] == E2E_TEXT for p in networks.graph.posts.values())
    if kind == "instagram":
        return sum(m["caption"] == E2E_TEXT for m in networks.graph.media.values())
    if kind == "x":
        return sum(t["text"] == E2E_TEXT for t in networks.x.tweets.values())
    return sum(not p["title"]["raw"].startswith("Otra") for p in networks.wp.posts.values())


def _add_newer(networks, kind: str, count: int) -> None:
    if kind == "facebook":
        networks.graph.add_posts("111", count)
    elif kind == "instagram":
        networks.graph.add_media("178", count)
    elif kind == "x":
        networks.x.add_tweets("42", count)
    else:
        networks.wp.add_posts(count)


@pytest.mark.parametrize("kind", ["facebook", "instagram", "x", "wordpress"])
def test_killed_after_accepted_with_50_newer_posts_exactly_one_copy(
    kind, publish, networks, killed_after_accepted
):
    from pregon.publishing.channels.instagram import InstagramChannel

    killed_after_accepted.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    publication = publish(kind, image=kind == "instagram")
    with pytest.raises(WorkerKilled):
        engine.publish_due()
    killed_after_accepted.undo()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.ENVIANDO and _copies(networks, kind) == 1
    _add_newer(networks, kind, 50)
    stale(delivery)
    connectors._channels.clear()
    counts = engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA, (counts, delivery.last_error)
    assert delivery.remote_id and delivery.attempt_log.filter(outcome="encontrada").exists()
    assert _copies(networks, kind) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


def test_a_page_that_cannot_be_read_leaves_it_uncertain_with_its_reason(
    publish, networks, killed_after_accepted
):
    publication = publish("facebook")
    with pytest.raises(WorkerKilled):
        engine.publish_due()
    killed_after_accepted.undo()
    networks.graph.add_posts("111", 150)  # two pages of 100
    delivery = Delivery.objects.get(variant__publication=publication)
    stale(delivery)
    # The second page fails on every try: the window was not read whole.
    networks.graph.fail(500, {"error": {"code": 2, "message": "x"}}, times=3, path="/feed")
    networks.graph.faults[0].method = "GET"
    first_page = networks.graph.faults.pop()
    real_route = networks.graph.route
    seen = []

    def route(request):
        seen.append(request.query.get("after", ""))
        if request.method == "GET" and request.query.get("after"):
            return first_page.answer
        return real_route(request)

    networks.graph.route = route
    connectors._channels.clear()
    engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA
    assert "No se pudo comprobar si se publicó" in delivery.last_error
    assert any(seen) and _copies(networks, "facebook") == 1


def test_accepted_then_never_answered_is_found_not_resent(publish, networks):
    publication = publish("x", "wordpress")
    networks.x.swallow(path="/2/tweets")
    networks.wp.swallow(path="/wp-json/wp/v2/posts")
    engine.publish_due()
    engine.publish_due()
    for delivery in Delivery.objects.filter(variant__publication=publication):
        assert delivery.status == D.PUBLICADA, delivery.last_error
    assert _copies(networks, "x") == 1 and _copies(networks, "wordpress") == 1


def test_instagram_container_is_checked_later_not_by_a_sleeping_thread(
    publish, networks, monkeypatch
):
    from pregon.publishing.channels.instagram import InstagramChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 2.0, raising=False)
    networks.graph.container_polls = 1  # IN_PROGRESS once, then FINISHED
    publication = publish("instagram", image=True)
    started = timezone.now()
    counts = engine.publish_due()
    assert counts["en_proceso"] == 1
    assert (timezone.now() - started).total_seconds() < 2  # nobody slept 2 s
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE and delivery.network_ref in networks.graph.containers
    assert delivery.scheduled_at > started + timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and delivery.network_ref == ""
    assert len(networks.graph.containers) == 1 and _copies(networks, "instagram") == 1


def test_x_photos_are_checked_later_not_by_a_sleeping_thread(publish, networks):
    """Two photos X processes for 3 s: one STATUS look each after the wait X asked for,
    then their alt text and the post; nothing is uploaded twice."""
    x = networks.x
    x.media_seconds = 3.0
    publication = publish("x", image=True, images=2)
    started = timezone.now()
    assert engine.publish_due()["en_proceso"] == 1
    assert (timezone.now() - started).total_seconds() < 3  # nobody waited for X
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE and delivery.scheduled_at >= started + timedelta(
        seconds=2
    )
    _, [[first], [second]] = x_connector.uploads_in(delivery.network_ref)
    assert first.startswith("~") and second.startswith("~") and x.tweets == {}
    x.finish_processing()
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    assert engine.publish_due()["publicada"] == 1
    [tweet] = x.tweets.values()
    assert tweet["media_ids"] == [first[1:], second[1:]] and len(x.uploads) == 2
    alts = [x.uploads[m]["alt_text"] for m in tweet["media_ids"]]
    assert alts == ["Módulos de salud", "Módulos de salud 2"]
    assert len(x.requests_to("GET", "/2/media/upload")) == 2
    assert x.early_status_checks == 0


def test_x_media_that_fails_processing_fails_the_delivery_with_the_reason(publish, networks):
    networks.x.media_seconds = 3.0
    networks.x.media_error = True
    publication = publish("x", image=True)
    assert engine.publish_due()["en_proceso"] == 1
    networks.x.finish_processing()
    Delivery.objects.filter(variant__publication=publication).update(scheduled_at=timezone.now())
    assert engine.publish_due()["fallida"] == 1
    delivery = Delivery.objects.get(variant__publication=publication)
    assert "X no pudo procesar la imagen o el video: Unsupported media." in delivery.last_error
    assert networks.x.tweets == {}
