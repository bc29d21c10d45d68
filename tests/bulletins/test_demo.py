"""The 2023 demo: ~120 boletines numbered per year without gaps, the press directory,
council session recordings; idempotent."""

import io

from django.test import Client

from pregon.accounts import demo as accounts_demo
from pregon.agenda import demo as agenda_demo
from pregon.bulletins import demo
from pregon.bulletins.models import Bulletin, LiveTransmission, MediaContact, MediaList


def test_demo_year_is_numbered_and_idempotent(db):
    out = io.StringIO()
    accounts_demo.load(out)
    agenda_demo.load(out)
    demo.load(out)
    boletines = Bulletin.objects.filter(year=2023, kind="boletin").order_by("number")
    assert list(boletines.values_list("number", flat=True)) == list(range(1, 121))
    dates = list(boletines.values_list("dated", flat=True))
    assert dates == sorted(dates)
    assert Bulletin.objects.filter(kind="comunicado").count() == 14
    assert Bulletin.objects.filter(activity__isnull=False).exists()
    assert MediaList.objects.filter(name="Corresponsales Toluca").exists()
    assert MediaContact.objects.count() >= 12
    assert LiveTransmission.objects.filter(session_name__contains="Sesión").exists()
    totals = (Bulletin.objects.count(), MediaContact.objects.count())
    demo.load(out)
    assert (Bulletin.objects.count(), MediaContact.objects.count()) == totals
    page = Client().get("/boletines/sala-de-prensa/", {"anio": "2023"})
    assert page.status_code == 200 and "Boletín 120/2023" in page.content.decode()
