"""Two Coordinación approvals at the same moment never get the same number (real
PostgreSQL connections in two threads; row lock on the counter)."""

import threading

import pytest
from django.db import connection

from pregon.bulletins import services
from pregon.bulletins.models import Bulletin

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrencia real entre conexiones: se prueba en PostgreSQL "
    "(SQLite serializa escritores con BEGIN IMMEDIATE; su base de pruebas en memoria "
    "no se comparte entre hilos).",
)


def _approve_together(bulletins, users, monkeypatch) -> tuple[list, list]:
    from django.db import connections

    barrier = threading.Barrier(len(bulletins), timeout=20)
    real_next = services.next_number

    def next_number_at_the_same_moment(year, kind):
        barrier.wait()  # both transactions are open, both rows locked, now race
        return real_next(year, kind)

    monkeypatch.setattr(services, "next_number", next_number_at_the_same_moment)
    results, errors = [], []

    def run(bulletin, user):
        try:
            results.append(services.bulletin_approve(bulletin=bulletin, user=user).number)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(bulletins, users, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def test_two_concurrent_approvals_get_consecutive_numbers(
    transactional_db, make_bulletin, jorge, mariana, person, monkeypatch
):
    other_boss = person("laura", "coordinacion", area="COMSOC")
    first, second = make_bulletin("Uno"), make_bulletin("Dos")
    for b in (first, second):
        services.bulletin_submit(bulletin=b, user=jorge)
    results, errors = _approve_together([first, second], [mariana, other_boss], monkeypatch)
    assert errors == []
    assert sorted(results) == [1, 2]
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 2]


def test_many_concurrent_approvals_have_no_gaps_nor_duplicates(
    transactional_db, make_bulletin, jorge, mariana, monkeypatch
):
    bulletins = [make_bulletin(f"Boletín {i}") for i in range(6)]
    for b in bulletins:
        services.bulletin_submit(bulletin=b, user=jorge)
    results, errors = _approve_together(bulletins, [mariana] * 6, monkeypatch)
    assert errors == []
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
