"""The per-person cache of staff pages (core/page_cache.py): fresh after any write,
never one person's page for another, a fresh CSRF token and nonce on every answer,
and never a page with messages."""

import contextlib
import re
import threading
import time

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pregon.core import versions
from pregon.core.page_cache import CSRF_PLACEHOLDER, NONCE_PLACEHOLDER
from pregon.goals.apps import FIGURES_SCOPE
from pregon.goals.models import Plan
from pregon.publishing.models import Publication
from tests.publishing.conftest import accounts, make_publication  # noqa: F401 - fixtures

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _get(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert CSRF_PLACEHOLDER not in body and NONCE_PLACEHOLDER not in body
    return body, len(ctx.captured_queries)


def test_served_from_cache_until_any_write(client, person):
    user = person("paula", "coordinacion", area="OPDU")
    client.force_login(user)
    first, built = _get(client, "/publicaciones/")
    again, cached = _get(client, "/publicaciones/")
    assert cached < built and cached <= 1  # the person's roles: no page queries
    assert "Bacheo nocturno en San Mateo" not in again
    Publication.objects.create(title="Bacheo nocturno en San Mateo", text="x", author=user)
    after, rebuilt = _get(client, "/publicaciones/")
    assert "Bacheo nocturno en San Mateo" in after and rebuilt > cached


def test_never_another_persons_page(person):
    pages = {}
    for name in ("ana", "bruno"):
        client = Client()
        client.force_login(person(name, "coordinacion", first_name=name.capitalize()))
        _get(client, "/publicaciones/")
        pages[name] = _get(client, "/publicaciones/")[0]
    assert "Ana" in pages["ana"] and "Bruno" not in pages["ana"]
    assert "Bruno" in pages["bruno"] and "Ana" not in pages["bruno"]


def test_fresh_csrf_token_and_nonce_on_every_answer(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person("carla", "coordinacion"))
    answers = [client.get("/publicaciones/") for _ in range(3)]
    tokens = [TOKEN.search(a.content.decode()).group(1) for a in answers]
    assert len(set(tokens)) == 3  # masked afresh, as a rendered page would be
    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    nonces = [re.search(r"'nonce-([^']+)'", a["Content-Security-Policy"]).group(1) for a in answers]
    assert len(set(nonces)) == 3
    # The token of a page served from the cache works: signing out through its form.
    response = client.post("/cuenta/salir/", {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302


def test_waiting_messages_are_shown_once_and_never_kept(client, person):
    client.force_login(person("dora", "coordinacion"))
    _get(client, "/publicaciones/")
    _get(client, "/publicaciones/")  # kept
    storage = CookieStorage(RequestFactory().get("/"))
    note = "Publicación enviada a revisión (prueba)."
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, note)])
    assert note in _get(client, "/publicaciones/")[0]
    assert note not in _get(client, "/publicaciones/")[0]
    # A message the view itself shows (a mistyped period) is not kept either.
    Plan.objects.create(municipality="Chapultepec", year=timezone.localdate().year, title="Plan")
    counts = []
    for _ in range(2):
        versions.bump(FIGURES_SCOPE)  # the dashboard's figures read afresh: counted below
        body, queries = _get(client, "/metas/?periodo=xyz")
        assert "Se muestra" in body
        counts.append(queries)
    assert counts[1] == counts[0] > 4  # rendered again both times, not kept


def test_htmx_fragment_is_not_the_page(client, person):
    client.force_login(person("elena", "coordinacion"))
    page, _ = _get(client, "/archivo/?q=calles")
    fragment = client.get("/archivo/?q=calles", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in page and "<html" not in fragment
    assert "<html" in _get(client, "/archivo/?q=calles")[0]


def test_a_change_made_with_update_shows_on_the_next_render(client, person):
    user = person("fabian", "coordinacion", area="OPDU")
    client.force_login(user)
    row = Publication.objects.create(title="Poda en el parque Juárez", text="x", author=user)
    _get(client, "/publicaciones/")
    assert "Poda en el parque Juárez" in _get(client, "/publicaciones/")[0]  # kept
    # An UPDATE sends no signal; the service that writes one says so.
    Publication.objects.filter(pk=row.pk).update(title="Poda en el parque Hidalgo")
    versions.rows_updated(Publication)
    assert "Poda en el parque Hidalgo" in _get(client, "/publicaciones/")[0]


def test_a_delivery_status_written_with_update_shows_at_once(client, make_publication, mariana):  # noqa: F811
    from pregon.publishing import deliveries
    from pregon.publishing.models import Delivery

    rows = Delivery.objects.filter(variant__publication=make_publication())
    rows.update(status="enviando", claimed_by="pub-w1", claimed_at=timezone.now())
    client.force_login(mariana)
    _get(client, "/publicaciones/envios/")
    cached = _get(client, "/publicaciones/envios/")[1]
    # The worker gives the claim back: a conditional UPDATE, no audit entry, no signal.
    assert deliveries.transition(rows.get(), "unclaim", worker="pub-w1")
    assert _get(client, "/publicaciones/envios/")[1] > cached  # rendered again


def test_many_saves_in_one_transaction_bump_once_after_commit(
    transactional_db, person, monkeypatch
):
    user = person("hugo", "coordinacion", area="OPDU")
    bumps = []
    real = versions.bump
    monkeypatch.setattr(versions, "bump", lambda *scopes: bumps.append(scopes) or real(*scopes))
    with transaction.atomic():
        for n in range(20):
            Publication.objects.create(title=f"Aviso {n}", text="x", author=user)
        assert bumps == []  # nobody else can see these rows yet
        before = versions.version("data")  # this transaction reads what it wrote
        assert bumps == [("data",)]
        assert versions.version("data") == before  # nothing written since
        Publication.objects.create(title="Aviso final", text="x", author=user)
        assert versions.version("data") != before
        assert bumps.count(("data",)) == 2
    # And once after commit: every scope the transaction changed, in one write.
    assert len(bumps) == 3 and "data" in bumps[-1]


def test_a_rolled_back_transaction_bumps_nothing_after(transactional_db, person, monkeypatch):
    user = person("irma", "coordinacion", area="OPDU")
    bumps = []
    monkeypatch.setattr(versions, "bump", lambda *scopes: bumps.append(scopes))
    with contextlib.suppress(RuntimeError), transaction.atomic():
        Publication.objects.create(title="Aviso que no queda", text="x", author=user)
        raise RuntimeError
    assert bumps == []


def test_a_worker_process_bumps_what_it_committed_together_soon_after(
    transactional_db, person, monkeypatch
):
    user = person("joel", "coordinacion", area="OPDU")
    bumps = []
    monkeypatch.setattr(versions, "bump", lambda *scopes: bumps.append(scopes))
    stop = versions.gather_bumps(0.2)
    try:
        for n in range(5):
            with transaction.atomic():
                Publication.objects.create(title=f"Aviso {n}", text="x", author=user)
        Publication.objects.create(title="Aviso sin transacción", text="x", author=user)
        assert bumps == []  # not one cache write per commit
        deadline = time.monotonic() + 5
        while not bumps and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(bumps) == 1 and "data" in bumps[0]  # all of them, at once
        # Stopping (the worker ends) bumps what is left at once.
        stop_slow = versions.gather_bumps(60)
        Publication.objects.create(title="Aviso al final", text="x", author=user)
        stop_slow()
        assert len(bumps) == 2 and "data" in bumps[1]
    finally:
        stop()
    Publication.objects.create(title="Aviso después", text="x", author=user)
    assert ("data",) in bumps[2:]  # no longer gathered: bumped after its own commit


def test_a_page_being_drawn_is_waited_for_not_drawn_again():
    from django.core.cache import cache

    from pregon.core import single_flight

    key = "pregon:staff:page:test:abc"
    assert single_flight.drawn_meanwhile(key) is None  # nobody draws it: draw it here
    # Meanwhile, another request for the same page waits for this drawing.
    threading.Timer(0.1, lambda: cache.set(key, {"content": b"listo"}, 30)).start()
    started = time.monotonic()
    assert single_flight.drawn_meanwhile(key) == {"content": b"listo"}
    assert time.monotonic() - started < 1
    # A drawing that is not kept (messages, a cookie) lets the waiting ones draw it.
    other = "pregon:staff:page:test:def"
    assert single_flight.drawn_meanwhile(other) is None
    threading.Timer(0.1, lambda: single_flight.finished(other, kept=False)).start()
    started = time.monotonic()
    assert single_flight.drawn_meanwhile(other) is None
    assert time.monotonic() - started < 1


def test_a_kept_page_frees_the_drawing_for_the_next_generation(client, person):
    from django.core.cache import cache

    client.force_login(person("ines", "coordinacion"))
    _get(client, "/publicaciones/")
    assert not [k for k in cache._cache if k.endswith(":drawing")]  # noqa: SLF001


def test_gathered_bumps_survive_a_cache_that_fails_once(monkeypatch):
    bumps, failures = [], [RuntimeError("caché caída")]

    def flaky(*scopes):
        if failures:
            raise failures.pop()
        bumps.append(scopes)

    monkeypatch.setattr(versions, "bump", flaky)
    stop = versions.gather_bumps(60)
    versions.bump_once("data")  # outside a transaction: committed already
    with contextlib.suppress(RuntimeError):
        versions._gathered.flush()  # noqa: SLF001 - the thread's round, now
    stop()  # the next round
    assert bumps == [("data",)]
