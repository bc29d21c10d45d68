"""A public page already in the cache is answered before sessions, CSRF, locale,
authentication and messages (core/public_cache.PublicPageHits), with the same headers
as the first answer that went through them all, and nothing personal in it."""

import gzip

from django.test import Client

from tests.surveys.conftest import make_survey, survey  # noqa: F401 - fixtures

PRESS = "/boletines/sala-de-prensa/"
COMPARED = ("Content-Type", "Content-Language", "X-Frame-Options", "Cache-Control", "ETag")


def test_hit_skips_the_stack_and_keeps_its_headers(client, mariana):
    client.get(PRESS)  # a first visit creates the compliance settings row
    first = client.get(PRESS, headers={"Accept-Encoding": "gzip"})
    assert hasattr(first.wsgi_request, "session")  # rendered through the whole stack
    client.force_login(mariana)  # a signed-in reader gets the same shared answer
    hit = client.get(PRESS, headers={"Accept-Encoding": "gzip"})
    assert not hasattr(hit.wsgi_request, "session") and not hit.cookies
    assert hit.status_code == 200 and hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == gzip.decompress(first.content)
    assert {h: hit[h] for h in COMPARED} == {h: first[h] for h in COMPARED}
    assert set(first["Vary"].split(", ")) == set(hit["Vary"].split(", "))
    assert "Cookie" not in hit["Vary"] and "Content-Security-Policy" in hit
    assert hit["Content-Security-Policy"] != first["Content-Security-Policy"]  # own nonce
    assert b"Mariana" not in gzip.decompress(hit.content)
    unchanged = client.get(PRESS, headers={"If-None-Match": hit["ETag"]})
    assert unchanged.status_code == 304 and not hasattr(unchanged.wsgi_request, "session")


def test_hit_of_a_page_with_a_form_gives_each_visitor_their_token(survey):  # noqa: F811
    url = f"/encuestas/r/{survey.slug}/"
    Client().get(url)  # rendered and kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert not hasattr(page.wsgi_request, "session")  # answered from the cache
    assert "csrftoken" in page.cookies and "private" in page["Cache-Control"]
    assert "no-store" in page["Cache-Control"]  # never_cache, as the first answer had
    again = visitor.get(url)
    # The visitor's secret is kept (the cookie re-sent, as Django does), not replaced.
    assert again.cookies["csrftoken"].value == page.cookies["csrftoken"].value
    assert b"placeholder" not in again.content


def test_not_a_hit_when_rendered_for_a_code_or_written(make_survey, client):  # noqa: F811
    url = f"/encuestas/r/{make_survey(access_mode='codes').slug}/"
    client.get(url)
    personal = client.get(url + "?codigo=NOEXISTE")
    assert hasattr(personal.wsgi_request, "session") and "NOEXISTE" in personal.content.decode()
    sent = client.post(url, {})
    assert hasattr(sent.wsgi_request, "session")


def test_a_missing_public_page_is_drawn_once_while_others_wait(client, db, monkeypatch):
    from django.core.cache import cache

    from pregon.core import single_flight

    client.get(PRESS)  # a first visit creates the compliance settings row
    cache.clear()
    waited = []
    real = single_flight.drawn_meanwhile
    monkeypatch.setattr(
        single_flight, "drawn_meanwhile", lambda key: waited.append(key) or real(key)
    )
    assert client.get(PRESS).status_code == 200
    # The drawing took the mark and left it free: the next miss draws at once.
    assert waited and not [k for k in cache._cache if k.endswith(":drawing")]  # noqa: SLF001


def test_a_page_past_its_time_is_drawn_again_while_others_get_the_copy(client, db, settings):
    from django.core.cache import cache

    from pregon.core import public_cache, single_flight, versions

    client.get(PRESS)  # a first visit creates the compliance settings row
    client.get(PRESS)
    current = f":public:page:{versions.version('public')}:"
    [key] = [k.split(":", 2)[2] for k in cache._cache if current in k]  # noqa: SLF001
    entry = cache.get(key)
    cache.set(key, {**entry, "fresh_until": 0, "content": None}, 60)  # past its time
    single_flight.claim(key)  # another request is drawing it again
    meanwhile = client.get(PRESS)
    assert meanwhile.status_code == 200 and not hasattr(meanwhile.wsgi_request, "session")
    single_flight.finished(key, kept=True)
    redrawn = client.get(PRESS)  # nobody drawing: this request draws it
    assert hasattr(redrawn.wsgi_request, "session")
    assert public_cache._fresh(cache.get(key))
