"""The demo year (the current one, up to yesterday): ~120 boletines a year, pro rata,
numbered without gaps, the press directory, council session recordings; idempotent."""

import io

from django.test import Client
from django.utils import timezone

from pregon.accounts import demo as accounts_demo
from pregon.agenda import demo as agenda_demo
from pregon.bulletins import demo
from pregon.bulletins.models import Bulletin, LiveTransmission, MediaContact, MediaList
from pregon.core import demo_clock


def test_demo_year_is_numbered_and_idempotent(db):
    out = io.StringIO()
    accounts_demo.load(out)
    agenda_demo.load(out)
    demo.load(out)
    today = timezone.localdate()
    expected = max(round(demo.BOLETINES * demo_clock.elapsed_fraction()), 1)  # pro rata
    boletines = Bulletin.objects.filter(year=today.year, kind="boletin").order_by("number")
    assert list(boletines.values_list("number", flat=True)) == list(range(1, expected + 1))
    dates = list(boletines.values_list("dated", flat=True))
    assert dates == sorted(dates) and dates[-1] < today
    comunicados = max(round(demo.COMUNICADOS * demo_clock.elapsed_fraction()), 1)
    assert Bulletin.objects.filter(kind="comunicado").count() == comunicados
    assert Bulletin.objects.filter(activity__isnull=False).exists()
    assert MediaList.objects.filter(name="Corresponsales Toluca").exists()
    assert MediaContact.objects.count() >= 12
    assert LiveTransmission.objects.filter(session_name__contains="Sesión").exists()
    totals = (Bulletin.objects.count(), MediaContact.objects.count())
    demo.load(out)
    assert (Bulletin.objects.count(), MediaContact.objects.count()) == totals
    page = Client().get("/boletines/sala-de-prensa/", {"anio": str(today.year)})
    assert f"Boletín {expected:03d}/{today.year}" in page.content.decode()
