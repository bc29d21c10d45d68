"""«Cuándo responde» and «Quién escucha»: figures checked against a plain recomputation
from the stored rows, the fake Graph API's demographics, CSV exports, permissions and
the number of SQL queries of each page."""

import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from pregon.analytics.demographics import fetch_account_audience
from pregon.analytics.models import AccountMetric, AudienceBreakdown, MetricSource, PostMetric
from pregon.publishing.models import (
    ChannelAccount,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationMedia,
    Variant,
)
from tests.publishing.fakes.graph import GraphFake

ZONE = ZoneInfo("America/Mexico_City")


def _media(publication: Publication, mime: str, n: int) -> list[PublicationMedia]:
    return [
        PublicationMedia.objects.create(
            publication=publication, mime_type=mime, width=1080, height=1080, size_bytes=1000
        )
        for _ in range(n)
    ]


@pytest.fixture
def own_posts(db, mariana):
    """Two accounts: Facebook gives reach, X does not (its rate uses followers). Posts
    at Thursday 19:00 (six, enough to trust), Monday 09:00 (two), plus rows that must
    not count: a post made outside Pregón and a delivery that failed."""
    fb = ChannelAccount.objects.create(name="FB Ayuntamiento", kind=ChannelKind.FACEBOOK_PAGE)
    x = ChannelAccount.objects.create(name="X Presidenta", kind=ChannelKind.X)
    today = timezone.localdate()
    for day in range(400):
        AccountMetric.objects.create(
            account=x, date=today - timedelta(days=day), followers=5000 - day, source="demo"
        )
    last_thursday = today - timedelta(days=(today.weekday() - 3) % 7 or 7)
    last_monday = today - timedelta(days=(today.weekday() - 0) % 7 or 7)
    specs = [  # (account, local day, hour, reach, likes, comments, kind, category, link)
        *[(fb, last_thursday - timedelta(weeks=w), 19, 2000, 100 + 7 * w, 10, "foto", "salud", "")
          for w in range(6)],
        (fb, last_monday, 9, 3000, 40, 2, "video", "cultura", ""),
        (fb, last_monday - timedelta(weeks=1), 9, 2500, 30, 0, "carrusel", "cultura", ""),
        (x, last_monday, 9, None, 20, 5, "texto", "salud", ""),
        (x, last_thursday, 19, None, 60, 9, "enlace", "salud", "https://chapultepec.gob.mx/"),
    ]  # fmt: skip
    for n, (account, day, hour, reach, likes, comments, kind, category, link) in enumerate(specs):
        when = datetime(day.year, day.month, day.day, hour, 5, tzinfo=ZONE)
        publication = Publication.objects.create(
            title=f"Publicación {n}", text="Texto", category=category, link=link, author=mariana
        )
        variant = Variant.objects.create(publication=publication, account=account)
        media = {
            "foto": ("image/jpeg", 1),
            "carrusel": ("image/jpeg", 3),
            "video": ("video/mp4", 1),
        }
        if kind in media:
            variant.media.set(_media(publication, *media[kind]))
        delivery = Delivery.objects.create(
            variant=variant,
            account=account,
            status=DeliveryStatus.PUBLICADA,
            scheduled_at=when,
            published_at=when,
            remote_id=f"r{n}",
        )
        PostMetric.objects.create(
            account=account, remote_id=f"r{n}", delivery=delivery, published_at=when,
            snapshot_at=when, reach=reach, reactions=likes, comments=comments, source="api",
        )  # fmt: skip
    outside = datetime(last_monday.year, last_monday.month, last_monday.day, 9, tzinfo=ZONE)
    PostMetric.objects.create(
        account=fb, remote_id="ajena", published_at=outside, snapshot_at=outside,
        reach=100, reactions=99, source="api",
    )  # fmt: skip
    return {"fb": fb, "x": x}


def _recomputed(days: int = 365) -> dict:
    """(account name, weekday, hour) -> rates, from the rows, without Pregón's code."""
    cells = defaultdict(list)
    since = timezone.localdate() - timedelta(days=days - 1)
    for post in PostMetric.objects.filter(
        delivery__status="publicada", delivery__published_at__isnull=False
    ).select_related("delivery", "account"):
        local = post.delivery.published_at.astimezone(ZONE)
        if local.date() < since:
            continue
        base = post.reach
        if not base:
            base = (
                AccountMetric.objects.filter(account=post.account, date__lte=local.date())
                .order_by("-date")
                .first()
                .followers
            )
        interactions = post.reactions + post.comments + post.shares + post.saves
        cells[(post.account.name, local.weekday(), local.hour)].append(100 * interactions / base)
    return cells


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def test_heatmap_csv_matches_a_recomputation_from_the_rows(own_posts, mariana, client):
    client.force_login(mariana)
    rows = _csv(client.get(reverse("analytics:responds_csv")))
    cells = [r for r in rows if r["agrupación"] == "día y hora"]
    expected = _recomputed()
    got = {(r["cuenta"], WEEKDAYS.index(r["día"]), int(r["hora"])): r for r in cells}
    assert set(got) == set(expected)
    for key, rates in expected.items():
        row = got[key]
        assert int(row["publicaciones"]) == len(rates)
        assert float(row["tasa media %"]) == pytest.approx(sum(rates) / len(rates), abs=0.01)
        assert row["confiable"] == ("sí" if len(rates) >= 5 else "no")
    thursday = got[("FB Ayuntamiento", 3, 19)]
    assert float(thursday["ic 95 % bajo"]) < float(thursday["tasa media %"])
    assert float(thursday["tasa media %"]) < float(thursday["ic 95 % alto"])
    assert got[("FB Ayuntamiento", 0, 9)]["publicaciones"] == "2"  # the outside post is left out


def test_format_and_category_groups_count_each_post_once(own_posts, mariana, client):
    client.force_login(mariana)
    rows = _csv(client.get(reverse("analytics:responds_csv")))
    formats = {r["valor"]: int(r["publicaciones"]) for r in rows if r["agrupación"] == "formato"}
    assert formats == {"Foto": 6, "Video": 1, "Carrusel": 1, "Texto": 1, "Enlace": 1}
    categories = {
        r["valor"]: int(r["publicaciones"]) for r in rows if r["agrupación"] == "categoría"
    }
    assert categories == {"Salud": 8, "Cultura": 2}


def test_theme_groups_posts_by_their_permanent_theme(own_posts, plan_themes, mariana, client):
    Publication.objects.filter(category="salud").update(theme=plan_themes["Salud"])
    client.force_login(mariana)
    rows = _csv(client.get(reverse("analytics:responds_csv")))
    themes = {
        r["valor"]: int(r["publicaciones"]) for r in rows if r["agrupación"] == "tema permanente"
    }
    expected = defaultdict(int)
    for publication in Publication.objects.filter(variants__deliveries__status="publicada"):
        expected[publication.theme.name if publication.theme else "Sin tema"] += 1
    assert themes == dict(expected)
    assert themes["Salud"] == 8


def test_page_shows_each_account_and_marks_thin_cells(
    own_posts, mariana, client, django_assert_num_queries
):
    client.force_login(mariana)
    # The session from the cache (cached_db); the person read once and kept, with her
    # permissions and roles (4 of these; later pages read none of them).
    with django_assert_num_queries(7):
        response = client.get(reverse("analytics:responds"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 2  # one heatmap per account with posts
    assert "FB Ayuntamiento" in body and "X Presidenta" in body
    assert "pocas publicaciones: poco confiable" in body  # Monday 09:00 has two posts
    assert "Jueves a las 19:00" in body  # the one trusted slot is recommended
    assert "2 sin alcance, medidas sobre seguidores" in body  # X's posts use followers


def test_composer_gets_the_next_best_slot_for_ticked_channels(own_posts, mariana, client):
    client.force_login(mariana)
    fb, x = own_posts["fb"], own_posts["x"]
    response = client.get(
        reverse("analytics:best_slot"), {f"channel_{fb.pk}": "1", f"channel_{x.pk}": "1"}
    )
    body = response.content.decode()
    now = timezone.localtime()
    ahead = (3 - now.weekday()) % 7
    thursday = now.date() + timedelta(days=ahead)
    if ahead == 0 and now.hour >= 19:
        thursday += timedelta(days=7)
    assert f'data-when="{thursday:%Y-%m-%d}T19:00"' in body
    assert "aún no hay publicaciones suficientes" in body  # X: two posts only
    assert "best_slot.js" in client.get(reverse("publishing:create")).content.decode()


def test_who_may_see_the_pages(own_posts, pedro, ricardo, jorge, client):
    for user, status in ((pedro, 200), (jorge, 200), (ricardo, 403)):
        client.force_login(user)
        for name in ("responds", "responds_csv", "listening", "listening_csv", "best_slot"):
            assert client.get(reverse(f"analytics:{name}")).status_code == status, (user, name)
    client.logout()
    assert client.get(reverse("analytics:listening")).status_code == 302


# ---- who is listening --------------------------------------------------------------


@pytest.fixture
def graph(settings):
    fake = GraphFake().start()
    settings.PREGON_GRAPH_API_URL = fake.url
    yield fake
    fake.stop()


def _connected(kind: str, external_id: str, token: str, name: str) -> ChannelAccount:
    return ChannelAccount.objects.create(
        name=name, kind=kind, external_id=external_id,
        credentials=json.dumps({"access_token": token}),
    )  # fmt: skip


CITIES = {"Chapultepec, México": 300, "Metepec, México": 120, "Toluca, México": 80,
          "Ciudad de México, Distrito Federal": 100}  # fmt: skip


def test_demographics_fetched_stored_and_charted(graph, db, mariana, client):
    ig = _connected(ChannelKind.INSTAGRAM, "178", "ig-token", "Instagram · @presidenta")
    fb = _connected(ChannelKind.FACEBOOK_PAGE, "111", "page-token", "Facebook · Ayuntamiento")
    graph.add_instagram("178", "presidenta", token="ig-token")
    graph.add_page("111", "Ayuntamiento", token="page-token")
    graph.demographics[("178", "follower_demographics", "city")] = CITIES
    graph.demographics[("178", "follower_demographics", "age")] = {"18-24": 90, "25-34": 210}
    graph.demographics[("178", "follower_demographics", "gender")] = {"F": 330, "M": 270}
    graph.demographics[("178", "engaged_audience_demographics", "city")] = {
        "Chapultepec, México": 50
    }
    graph.retired_metrics.add("page_follows_city")  # as Meta may answer for pages
    today = timezone.localdate()

    report = fetch_account_audience(ig, today)
    assert report.stored == 6 and not report.errors
    fb_report = fetch_account_audience(fb, today)
    assert "page_follows_city/city" in fb_report.unavailable
    asked = [r.query for r in graph.requests if r.path.endswith("/insights")]
    assert all(q["metric_type"] == "total_value" and q["timeframe"] == "this_month"
               for q in asked if q["metric"].endswith("demographics"))  # fmt: skip
    assert not any("page_fans" in q["metric"] for q in asked)  # retired ones are not asked

    stored = AudienceBreakdown.objects.get(
        account=ig, metric="follower_demographics", breakdown="city"
    )
    assert stored.counts == CITIES
    home_share = 100 * 300 / sum(CITIES.values())
    region_share = 100 * (300 + 120 + 80) / sum(CITIES.values())

    client.force_login(mariana)
    body = client.get(reverse("analytics:listening")).content.decode()
    assert f"{home_share:.1f} %" in body and f"{region_share:.1f} %" in body
    assert "La red no ofrece esta cifra" in body and "valid insights metric" in body
    assert "page_fans_gender_age" in body  # retired by Meta: the page says so
    rows = _csv(client.get(reverse("analytics:listening_csv")))
    wanted = (ig.name, "follower_demographics", "city")
    ig_cities = {
        r["valor"]: int(r["personas"])
        for r in rows
        if (r["cuenta"], r["cifra"], r["desglose"]) == wanted
    }
    assert ig_cities == CITIES
    assert any(r["cuenta"] == fb.name and "valid insights metric" in r["nota"] for r in rows)


def test_a_usage_limit_stops_the_account_and_keeps_earlier_days(graph, db):
    ig = _connected(ChannelKind.INSTAGRAM, "178", "ig-token", "Instagram · @presidenta")
    graph.add_instagram("178", "presidenta", token="ig-token")
    AudienceBreakdown.objects.create(
        account=ig, date=date(2026, 1, 1), metric="follower_demographics", breakdown="city",
        counts={"Chapultepec, México": 1}, source=MetricSource.API,
    )  # fmt: skip
    graph.rate_limit(times=1, code=4, minutes=7)
    report = fetch_account_audience(ig, date(2026, 1, 2))
    assert report.retry_after == 420 and report.stored == 0
    assert len([r for r in graph.requests if r.path.endswith("/insights")]) == 1
    assert AudienceBreakdown.objects.filter(account=ig).count() == 1


def test_listening_page_query_count(graph, db, mariana, client, django_assert_num_queries):
    for n in range(3):
        account = _connected(ChannelKind.INSTAGRAM, f"17{n}", f"t{n}", f"Instagram {n}")
        for back in range(5):
            AudienceBreakdown.objects.create(
                account=account, date=timezone.localdate() - timedelta(days=back),
                metric="follower_demographics", breakdown="city", counts=CITIES, source="api",
            )  # fmt: skip
    client.force_login(mariana)
    # The session comes from the cache (cached_db); the person and her permissions are
    # read once and kept (core/signed_in.py): the page's own queries, and those four.
    with django_assert_num_queries(6):
        assert client.get(reverse("analytics:listening")).status_code == 200


def test_api_engagement_matches_the_rows_and_follows_permissions(
    own_posts, mariana, ricardo, api_client
):
    response = api_client(mariana).get("/api/v1/analytics/engagement")
    assert response.status_code == 200
    body = response.json()
    got = {
        (a["name"], c["weekday"], c["hour"]): c["posts"]
        for a in body["accounts"]
        for c in a["cells"]
    }
    assert got == {key: len(rates) for key, rates in _recomputed().items()}
    assert {g["label"] for g in body["groups"]["format"]} == {
        "Foto", "Video", "Carrusel", "Texto", "Enlace"
    }  # fmt: skip
    assert api_client(mariana).get("/api/v1/analytics/engagement?days=7").status_code == 422
    assert api_client(ricardo).get("/api/v1/analytics/engagement").status_code == 403
    schema = api_client(mariana).get("/api/v1/openapi.json").json()
    assert "/api/v1/analytics/engagement" in schema["paths"]
    assert "/api/v1/analytics/audience" in schema["paths"]


def test_api_audience_says_when_a_metric_is_not_offered(db, mariana, api_client):
    fb = ChannelAccount.objects.create(name="FB", kind=ChannelKind.FACEBOOK_PAGE)
    AudienceBreakdown.objects.create(
        account=fb, date=timezone.localdate(), metric="page_follows_city", breakdown="city",
        counts={}, unavailable="(#100) The value must be a valid insights metric", source="api",
    )  # fmt: skip
    body = api_client(mariana).get("/api/v1/analytics/audience").json()
    parts = {(b["metric"], b["breakdown"]): b for b in body["items"][0]["breakdowns"]}
    assert parts[("page_follows_city", "city")]["available"] is False
    assert "valid insights metric" in parts[("page_follows_city", "city")]["note"]
    assert parts[("page_fans_gender_age", "age")]["available"] is False


@pytest.fixture
def demo_history(db):
    from pregon.accounts import demo as accounts_demo
    from pregon.accounts.roles import sync_roles
    from pregon.analytics import demo as analytics_demo
    from pregon.publishing import demo as publishing_demo

    sync_roles()
    for module in (accounts_demo, publishing_demo, analytics_demo):
        module.load(io.StringIO())


def test_demo_history_renders_heatmap_and_audience(demo_history, client):
    from pregon.accounts.models import User

    client.force_login(User.objects.get(username="coordinacion"))
    institutional = ChannelAccount.objects.get(name__startswith="Facebook · H. Ayuntamiento")
    body = client.get(reverse("analytics:responds")).content.decode()
    own = PostMetric.objects.filter(account=institutional, delivery__status="publicada").count()
    assert own > 100
    assert f"{own:,} publicaciones." in body  # every delivered post of the year is behind it
    assert "Mejores momentos" in body

    ig = ChannelAccount.objects.get(kind=ChannelKind.INSTAGRAM)
    latest = (
        AudienceBreakdown.objects.filter(
            account=ig, metric="follower_demographics", breakdown="city"
        )
        .order_by("-date")
        .first()
    )
    home = latest.counts["Chapultepec, México"]
    around = sum(
        v for k, v in latest.counts.items()
        if k.split(",")[0] in ("Metepec", "San Mateo Atenco", "Mexicaltzingo", "Calimaya", "Toluca")
    )  # fmt: skip
    total = sum(latest.counts.values())
    page = client.get(reverse("analytics:listening"), {"cuenta": ig.pk}).content.decode()
    assert f"{100 * home / total:.1f} %" in page
    assert f"{100 * (home + around) / total:.1f} %" in page
    assert page.count("<svg") == 7  # share over time + six breakdowns


def test_a_click_on_the_suggestion_fills_the_schedule(own_posts, page, login, mariana):
    """In a real browser: ticking the channel asks for its best slot, a click fills the
    date field (static JS, no inline script under the strict CSP)."""
    login(mariana)
    page.goto("/publicaciones/nueva/")
    page.locator(f"#channel_{own_posts['fb'].pk}").check()
    suggestion = page.locator(".best-slot").first
    suggestion.wait_for()
    suggestion.click()
    when = page.locator("#id_scheduled_at").input_value()
    assert when == suggestion.get_attribute("data-when")
    assert when.endswith("T19:00")
