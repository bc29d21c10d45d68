"""The permanent campaign's cadence: themes seeded from the plan on a brand-new
database, the board (counts checked against the stored rows), the veda pause, the
most-behind theme turning green once a post on it is delivered, and who may do what."""

import re
from datetime import date, datetime, timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations import RunPython
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pregon.compliance.models import ElectoralPeriod, ExemptCategory
from pregon.goals.models import FormulaKind, Frequency, Indicator, Plan, Source
from pregon.publishing import cadence, engine, services
from pregon.publishing.models import (
    Category,
    ChannelAccount,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationStatus,
    Theme,
    ThemeTarget,
    Variant,
)

PLAN_THEMES = {
    "Servicio social",
    "Salud",
    "Protección civil",
    "Seguridad pública",
    "Cultura",
    "Deporte",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_database_has_the_plans_themes_with_targets(plan_themes):
    """The data migration seeds them (and runs its seed on migrate): nothing to load
    before the board means anything."""
    migration = import_module("pregon.publishing.migrations.0010_permanent_themes")
    seeds = [op.code for op in migration.Migration.operations if isinstance(op, RunPython)]
    assert seeds == [migration.plan_themes]
    themes = {t.name: t for t in Theme.objects.prefetch_related("targets")}
    assert set(themes) == PLAN_THEMES
    assert all(t.targets.exists() for t in themes.values())
    salud = {t.channel: (t.count, t.period) for t in themes["Salud"].targets.all()}
    assert salud == {"facebook_page": (2, "semana"), "instagram": (1, "semana"), "x": (1, "semana")}


@pytest.fixture
def two_themes(db):
    """Salud (Facebook and X, weekly) and Cultura (Facebook, weekly) only."""
    Theme.objects.all().delete()
    salud = Theme.objects.create(name="Salud", category=Category.SALUD, order=0)
    cultura = Theme.objects.create(name="Cultura", category=Category.CULTURA, order=1)
    ThemeTarget.objects.create(theme=salud, channel=ChannelKind.FACEBOOK_PAGE, count=1)
    ThemeTarget.objects.create(theme=salud, channel=ChannelKind.X, count=1)
    ThemeTarget.objects.create(theme=cultura, channel=ChannelKind.FACEBOOK_PAGE, count=1)
    return {"salud": salud, "cultura": cultura}


def deliver(jorge, mariana, accounts, category: str, channels=("facebook",)) -> Publication:
    """Write, approve and schedule a post, then let the engine deliver it now."""
    publication = services.publication_create(
        author=jorge,
        title=f"Aviso de {category}",
        text=f"Aviso de {category} para la población.",
        category=category,
        variants={accounts[c].pk: {"text": ""} for c in channels},
    )
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() + timedelta(hours=1)
    )
    Delivery.objects.filter(variant__publication=publication).update(
        scheduled_at=timezone.now() - timedelta(seconds=1)
    )
    engine.publish_due()
    return Publication.objects.get(pk=publication.pk)


def cell_status(html: str, theme: str, channel: str) -> str:
    row = re.search(rf'<tr data-theme="{theme}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-channel="{channel}" data-status="(\w+)"', row).group(1)


def theme_status_on_goals(html: str, theme: str) -> str:
    return re.search(rf'<tr data-theme="{theme}" data-status="(\w+)"', html).group(1)


def cadence_plan() -> Indicator:
    plan = Plan.objects.create(
        municipality="Chapultepec", year=timezone.localdate().year, title="Plan"
    )
    return Indicator.objects.create(
        plan=plan,
        code="T1",
        name="Temas permanentes al día",
        formula_kind=FormulaKind.RATIO,
        numerator=Source.CADENCE_MET,
        denominator=Source.CADENCE_TARGETS,
        frequency=Frequency.MONTHLY,
        target=100,
        unit="%",
    )


def test_delivering_the_most_behind_theme_turns_it_green(
    two_themes, accounts, network, jorge, mariana
):
    indicator = cadence_plan()
    salud = deliver(jorge, mariana, accounts, Category.SALUD, ("facebook", "x"))
    assert salud.status == PublicationStatus.PUBLICADA
    assert salud.theme == two_themes["salud"]  # from its category

    board = cadence.board()
    [behind] = board.most_behind()
    assert (behind.theme.name, behind.target.channel) == ("Cultura", "facebook_page")
    coordination = client_for(mariana)
    html = coordination.get("/publicaciones/temas/").content.decode()
    assert cell_status(html, "Cultura", "facebook_page") == "atrasado"
    assert cell_status(html, "Salud", "x") == "al_dia"
    assert "Atrasado" in html and "Al día" in html  # in words, not only in colour
    goals = coordination.get("/metas/").content.decode()
    assert theme_status_on_goals(goals, "Cultura") == "atrasado"
    assert 'id="cadence-met">2 de 3<' in goals
    assert re.search(r'id="ind-T1">.*?rezagado', goals, re.S)

    deliver(jorge, mariana, accounts, Category.CULTURA)

    html = coordination.get("/publicaciones/temas/").content.decode()
    assert cell_status(html, "Cultura", "facebook_page") == "al_dia"
    assert "Todos los temas van al día." in html
    goals = coordination.get("/metas/").content.decode()
    assert theme_status_on_goals(goals, "Cultura") == "al_dia"
    assert 'id="cadence-met">3 de 3<' in goals
    assert re.search(r'id="ind-T1">.*?en meta', goals, re.S)
    assert indicator.code == "T1"


def test_a_veda_pauses_the_themes_not_exempt_and_the_board_says_so(
    two_themes, accounts, jorge, mariana
):
    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Veda de prueba", scope="local", start=today - timedelta(days=3), end=today
    )
    ExemptCategory.objects.create(category=Category.SALUD, reason="Salud pública")
    board = cadence.board()
    rows = {row.theme.name: row for row in board.rows}
    assert rows["Cultura"].paused and not rows["Salud"].paused
    assert {c.theme.name for c in board.most_behind()} == {"Salud"}  # Cultura does not count
    assert len(board.measured()) == 2
    html = client_for(jorge).get("/publicaciones/temas/").content.decode()
    assert "Veda electoral en curso (Veda de prueba)" in html
    assert "En pausa por la veda «Veda de prueba»" in html
    assert cell_status(html, "Cultura", "facebook_page") == "pausado"
    assert cadence.board(today + timedelta(days=1)).rows[1].paused is False  # veda over


def make_delivery(publication, account, status, when) -> Delivery:
    variant, _ = Variant.objects.get_or_create(publication=publication, account=account)
    published = status == DeliveryStatus.PUBLICADA
    return Delivery.objects.create(
        variant=variant,
        account=account,
        status=status,
        scheduled_at=when,
        published_at=when if published else None,
    )


def test_board_counts_match_the_stored_rows(two_themes, jorge):
    """Many deliveries (two Facebook pages, failed ones, last month, next week) and the
    board's numbers against a count made here from the rows, in Python."""
    pages = [
        ChannelAccount.objects.create(name=n, kind=ChannelKind.FACEBOOK_PAGE)
        for n in ("Página 1", "Página 2")
    ]
    x = ChannelAccount.objects.create(name="X", kind=ChannelKind.X)
    now = timezone.now()
    statuses = [DeliveryStatus.PUBLICADA, DeliveryStatus.FALLIDA, DeliveryStatus.PUBLICADA]
    for n in range(60):
        theme = [two_themes["salud"], two_themes["cultura"], None][n % 3]
        when = now - timedelta(hours=7 * n)  # back about 17 days
        publication = Publication.objects.create(
            title=f"P{n}", text="t", author=jorge, theme=theme, status=PublicationStatus.PUBLICADA
        )
        for i, account in enumerate([pages[0], pages[1], x][: 1 + n % 3]):
            make_delivery(publication, account, statuses[(n + i) % 3], when)
    board = cadence.board()
    today = timezone.localdate()
    week = today.isocalendar()[:2]
    for cell in board.cells():
        seen, last = set(), None
        for d in Delivery.objects.select_related("variant__publication", "account"):
            if d.status != "publicada" or d.variant.publication.theme_id != cell.theme.pk:
                continue
            if d.account.kind != cell.target.channel:
                continue
            local = timezone.localtime(d.published_at).date()
            last = max(last, d.published_at) if last else d.published_at
            if local.isocalendar()[:2] == week:
                seen.add(d.variant.publication_id)
        assert cell.count == len(seen), cell.summary
        assert cell.last_post == last
    assert board.met() == sum(1 for c in board.cells() if c.count >= c.target.count)


def test_the_last_post_ever_is_found_before_this_month(two_themes, jorge):
    """A theme silent this month still shows its last post, months ago; a later failed
    delivery, or one of another theme, does not count."""
    facebook = ChannelAccount.objects.create(name="Página", kind=ChannelKind.FACEBOOK_PAGE)
    x = ChannelAccount.objects.create(name="X", kind=ChannelKind.X)
    now = timezone.now()
    salud, cultura = two_themes["salud"], two_themes["cultura"]
    cases = [
        (salud, facebook, DeliveryStatus.PUBLICADA, now - timedelta(days=200)),
        (salud, facebook, DeliveryStatus.PUBLICADA, now - timedelta(days=100)),
        (salud, facebook, DeliveryStatus.FALLIDA, now - timedelta(days=50)),
        (salud, x, DeliveryStatus.PUBLICADA, now - timedelta(hours=1)),
        (cultura, facebook, DeliveryStatus.PUBLICADA, now - timedelta(days=40)),
        (None, facebook, DeliveryStatus.PUBLICADA, now - timedelta(days=45)),
    ]
    for n, (theme, account, status, when) in enumerate(cases):
        publication = Publication.objects.create(title=f"P{n}", text="t", author=jorge, theme=theme)
        make_delivery(publication, account, status, when)
    cells = {(c.theme.name, c.target.channel): c for c in cadence.board().cells()}
    assert cells[("Salud", "facebook_page")].last_post == now - timedelta(days=100)
    assert cells[("Salud", "facebook_page")].count == 0
    assert cells[("Salud", "x")].last_post == now - timedelta(hours=1)
    assert cells[("Cultura", "facebook_page")].last_post == now - timedelta(days=40)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_board_does_not_walk_every_published_delivery(two_themes, jorge):
    """This month's deliveries through the (status, published_at) index; the last
    posts before it from the themes' own publications. Never the index on status
    alone, which reads every delivery ever published (280,000 after ten years)."""
    facebook = ChannelAccount.objects.create(name="Página", kind=ChannelKind.FACEBOOK_PAGE)
    old = Publication.objects.create(title="P", text="t", author=jorge, theme=two_themes["salud"])
    make_delivery(old, facebook, DeliveryStatus.PUBLICADA, timezone.now() - timedelta(days=90))
    with CaptureQueriesContext(connection) as ctx:
        cadence.board()
    reads = [q["sql"] for q in ctx.captured_queries if "publishing_delivery" in q["sql"]]
    assert len(reads) == 2  # this month, and the last posts of the silent pairs
    plans = []
    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    assert "publishing_del_status_when" in plans[0], plans[0]
    assert "publishing_publication_theme_id" in plans[1], plans[1]
    assert not any("publishing_delivery_status_" in plan for plan in plans), plans


def test_board_page_query_count_does_not_grow_with_themes(
    two_themes, mariana, django_assert_num_queries
):
    client = client_for(mariana)
    client.get("/publicaciones/temas/")  # session and permissions warmed up
    # Six, with the session and the person from the cache: nothing was published this
    # month, so the last posts are looked up before it.
    with django_assert_num_queries(6):
        assert client.get("/publicaciones/temas/").status_code == 200
    for n in range(8):
        theme = Theme.objects.create(name=f"Tema {n}", category=Category.OTRO)
        ThemeTarget.objects.create(theme=theme, channel=ChannelKind.INSTAGRAM, count=2)
    with django_assert_num_queries(6):
        assert client.get("/publicaciones/temas/").status_code == 200


def test_who_may_see_and_keep_the_themes(two_themes, mariana, jorge, pedro, ricardo):
    salud = two_themes["salud"]
    for user in (mariana, jorge, pedro):
        assert client_for(user).get("/publicaciones/temas/").status_code == 200
    assert client_for(ricardo).get("/publicaciones/temas/").status_code == 403
    for user in (jorge, pedro, ricardo):
        c = client_for(user)
        assert c.get("/publicaciones/temas/nuevo/").status_code == 403
        assert c.get(f"/publicaciones/temas/{salud.pk}/").status_code == 403
        assert c.post(f"/publicaciones/temas/{salud.pk}/eliminar/").status_code == 403
    assert client_for(pedro).get("/publicaciones/temas/sugerencia/").status_code == 403
    assert Client().get("/publicaciones/temas/").status_code == 302  # to the login page


def test_coordination_keeps_a_theme_and_its_targets(two_themes, mariana):
    c = client_for(mariana)
    data = {
        "name": "Servicio social",
        "category": "",
        "is_active": "on",
        "order": "3",
        "metas-TOTAL_FORMS": "2",
        "metas-INITIAL_FORMS": "0",
        "metas-0-channel": "facebook_page",
        "metas-0-count": "2",
        "metas-0-period": "semana",
        "metas-1-channel": "instagram",
        "metas-1-count": "1",
        "metas-1-period": "mes",
    }
    assert c.post("/publicaciones/temas/nuevo/", data).status_code == 302
    theme = Theme.objects.get(name="Servicio social")
    assert {str(t) for t in theme.targets.all()} == {
        "Servicio social: 2 por semana en Página de Facebook",
        "Servicio social: 1 por mes en Instagram",
    }
    data["metas-1-count"] = "0"
    page = c.post(f"/publicaciones/temas/{theme.pk}/", data)
    assert "Indique al menos 1" in page.content.decode()
    assert c.post(f"/publicaciones/temas/{theme.pk}/eliminar/").status_code == 302
    assert not Theme.objects.filter(name="Servicio social").exists()


def test_theme_comes_from_the_category_unless_chosen(two_themes, jorge):
    common = {"author": jorge, "title": "t", "text": "t"}
    assert services.publication_create(category="salud", **common).theme == two_themes["salud"]
    chosen = services.publication_create(category="salud", theme=two_themes["cultura"], **common)
    assert chosen.theme == two_themes["cultura"]
    assert services.publication_create(category="obra_publica", **common).theme is None


def test_composer_suggests_the_theme_most_behind_on_the_ticked_networks(
    two_themes, accounts, network, jorge, mariana
):
    deliver(jorge, mariana, accounts, Category.SALUD, ("facebook",))
    c = client_for(jorge)
    fb, x = accounts["facebook"].pk, accounts["x"].pk
    on_facebook = c.get("/publicaciones/temas/sugerencia/", {f"channel_{fb}": "1"})
    assert "<strong>Cultura</strong>" in on_facebook.content.decode()
    on_x = c.get("/publicaciones/temas/sugerencia/", {f"channel_{x}": "1"}).content.decode()
    assert "<strong>Salud</strong>" in on_x and "0 de 1 esta semana en X" in on_x
    nothing = c.get("/publicaciones/temas/sugerencia/").content.decode()
    assert "Marque canales" in nothing
    composer = c.get("/publicaciones/nueva/").content.decode()
    assert 'name="theme"' in composer and 'id="theme-suggestion"' in composer


def test_home_lists_the_three_most_behind_for_writers_and_coordination(plan_themes, jorge, pedro):
    home = client_for(jorge).get("/").content.decode()
    assert "Temas permanentes más atrasados" in home
    behind = cadence.board().most_behind()
    assert len(behind) == 3
    for cell in behind:
        assert cell.summary in home
    assert "Temas permanentes más atrasados" not in client_for(pedro).get("/").content.decode()


def test_api_themes_and_board(two_themes, api_client, mariana, pedro, ricardo):
    reader = api_client(pedro)
    listed = reader.get("/api/v1/themes").json()
    assert listed["total"] == 2
    board = reader.get("/api/v1/themes/board").json()
    assert board["measured"] == 3 and board["met"] == 0
    assert {c["status"] for c in board["cells"]} == {"atrasado"}
    assert (
        reader.post("/api/v1/themes", {"name": "x"}, content_type="application/json").status_code
        == 403
    )
    assert api_client(ricardo).get("/api/v1/themes/board").status_code == 403
    writer = api_client(mariana)
    body = {
        "name": "Deporte",
        "category": "deporte",
        "targets": [{"channel": "instagram", "count": 1, "period": "mes"}],
    }
    created = writer.post("/api/v1/themes", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    body["targets"] = [{"channel": "facebook_page", "count": 3}]
    changed = writer.put(f"/api/v1/themes/{pk}", body, content_type="application/json").json()
    assert changed["targets"] == [{"channel": "facebook_page", "count": 3, "period": "semana"}]
    past = writer.get("/api/v1/themes/board", {"as_of": "2020-01-15"}).json()
    assert past["day"] == "2020-01-15" and past["cells"][0]["period_start"] == "2020-01-13"
    assert writer.delete(f"/api/v1/themes/{pk}").status_code == 204


def test_report_span_expected_and_counted(two_themes, accounts, jorge):
    """The report's section: a month of a weekly target asks for 31/7 posts."""
    first, last = date(2023, 1, 1), date(2023, 1, 31)
    when = timezone.make_aware(datetime(2023, 1, 10, 10))
    publication = Publication.objects.create(
        title="t", text="t", author=jorge, theme=two_themes["cultura"], status="publicada"
    )
    make_delivery(publication, accounts["facebook"], DeliveryStatus.PUBLICADA, when)
    cells = {(c.theme, c.channel): c for c in cadence.over_span(first, last)}
    cultura = cells[("Cultura", "Página de Facebook")]
    assert cultura.published == 1 and cultura.expected == round(31 / 7, 1)
    assert not cultura.met and cells[("Salud", "X")].published == 0
    assert cultura.percent == round(100 / round(31 / 7, 1), 1)  # of the expected shown
