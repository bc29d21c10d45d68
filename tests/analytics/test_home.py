"""The home panel: each account's followers against its own first figure of the year,
the plan's one baseline against the sum it covers, last week's posts against the band,
yesterday's portal visits — for Coordinación and Consulta only."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from pregon.analytics.models import AccountMetric, DailyVisitor, PageVisitDay, PostMetric


def fill(accounts) -> None:
    today = timezone.localdate()
    fb = accounts["fb"]
    AccountMetric.objects.create(
        account=fb, date=today - timedelta(days=3), followers=7245, source="api"
    )
    AccountMetric.objects.create(
        account=fb, date=today - timedelta(days=2), followers=7250, source="api"
    )
    last_monday = today - timedelta(days=today.weekday() + 7)
    for n, likes in enumerate((40, 90, 150)):  # two inside the 50–200 band; +10 comments each
        PostMetric.objects.create(
            account=fb,
            remote_id=f"w{n}",
            published_at=datetime.combine(last_monday + timedelta(days=n), datetime.min.time(), UTC)
            + timedelta(hours=18),
            snapshot_at=timezone.now(),
            reactions=likes,
            comments=10,
            source="api",
        )
    PostMetric.objects.create(  # this week: not counted
        account=fb,
        remote_id="now",
        published_at=timezone.now(),
        snapshot_at=timezone.now(),
        reactions=999,
        source="api",
    )
    yesterday = today - timedelta(days=1)
    PageVisitDay.objects.create(date=yesterday, path="/", purpose="otros", visits=1200)
    PageVisitDay.objects.create(date=yesterday, path="/tramites/", purpose="tramites", visits=34)
    DailyVisitor.objects.bulk_create(
        DailyVisitor(date=yesterday, visitor=f"{n:032x}") for n in range(57)
    )


def test_coordinacion_sees_the_audience_panel(client, mariana, accounts):
    fill(accounts)
    client.force_login(mariana)
    page = client.get("/").content.decode()
    assert "Audiencias" in page
    assert "Facebook · Ayuntamiento: 7,250 seguidores" in page
    assert "+5 desde su primera cifra del año (7,245) (+0.1 %)" in page
    assert "6,900" not in page  # no plan baseline set: nothing compared with it
    assert "Semana pasada: 103 interacciones promedio por publicación (3 publicaciones)" in page
    assert "2 con «me gusta» dentro del rango 50–200 del plan" in page
    assert "Portal ayer: 1,234 visitas, 57 visitantes únicos" in page


def test_consulta_sees_it_and_enlace_does_not(client, pedro, ricardo, accounts):
    from pregon.analytics.home import panels

    fill(accounts)
    client.force_login(pedro)
    assert "Portal ayer: 1,234 visitas" in client.get("/").content.decode()
    request = type("R", (), {"user": ricardo})()
    assert panels(request) == []


def test_empty_week_says_so(client, mariana, db):
    client.force_login(mariana)
    page = client.get("/").content.decode()
    assert "Semana pasada: sin cifras de publicaciones" in page
    assert "Portal ayer: 0 visitas, 0 visitantes únicos" in page
