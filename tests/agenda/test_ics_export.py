"""Exported views and the public feed re-import into `icalendar` with the same events."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone

from pregon.agenda import ics, selectors
from pregon.agenda.models import Activity
from tests.agenda.conftest import DATA, local

MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def feed_since_2023(monkeypatch):
    """The samples are of 2023; the public feed holds the last six months only."""
    monkeypatch.setattr(selectors, "PUBLIC_FEED_PAST", timezone.now() - local(2023, 1, 1))


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_public_feed_needs_no_login_and_hides_private_and_cancelled(
    client, make_activity, feed_since_2023
):
    make_activity("Feria del empleo", start=local(2023, 4, 12, 10), place="Plaza Cívica")
    make_activity("Reunión con Tesorería", start=local(2023, 4, 12, 13), is_public=False)
    make_activity("Concierto suspendido", start=local(2023, 4, 13, 18), status="cancelada")
    response = client.get("/agenda/publica.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert list(events) == ["Feria del empleo"]
    event = events["Feria del empleo"]
    assert event.decoded("DTSTART") == datetime(2023, 4, 12, 10, tzinfo=MX)
    assert str(event["LOCATION"]) == "Plaza Cívica"
    assert "VTIMEZONE" in response.content.decode()


def test_imported_calendar_round_trips_through_the_feed(client, pres, feed_since_2023):
    ics.import_ics((DATA / "google_cabildo_2023.ics").read_bytes(), pres, public_default=True)
    body = client.get("/agenda/publica.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    assert [c.errors for c in calendar.walk()] == [[] for _ in calendar.walk()]
    exported = sorted(
        (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in recurring_ical_events.of(calendar).between(
            datetime(2023, 1, 1), datetime(2024, 1, 1)
        )
    )
    stored = sorted(
        (
            a.title,
            a.starts_at.astimezone(MX).date() if a.all_day else a.starts_at.astimezone(MX),
            a.ends_at.astimezone(MX).date() if a.all_day else a.ends_at.astimezone(MX),
        )
        for a in Activity.objects.public()
    )
    assert exported == stored
    assert len(exported) == 9  # the private meeting stays out
    # The series stays a series: one master with its RRULE, the moved session as an
    # override with RECURRENCE-ID, all under the source's UID.
    series = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == "5q1s9cabildo2023@google.com"]
    assert sum("RRULE" in e for e in series) == 1
    assert all("RECURRENCE-ID" in e for e in series if "RRULE" not in e)


def test_reimporting_our_own_export_changes_nothing(pres, make_activity):
    make_activity("Feria", start=local(2023, 4, 12, 10), area="PRES")
    body = ics.export_ics(Activity.objects.all(), "prueba")
    first = ics.import_ics(body, pres)
    assert first.summary()["creadas"] == 1  # our own UID is new to the importer
    again = ics.import_ics(body, pres)
    assert again.summary()["sin_cambios"] == 1
    assert Activity.objects.count() == 2


def test_export_of_a_filtered_view_requires_login_and_filters(client, mariana, make_activity):
    make_activity("Obra", start=local(2023, 4, 12, 10), area="OPDU")
    make_activity("Cabildo", start=local(2023, 4, 13, 10), area="SECAY")
    make_activity("Obra de mayo", start=local(2023, 5, 12, 10), area="OPDU")
    assert client.get("/agenda/exportar.ics").status_code == 302
    client.force_login(mariana)
    response = client.get(
        "/agenda/exportar.ics", {"vista": "mes", "fecha": "2023-04-01", "area": "OPDU"}
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(_events(response.content)) == ["Obra"]


def test_enlace_export_contains_only_his_area(client, ricardo, make_activity):
    make_activity("Obra", start=local(2023, 4, 12, 10), area="OPDU")
    make_activity("Reunión privada de Tesorería", start=local(2023, 4, 13, 10), area="TES")
    client.force_login(ricardo)
    assert list(_events(client.get("/agenda/exportar.ics").content)) == ["Obra"]


def test_public_feed_is_cached_until_the_agenda_changes(
    client, make_activity, monkeypatch, feed_since_2023
):
    feria = make_activity("Feria del empleo", start=local(2023, 4, 12, 10))
    builds = []
    real = ics.export_ics
    monkeypatch.setattr(ics, "export_ics", lambda *a, **k: builds.append(1) or real(*a, **k))

    first = client.get("/agenda/publica.ics")
    again = client.get("/agenda/publica.ics")
    assert first.content == again.content and len(builds) == 1
    assert first["ETag"] == again["ETag"]
    # A calendar app that already has it gets "not modified", without a body.
    unchanged = client.get("/agenda/publica.ics", headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""

    feria.title = "Feria del empleo 2023"
    feria.save()
    changed = client.get("/agenda/publica.ics", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert list(_events(changed.content)) == ["Feria del empleo 2023"] and len(builds) == 2
    make_activity("Reunión privada", start=local(2023, 4, 13, 9), is_public=False)
    assert client.get("/agenda/publica.ics")["ETag"] == changed["ETag"]  # private: no change
    feria.delete()
    assert _events(client.get("/agenda/publica.ics").content) == {}


def test_public_feed_holds_what_is_coming_and_the_last_six_months(client, make_activity):
    """Calendar apps replace a subscription with the feed on each refresh: upcoming
    activities and those of the last six months, whatever the years stored."""
    now = timezone.now()
    make_activity("Informe de hace un año", start=now - timedelta(days=365))
    make_activity("Feria de hace siete meses", start=now - timedelta(days=213))
    make_activity("Cabildo de hace cinco meses", start=now - timedelta(days=150))
    make_activity("Jornada en curso", start=now - timedelta(hours=1))
    make_activity("Desfile del mes que viene", start=now + timedelta(days=30))
    make_activity("Festival del año que viene", start=now + timedelta(days=300))
    calendar = icalendar.Calendar.from_ical(client.get("/agenda/publica.ics").content)
    assert [c.errors for c in calendar.walk()] == [[] for _ in calendar.walk()]
    shown = {
        str(e["SUMMARY"])
        for e in recurring_ical_events.of(calendar).between(
            now - timedelta(days=3650), now + timedelta(days=3650)
        )
    }
    assert shown == {
        "Cabildo de hace cinco meses",
        "Jornada en curso",
        "Desfile del mes que viene",
        "Festival del año que viene",
    }
