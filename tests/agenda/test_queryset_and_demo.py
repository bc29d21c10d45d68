"""Domain QuerySet words the goals app counts with, and the demo agenda (dated around
today: the current year, held before now and confirmed after)."""

from datetime import timedelta
from io import StringIO

from django.utils import timezone

from pregon.agenda import demo
from pregon.agenda.models import Activity, ActivityType, CoverageAssignment
from tests.agenda.conftest import local


def test_public_upcoming_between(make_activity):
    now = timezone.now()
    past = make_activity("Pasada", start=now - timedelta(days=3))
    soon = make_activity("Próxima", start=now + timedelta(days=2))
    private = make_activity("Privada", start=now + timedelta(days=2), is_public=False)
    cancelled = make_activity("Cancelada", start=now + timedelta(days=2), status="cancelada")
    assert set(Activity.objects.public()) == {past, soon}
    assert set(Activity.objects.upcoming()) == {soon, private, cancelled}
    window = Activity.objects.between(now + timedelta(days=2, hours=1), now + timedelta(days=3))
    assert set(window) == {soon, private, cancelled}  # 2-hour events still running
    assert list(Activity.objects.public().upcoming()) == [soon]


def test_demo_agenda_is_realistic_and_idempotent(db):
    from pregon.accounts import demo as accounts_demo

    accounts_demo.load(StringIO())
    demo.load(StringIO())
    count = Activity.objects.count()
    assert 250 <= count <= 600
    now = timezone.now()
    this_year = now.year
    year = Activity.objects.filter(
        starts_at__gte=local(this_year, 1, 1), starts_at__lt=local(this_year + 1, 1, 1)
    )
    # The whole year, and the agenda reaches four weeks ahead even in late December.
    assert Activity.objects.filter(starts_at__lt=local(this_year, 1, 1)).count() == 0
    assert Activity.objects.filter(starts_at__gte=now + timedelta(weeks=3)).exists()
    assert Activity.objects.filter(
        starts_at__gte=now, starts_at__lt=now + timedelta(days=8), is_public=True
    ).exists()  # something to cover this week
    past = Activity.objects.filter(ends_at__lt=now)
    assert not past.filter(status__in=["confirmada", "propuesta"]).exists()
    assert not Activity.objects.filter(starts_at__gt=now, status="realizada").exists()
    cabildo = year.filter(type=ActivityType.CABILDO_ORDINARIA)
    assert cabildo.count() in (52, 53)  # every Thursday of the year
    assert {a.starts_at.astimezone(timezone.get_current_timezone()).weekday() for a in cabildo} == {
        3
    }
    campaigns = set(year.exclude(campaign=None).values_list("campaign__name", flat=True))
    assert {
        "Jornadas de Salud",
        "Chapultepec Seguro",
        "Juegos Deportivos Municipales",
    } <= campaigns
    assert {"A", "B", "C"} <= set(year.values_list("priority_tier", flat=True))
    areas = set(year.values_list("area__short_name", flat=True))
    assert {"SECAY", "PC", "SEGPUB", "EDUC", "IMCUFIDEC", "SMDIF", "OPDU", "PRES"} <= areas
    coverage = CoverageAssignment.objects.count()
    snapshot = list(year.order_by("ical_uid").values_list("ical_uid", "starts_at", "status"))
    demo.load(StringIO())
    assert Activity.objects.count() == count
    assert CoverageAssignment.objects.count() == coverage
    assert (
        list(year.order_by("ical_uid").values_list("ical_uid", "starts_at", "status")) == snapshot
    )


def test_published_means_a_published_publication(client, mariana, make_activity):
    """Publishing defines Publication.activity (related_name="publications"); an
    activity counts as published only once one of them is published."""
    from django.apps import apps

    publication_model = apps.get_model("publishing", "Publication")
    soon = timezone.now() + timedelta(days=1)
    done = make_activity("Con boletín", start=soon)
    pending = make_activity("Sin boletín", start=soon + timedelta(hours=3))
    draft = make_activity("Con borrador", start=soon + timedelta(hours=6))
    publication_model.objects.create(
        title="Boletín", text="Texto", activity=done, author=mariana, status="publicada"
    )
    publication_model.objects.create(
        title="Borrador", text="Texto", activity=draft, author=mariana, status="borrador"
    )
    assert list(Activity.objects.published()) == [done]
    assert set(Activity.objects.unpublished()) == {pending, draft}
    client.force_login(mariana)
    rows = client.get("/agenda/jerarquizacion/").context["rows"]
    assert {r.title: r.published_count for r in rows} == {
        "Con boletín": 1,
        "Sin boletín": 0,
        "Con borrador": 0,
    }
