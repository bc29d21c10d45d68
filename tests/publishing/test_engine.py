"""The delivery engine never posts twice and loses nothing: claims, retries on the
schedule, permanent failures, rate limits, uncertain outcomes and dead workers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pregon.publishing import engine, leases, services, worker
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.models import (
    AttemptOutcome,
    ChannelState,
    Delivery,
    DeliveryStatus,
    PublicationStatus,
)

D = DeliveryStatus


def _delivery(publication) -> Delivery:
    return Delivery.objects.get(variant__publication=publication)


def test_due_delivery_is_published_once_with_remote_id(make_publication, network):
    publication = make_publication(channels=("facebook", "x"))
    counts = engine.publish_due()
    assert counts["publicada"] == 2
    assert len(network.posts) == 2
    for d in Delivery.objects.filter(variant__publication=publication):
        assert d.status == D.PUBLICADA and d.remote_id.startswith("remote-")
        assert d.attempt_log.get().outcome == AttemptOutcome.OK
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA and publication.published_at
    engine.publish_due()
    assert len(network.posts) == 2  # nothing sent again


def test_future_and_manual_deliveries_are_not_sent(make_publication, network):
    make_publication(channels=("facebook",), minutes=30)
    make_publication(channels=("manual",))
    engine.publish_due()
    assert network.posts == []


def test_claim_is_exclusive(make_publication):
    publication = make_publication()
    delivery = _delivery(publication)
    now = timezone.now()
    assert engine.claim(delivery.pk, "w1", now) is True
    assert engine.claim(delivery.pk, "w2", now) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.claimed_by, delivery.attempts) == (D.ENVIANDO, "w1", 1)


def test_second_worker_finds_nothing_to_send(make_publication, network):
    """Two workers reading the same due list: only the claim winner sends."""
    publication = make_publication()
    delivery = _delivery(publication)
    engine.claim(delivery.pk, "other-worker", timezone.now())
    assert engine.deliver(delivery.pk, "me") == "tomada_por_otro"
    assert network.posts == []


def test_cancelled_between_listing_and_claim_is_not_sent(make_publication, network, mariana):
    publication = make_publication()
    delivery = _delivery(publication)
    services.publication_cancel(publication=publication, user=mariana)
    assert engine.deliver(delivery.pk, "w") == "tomada_por_otro"
    assert network.posts == []


def test_transient_errors_follow_the_schedule_then_fail(make_publication, network, mariana):
    mariana.email = "mariana@chapultepec.gob.mx"
    mariana.save()
    publication = make_publication()
    delivery = _delivery(publication)
    network.script = [ChannelError("Error 500", status=500)] * 10
    for step, wait in enumerate(engine.RETRY_SCHEDULE, start=1):
        before = timezone.now()
        assert engine.deliver(delivery.pk, "w") == "reintentar"
        delivery.refresh_from_db()
        assert delivery.status == D.PENDIENTE and delivery.attempts == step
        assert delivery.scheduled_at >= before + wait - timedelta(seconds=1)
        Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    assert engine.deliver(delivery.pk, "w") == "fallida"
    delivery.refresh_from_db()
    assert delivery.status == D.FALLIDA
    assert delivery.attempt_log.filter(http_status=500).count() == len(engine.RETRY_SCHEDULE) + 1
    assert mail.outbox and "mariana@chapultepec.gob.mx" in mail.outbox[-1].to
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FALLIDA


def test_permanent_error_fails_at_once_and_alerts(make_publication, network, mariana):
    mariana.email = "mariana@chapultepec.gob.mx"
    mariana.save()
    publication = make_publication()
    network.script = [ChannelError("Contenido rechazado", permanent=True, status=400)]
    assert engine.publish_due()["fallida"] == 1
    delivery = _delivery(publication)
    assert delivery.status == D.FALLIDA and delivery.attempts == 1
    assert "Contenido rechazado" in mail.outbox[-1].body


def test_expired_token_marks_account_for_reconnection(make_publication, network, accounts):
    make_publication()
    network.script = [ChannelError("Token vencido", reconnect=True, status=400)]
    engine.publish_due()
    accounts["facebook"].refresh_from_db()
    assert accounts["facebook"].state == ChannelState.RECONNECT
    # Later publications for that account wait until someone reconnects it.
    make_publication()
    engine.publish_due()
    assert network.posts == []


def test_rate_limit_waits_for_the_network(make_publication, network):
    publication = make_publication()
    network.script = [ChannelError("Demasiadas", rate_limited=True, retry_after=900, status=429)]
    before = timezone.now()
    assert engine.publish_due()["limite"] == 1
    delivery = _delivery(publication)
    assert delivery.status == D.PENDIENTE
    assert delivery.scheduled_at >= before + timedelta(seconds=899)
    assert delivery.attempt_log.get().outcome == AttemptOutcome.RATE_LIMITED


def test_uncertain_outcome_found_on_the_network_is_not_resent(make_publication, network):
    """Timeout after sending: the post exists; find_existing settles it as published."""
    publication = make_publication()
    network.script = ["ok-then-lost"]
    engine.publish_due()
    delivery = _delivery(publication)
    assert delivery.status == D.PUBLICADA and delivery.remote_id == "remote-1"
    outcomes = list(delivery.attempt_log.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.UNCERTAIN, AttemptOutcome.FOUND]
    engine.publish_due()
    assert len(network.posts) == 1


def test_uncertain_outcome_absent_on_the_network_is_sent_again(make_publication, network):
    publication = make_publication()
    network.script = [ChannelError("Conexión cortada", uncertain=True)]
    engine.publish_due()
    delivery = _delivery(publication)
    assert delivery.status == D.PENDIENTE  # the network confirmed it is not there
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and len(network.posts) == 1


def test_uncertain_that_cannot_be_checked_waits_for_a_person(
    make_publication, network, mariana, client
):
    publication = make_publication()
    network.script = ["ok-then-lost"]
    network.find_error = ChannelError("No se puede consultar", uncertain=True)
    engine.publish_due()
    delivery = _delivery(publication)
    assert delivery.status == D.INCIERTA
    for _ in range(3):
        engine.publish_due()
    assert len(network.posts) == 1  # never retried blindly
    # Mariana checked the page herself and marks it published with its URL.
    services.delivery_mark_published(
        delivery=delivery, user=mariana, url="https://www.facebook.com/111/posts/9"
    )
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and delivery.settled_by == mariana
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


def test_unexpected_exception_is_treated_as_uncertain(make_publication, network):
    publication = make_publication()
    network.script = [RuntimeError("socket cerrado")]
    network.find_error = ChannelError("No se puede consultar", uncertain=True)
    engine.publish_due()
    assert _delivery(publication).status == D.INCIERTA


def _claimed_long_ago(delivery: Delivery) -> None:
    assert engine.claim(delivery.pk, "dead-worker", timezone.now())
    long_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=long_ago, lease_until=long_ago)


def test_worker_killed_mid_delivery(make_publication, network, settings):
    """A worker claimed the delivery, posted, and died before writing the result.
    After the stale timeout another worker finds the post and never sends again."""
    publication = make_publication()
    delivery = _delivery(publication)
    _claimed_long_ago(delivery)
    network.publish(engine.build_post(delivery))  # what the dead worker got through
    assert engine.publish_due()["tomada_por_otro"] == 0
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and delivery.remote_id == "remote-1"
    assert len(network.posts) == 1


def test_worker_killed_before_the_call_reached_the_network(make_publication, network):
    publication = make_publication()
    delivery = _delivery(publication)
    _claimed_long_ago(delivery)
    engine.publish_due()  # stale → uncertain → not found → pending → sent
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and len(network.posts) == 1


def test_recent_claim_is_left_alone(make_publication, network):
    publication = make_publication()
    delivery = _delivery(publication)
    engine.claim(delivery.pk, "busy-worker", timezone.now())
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.ENVIANDO and network.posts == []


def test_instagram_without_media_is_refused_before_any_call(
    make_publication, network, settings, accounts
):
    """A text-only delivery to a network that needs media (rows changed after approval)
    fails before any call; Pregón's public address only matters for media it fetches."""
    from pregon.publishing.models import ChannelAccount, ChannelKind, Variant

    publication = make_publication()
    settings.PREGON_PUBLIC_URL = ""
    ig = ChannelAccount.objects.create(name="Instagram", kind=ChannelKind.INSTAGRAM)
    Variant.objects.filter(publication=publication).update(account=ig)
    Delivery.objects.filter(variant__publication=publication).update(account=ig)
    engine.publish_due()
    delivery = _delivery(publication)
    assert delivery.status == D.FALLIDA and "necesita una imagen o un video" in delivery.last_error
    assert network.posts == []


def test_publish_due_command_json(make_publication, network, capsys):
    make_publication(channels=("facebook", "x", "wordpress"))
    call_command("publish-due", "--json")
    import json

    summary = json.loads(capsys.readouterr().out)
    assert summary == {"due": 3, "publicada": 3}


def test_delivery_retry_by_person_after_failure(make_publication, network, mariana):
    publication = make_publication()
    network.script = [ChannelError("Rechazado", permanent=True)]
    engine.publish_due()
    delivery = _delivery(publication)
    services.delivery_retry(delivery=delivery, user=mariana)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


@pytest.mark.django_db(transaction=True)
def test_periodic_job_registered():
    from pregon.core import periodic

    job = periodic.REGISTRY["publishing.publish_due"]
    assert job.every == timedelta(minutes=1)
    assert job.task == "pregon.publishing.tasks.publish_due"


def test_dead_workers_claim_is_checked_once_its_lease_runs_out(make_publication, network):
    """No ten-minute wait: the lease (30 s by default) is what a live process renews."""
    publication = make_publication()
    delivery = _delivery(publication)
    assert engine.claim(delivery.pk, "dead-worker", timezone.now())
    delivery.refresh_from_db()
    assert delivery.lease_until <= timezone.now() + timedelta(seconds=31)
    engine.publish_due()
    assert network.posts == []  # lease still running: left alone
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now())
    engine.publish_due()  # the claim is only seconds old, the lease ran out: checked
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and len(network.posts) == 1


def test_a_live_process_renews_the_leases_of_what_it_sends(make_publication, network):
    publication = make_publication()
    delivery = _delivery(publication)
    assert engine.claim(delivery.pk, "this-worker", timezone.now())
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now())
    leases.keep(delivery.pk, "this-worker")
    try:
        assert leases.renew_leases() == 1
    finally:
        leases.let_go(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.lease_until > timezone.now() + timedelta(seconds=20)
    assert leases.renew_leases() == 0  # let go: no longer renewed


def test_idle_sender_takes_the_next_due_delivery(make_publication, network):
    make_publication(channels=("facebook", "x"))
    assert worker.deliver_next("w1") == "publicada"
    assert worker.deliver_next("w1") == "publicada"
    assert worker.deliver_next("w1") == ""
    assert len(network.posts) == 2


def test_claims_in_batches_never_give_a_delivery_to_two_workers(make_publication, network):
    for n in range(5):
        make_publication(channels=("facebook",), text=f"Aviso {n} del DIF municipal.")
    make_publication(channels=("facebook",), minutes=30, text="Aviso de mañana.")
    first = engine.claim_due("w1", 3)
    second = engine.claim_due("w2", 3)
    assert len(first) == 3 and len(second) == 2  # the future one is not due
    assert not set(first) & set(second)
    assert engine.claim_due("w3", 3) == []
    claimed = Delivery.objects.filter(pk__in=first + second)
    assert {(d.status, d.attempts) for d in claimed} == {(D.ENVIANDO, 1)}
    assert {d.claimed_by for d in claimed if d.pk in first} == {"w1"}
    for delivery_id in first:
        assert engine.deliver_claimed(delivery_id, "w1") == "publicada"
    assert engine.deliver_claimed(second[0], "w1") == "tomada_por_otro"
    assert len(network.posts) == 3


def test_a_stopping_worker_gives_back_what_it_never_started(make_publication, network):
    publication = make_publication()
    feed = worker.Feed("w1", quiet=0.0, ahead=4)
    assert feed.next() == _delivery(publication).pk
    other = make_publication(text="Aviso de la feria del libro.")
    feed.claimed.append(engine.claim_due("w1", 1)[0])  # claimed ahead, not yet started
    feed.give_back()
    delivery = _delivery(other)
    assert (delivery.status, delivery.attempts) == (D.PENDIENTE, 0)
    assert worker.deliver_next("w2") == "publicada"  # due again at once, for anyone


def test_one_delivery_costs_a_fixed_number_of_queries(make_publication, network):
    """Claimed, checked, sent, recorded and settled: the reads and writes of one
    delivery do not grow with what the database holds (pinned: a new query per
    delivery is a cost every send pays)."""
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        make_publication(channels=("facebook",), text=f"Aviso {n} del DIF municipal.")
    claimed = engine.claim_due("w1", 3)
    engine.deliver_claimed(claimed[0], "w1")  # the first one warms the connector
    with CaptureQueriesContext(connection) as queries:
        assert engine.deliver_claimed(claimed[1], "w1") == "publicada"
    statements = [q["sql"] for q in queries.captured_queries]
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 5, writes  # attempt, delivery, its audit, publication, its audit
    assert len(statements) <= 16, statements


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database cannot be shared by threads",
)
def test_worker_loop_sends_what_comes_due_without_a_tick(
    transactional_db, make_publication, network
):
    import threading
    import time

    for n in range(6):
        make_publication(channels=("facebook", "x"), text=f"Aviso {n} del DIF municipal.")
    stop = threading.Event()
    loop = threading.Thread(
        target=worker.run_forever, kwargs={"senders": 4, "stop": stop, "idle": 0.2}
    )
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(network.posts) < 12:
            time.sleep(0.1)
        # One more comes due while the loop runs: sent within a second or so, not a minute.
        late = make_publication(channels=("facebook",), text="Aviso de último momento.")
        while time.monotonic() < deadline and _delivery(late).status != D.PUBLICADA:
            time.sleep(0.1)
    finally:
        stop.set()
        loop.join(timeout=60)
    assert _delivery(late).status == D.PUBLICADA
    assert len(network.posts) == 13
    assert len({(p.reference) for p in network.posts}) == 13  # none twice


def test_uncertain_is_checked_again_by_itself_then_left_to_a_person(
    make_publication, network, mariana
):
    from pregon.publishing.models import DeliveryAttempt

    mariana.email = "coordinacion@chapultepec.gob.mx"
    mariana.save()
    publication = make_publication()
    network.script = ["ok-then-lost"]
    network.find_error = ChannelError("La red no contesta", uncertain=True)
    engine.publish_due()
    delivery = _delivery(publication)
    assert delivery.status == D.INCIERTA and "lo comprobará de nuevo" in delivery.last_error
    assert mail.outbox == []  # not yet a person's problem

    def later() -> None:
        DeliveryAttempt.objects.filter(delivery=delivery).update(
            started_at=timezone.now() - timedelta(seconds=31)
        )

    for _ in range(5):
        later()
        engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA and len(network.posts) == 1
    assert len(mail.outbox) == 1 and "Revise la red y decida" in mail.outbox[0].body
    assert not engine.awaiting_automatic_check().filter(pk=delivery.pk).exists()


def test_uncertain_found_once_the_network_answers_again(make_publication, network):
    from pregon.publishing.models import DeliveryAttempt

    publication = make_publication()
    network.script = ["ok-then-lost"]
    network.find_error = ChannelError("La red no contesta", uncertain=True)
    engine.publish_due()
    network.find_error = None
    delivery = _delivery(publication)
    DeliveryAttempt.objects.filter(delivery=delivery).update(
        started_at=timezone.now() - timedelta(seconds=31)
    )
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and len(network.posts) == 1
