"""The public cookieless counter: counts like the logs, honours Do Not Track."""

from django.urls import reverse

from pregon.analytics.models import DailyVisitor, PageVisitDay, Purpose, PurposeRule

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"


def hit(client, path: str, agent: str = FIREFOX, **headers):
    return client.post(
        reverse("analytics:count"), {"p": path}, headers={"User-Agent": agent, **headers}
    )


def test_counts_visits_and_daily_visitors_without_cookies(client, db):
    PurposeRule.objects.create(prefix="/tramites/", purpose=Purpose.PROCEDURES)
    for _ in range(3):
        response = hit(client, "/tramites/predial/?ref=portada")
        assert response.status_code == 204
        assert not response.cookies
    hit(client, "/", agent="Mozilla/5.0 Chrome/119.0")
    page = PageVisitDay.objects.get(path="/tramites/predial/")
    assert (page.visits, page.purpose) == (3, Purpose.PROCEDURES)
    assert DailyVisitor.objects.count() == 2  # same IP, two browsers
    assert not DailyVisitor.objects.filter(visitor__contains="127.0.0.1").exists()


def test_do_not_track_and_robots_are_not_counted(client, db):
    assert hit(client, "/a/", DNT="1").status_code == 204
    assert hit(client, "/b/", **{"Sec-GPC": "1"}).status_code == 204
    assert (
        hit(client, "/c/", agent="Googlebot/2.1 (+http://www.google.com/bot.html)").status_code
        == 204
    )
    assert hit(client, "no-es-ruta").status_code == 204
    assert not PageVisitDay.objects.exists()


def test_only_post_is_accepted(client, db):
    assert client.get(reverse("analytics:count")).status_code == 405


def test_script_respects_do_not_track(client, db):
    response = client.get(reverse("analytics:counter_js"))
    script = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert "doNotTrack" in script and "globalPrivacyControl" in script
    assert "cookie" not in script.lower().replace("sin cookies", "")


def test_counter_is_rate_limited_per_client(db, settings):
    """A script posting beacons in a loop cannot inflate the visits: past the limit
    an address is answered 429 and nothing more is stored; others still count."""
    from django.test import Client

    settings.PREGON_COUNTER_RATE_LIMIT = 10
    settings.PREGON_TRUSTED_PROXIES = 1
    flooder = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    answers = [hit(flooder, "/tramites/predial/").status_code for _ in range(300)]
    assert answers.count(204) == 10 and answers.count(429) == 290
    assert PageVisitDay.objects.get(path="/tramites/predial/").visits == 10
    neighbour = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert hit(neighbour, "/tramites/predial/").status_code == 204
    assert PageVisitDay.objects.get(path="/tramites/predial/").visits == 11
    assert DailyVisitor.objects.count() == 2  # two citizens, not one proxy
