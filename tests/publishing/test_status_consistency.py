"""A publication's status can never disagree with its deliveries: both change in one
transaction, and rows left by older versions are repaired when a worker starts."""

import pytest
from django.utils import timezone

from pregon.publishing import deliveries, engine
from pregon.publishing.models import Delivery, DeliveryStatus, PublicationStatus

D = DeliveryStatus


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def _killed_while_settling(*args, **kwargs):
    raise WorkerKilled


def test_kill_between_delivery_and_publication_changes_neither(
    make_publication, network, monkeypatch
):
    publication = make_publication()
    monkeypatch.setattr(deliveries.Publication.objects, "select_for_update", _killed_while_settling)
    with pytest.raises(WorkerKilled):
        engine.publish_due()
    monkeypatch.undo()
    delivery = Delivery.objects.get(variant__publication=publication)
    publication.refresh_from_db()
    # Neither says «publicada»: the post is out, the claim is still «enviando», and the
    # stale-claim check will find it on the network (see test_engine).
    assert delivery.status == D.ENVIANDO and publication.status == PublicationStatus.PROGRAMADA
    assert len(network.posts) == 1


def test_two_deliveries_of_one_publication_settle_it(make_publication, network):
    publication = make_publication(channels=("facebook", "x", "wordpress"))
    engine.publish_due()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA
    statuses = set(
        Delivery.objects.filter(variant__publication=publication).values_list("status", flat=True)
    )
    assert statuses == {D.PUBLICADA}


def test_worker_start_repairs_rows_left_by_older_versions(make_publication, network):
    out = make_publication(channels=("facebook", "x"))
    failed = make_publication(channels=("facebook",))
    still_open = make_publication(channels=("facebook", "x"), minutes=30)
    # What the old two-step code left behind after a kill: deliveries closed, the
    # publication still «programada».
    now = timezone.now()
    Delivery.objects.filter(variant__publication=out).update(status=D.PUBLICADA, published_at=now)
    Delivery.objects.filter(variant__publication=failed).update(status=D.FALLIDA)
    engine._repaired.clear()
    engine.publish_due()
    for publication, expected in (
        (out, PublicationStatus.PUBLICADA),
        (failed, PublicationStatus.FALLIDA),
        (still_open, PublicationStatus.PROGRAMADA),
    ):
        publication.refresh_from_db()
        assert publication.status == expected
    out.refresh_from_db()
    assert out.published_at == now
    assert network.posts == []  # repairing sends nothing
