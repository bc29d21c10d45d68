"""The one table of delivery moves (publishing/deliveries.py), walked: every move from
every status either works (status written, audit entry recorded, publication settled
or reopened as the table says) or raises IllegalTransition and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pregon.core.models import AuditEntry
from pregon.publishing import deliveries
from pregon.publishing.models import (
    DELIVERY_ACTIONS,
    MANUAL_PENDING_ACTIONS,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    PublicationStatus,
)

D = DeliveryStatus
S = PublicationStatus
MOVES = sorted(deliveries.TRANSITIONS)


def _delivery_in(make_publication, status: str) -> Delivery:
    publication = make_publication()
    rows = Delivery.objects.filter(variant__publication=publication)
    rows.update(status=status, claimed_by="pub-w1", claimed_at=timezone.now())
    return rows.select_related("account", "variant__publication").get()


def _audit(delivery: Delivery) -> list[str]:
    entries = AuditEntry.objects.filter(object_type="publishing.delivery", object_id=delivery.pk)
    return list(entries.values_list("verb", flat=True))


@pytest.mark.parametrize("status", D.values)
@pytest.mark.parametrize("name", MOVES)
def test_every_move_from_every_status(make_publication, mariana, name, status):
    step = deliveries.TRANSITIONS[name]
    delivery = _delivery_in(make_publication, status)
    if status not in step.sources:
        with pytest.raises(deliveries.IllegalTransition) as refused:
            deliveries.transition(delivery, name, user=mariana)
        assert refused.value.messages[0]  # a sentence a person can read
        delivery.refresh_from_db()
        assert delivery.status == status and _audit(delivery) == []
        return
    moved = deliveries.transition(
        delivery, name, user=mariana, data={"why": "prueba"}, last_error="movida"
    )
    assert moved is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (step.target, "movida")
    assert _audit(delivery) == ([step.audit] if step.audit else [])
    publication = delivery.variant.publication
    publication.refresh_from_db()
    if step.publication == deliveries.SETTLE:  # its only delivery is closed now
        assert publication.status == (S.PUBLICADA if step.target == D.PUBLICADA else S.FALLIDA)
    else:
        assert publication.status == S.PROGRAMADA  # reopened, or left as it was


def test_the_pairs_not_in_the_table_are_exactly_the_illegal_ones():
    statuses = D.values
    for source in statuses:
        for target in statuses:
            movers = [
                t.name
                for t in deliveries.TRANSITIONS.values()
                if source in t.sources and t.target == target
            ]
            assert bool(movers) == ((source, target) in deliveries.ALLOWED)
    # What «closed» means: nothing leaves publicada or cancelada, and only a person
    # reopens a failed delivery (marking it published or sending it again).
    assert set(deliveries.OPEN_DELIVERY_STATUSES) | set(deliveries.CLOSED_DELIVERY_STATUSES) == (
        set(statuses)
    )
    leaving_closed = {
        (t.name, s)
        for t in deliveries.TRANSITIONS.values()
        for s in t.sources
        if s in deliveries.CLOSED_DELIVERY_STATUSES
    }
    assert leaving_closed == {("mark_published", D.FALLIDA), ("resend", D.FALLIDA)}
    for step in deliveries.TRANSITIONS.values():
        if step.publication == deliveries.SETTLE:
            assert step.target in deliveries.CLOSED_DELIVERY_STATUSES


def test_every_action_offered_to_people_is_a_move_the_table_allows():
    moves = {
        DeliveryAction.MARK_PUBLISHED: "mark_published",
        DeliveryAction.RESEND: "resend",
        DeliveryAction.CLOSE_FAILED: "give_up",
    }
    offered = [(s, a) for s, actions in DELIVERY_ACTIONS.items() for a in actions]
    offered += [(D.PENDIENTE, a) for a in MANUAL_PENDING_ACTIONS]
    for status, action in offered:
        if action == DeliveryAction.RECHECK:  # asks the network; its answer moves it
            assert status in deliveries.TRANSITIONS["absent"].sources
            assert status in deliveries.TRANSITIONS["publish"].sources
        else:
            assert status in deliveries.TRANSITIONS[moves[action]].sources, (status, action)


def test_a_lost_race_changes_nothing_and_records_nothing(make_publication, mariana):
    delivery = _delivery_in(make_publication, D.INCIERTA)
    Delivery.objects.filter(pk=delivery.pk).update(status=D.PUBLICADA)  # someone else
    assert deliveries.transition(delivery, "fail", last_error="tarde") is False
    with pytest.raises(deliveries.IllegalTransition, match="ya no se puede cerrar"):
        deliveries.by_person(delivery, "give_up", user=mariana)
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _audit(delivery) == []


def test_only_the_worker_holding_the_claim_moves_it(make_publication):
    delivery = _delivery_in(make_publication, D.ENVIANDO)
    assert not deliveries.transition(delivery, "requeue", worker="pub-other")
    assert deliveries.transition(delivery, "unclaim", worker="pub-w1")
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE


@pytest.mark.parametrize("status", D.values)
def test_claim_and_the_publication_wide_moves_take_only_their_sources(make_publication, status):
    delivery = _delivery_in(make_publication, status)
    publication = delivery.variant.publication
    now = timezone.now()
    taken = deliveries.claim(delivery.pk, worker="pub-w2", now=now, lease=timedelta(seconds=30))
    assert taken == (status == D.PENDIENTE)
    Delivery.objects.filter(pk=delivery.pk).update(status=status, attempts=0)
    open_ = status in (D.PENDIENTE, D.RETENIDA)
    assert deliveries.move_open(publication, now + timedelta(days=1)) == open_
    assert deliveries.cancel_open(publication) == open_
    delivery.refresh_from_db()
    assert delivery.status == (D.CANCELADA if open_ else status)
