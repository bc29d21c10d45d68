"""Calendars that round-trip: a series leaves Pregón as one VEVENT with RRULE/EXDATE
plus RECURRENCE-ID overrides under the source's UID, and importing that export into an
empty database gives back the same occurrences. Imports are private unless the file
says CLASS:PUBLIC or the person chooses «públicas»."""

from datetime import datetime

import icalendar
import pytest
import recurring_ical_events

from pregon.agenda import ics
from pregon.agenda.models import Activity, ImportedCalendarEvent
from tests.agenda.conftest import DATA

SPAN = (datetime(2012, 1, 1), datetime(2024, 12, 31))


def wrap(vevent_file: str) -> bytes:
    """The icalendar project's Google Calendar samples are bare VEVENTs."""
    body = (DATA / vevent_file).read_bytes().strip()
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//EN\r\n"
        + body
        + (b"\r\nEND:VCALENDAR\r\n")
    )


SAMPLES = {
    "google_cabildo_2023.ics": lambda: (DATA / "google_cabildo_2023.ics").read_bytes(),
    "issue_112_missing_tzinfo_on_exdate.ics": lambda: wrap(
        "issue_112_missing_tzinfo_on_exdate.ics"
    ),
}


def occurrences_in(body: bytes) -> list[tuple]:
    """What any calendar app shows, read by recurring-ical-events (the oracle)."""
    calendar = icalendar.Calendar.from_ical(body)
    return sorted(
        (str(e["UID"]), str(e["SUMMARY"]), _utc(e.decoded("DTSTART")), _utc(e.decoded("DTEND")))
        for e in recurring_ical_events.of(calendar).between(*SPAN)
    )


def _utc(value):
    return value.astimezone(ZoneUTC) if isinstance(value, datetime) else value


from zoneinfo import ZoneInfo  # noqa: E402

ZoneUTC = ZoneInfo("UTC")


def stored() -> list[tuple]:
    return sorted(
        (
            a.ical_uid,
            a.ical_recurrence_id,
            a.title,
            a.starts_at,
            a.ends_at,
            a.all_day,
            a.status,
            a.is_public,
            a.place,
        )
        for a in Activity.objects.all()
    )


def wipe() -> None:
    Activity.objects.all().delete()
    ImportedCalendarEvent.objects.all().delete()


@pytest.mark.parametrize("name", list(SAMPLES))
def test_import_export_reimport_gives_the_same_occurrences(pres, name):
    source = SAMPLES[name]()
    ics.import_ics(source, pres, source=name)
    first = stored()
    assert first
    exported = ics.export_ics(Activity.objects.all(), "exportación")
    # Every calendar app sees the same occurrences in the source and in our export.
    assert occurrences_in(exported) == occurrences_in(source)
    calendar = icalendar.Calendar.from_ical(exported)
    masters = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 1, "the series is exported as a series, not flattened"
    assert all(str(e["X-PREGON-SOURCE-CALENDAR"]) for e in calendar.walk("VEVENT"))
    wipe()
    ics.import_ics(exported, pres)
    assert stored() == first


def test_changes_made_in_pregon_travel_as_overrides_and_exdates(pres):
    ics.import_ics(SAMPLES["google_cabildo_2023.ics"](), pres, public_default=True)
    series = Activity.objects.filter(ical_uid="5q1s9cabildo2023@google.com").order_by("starts_at")
    renamed, gone, cancelled = series[1], series[3], series[4]
    renamed.title = "Sesión ordinaria de Cabildo (con comparecencia)"
    renamed.save()
    gone_start = gone.starts_at
    gone.delete()
    Activity.objects.filter(pk=cancelled.pk).update(status="cancelada")
    before = stored()
    exported = ics.export_ics(Activity.objects.all(), "exportación")
    seen = occurrences_in(exported)
    titles = [t for _, t, _, _ in seen]
    assert "Sesión ordinaria de Cabildo (con comparecencia)" in titles
    assert gone_start not in [start for _, _, start, _ in seen]
    calendar = icalendar.Calendar.from_ical(exported)
    cancelled_events = [e for e in calendar.walk("VEVENT") if str(e.get("STATUS")) == "CANCELLED"]
    assert len(cancelled_events) == 1 and "RECURRENCE-ID" in cancelled_events[0]
    wipe()
    ics.import_ics(exported, pres)
    assert stored() == before


def test_export_keeps_the_source_uid_of_single_events(pres):
    ics.import_ics(SAMPLES["google_cabildo_2023.ics"](), pres, source="presidencia.ics")
    calendar = icalendar.Calendar.from_ical(ics.export_ics(Activity.objects.all(), "x"))
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert {"7h2k4vacunacion@google.com", "9x8w7reunionprivada@google.com"} <= uids
    sources = {str(e["X-PREGON-SOURCE-CALENDAR"]) for e in calendar.walk("VEVENT")}
    assert sources == {"Agenda Presidencia Chapultepec"}  # X-WR-CALNAME wins over the file


def test_events_without_class_are_private_unless_chosen(client, pres):
    body = SAMPLES["google_cabildo_2023.ics"]()
    ics.import_ics(body, pres)
    assert not Activity.objects.filter(is_public=True).exists()
    assert b"BEGIN:VEVENT" not in client.get("/agenda/publica.ics").content
    wipe()
    ics.import_ics(body, pres, public_default=True)
    public = set(Activity.objects.filter(is_public=True).values_list("title", flat=True))
    assert "Jornada de vacunación antiinfluenza" in public
    assert "Reunión con Tesorería" not in public  # CLASS:PRIVATE wins over the choice


def test_reimport_keeps_what_the_person_chose_for_events_without_class(pres):
    body = SAMPLES["google_cabildo_2023.ics"]()
    ics.import_ics(body, pres)
    Activity.objects.filter(title__startswith="Jornada").update(is_public=True)
    again = ics.import_ics(body, pres)
    assert again.summary()["actualizadas"] == 0
    assert Activity.objects.get(title__startswith="Jornada").is_public


def test_preview_page_offers_publicas_and_honours_it(client, mariana, pres):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(mariana)
    upload = SimpleUploadedFile("presidencia.ics", SAMPLES["google_cabildo_2023.ics"]())
    preview = client.post("/agenda/importar/", {"file": upload, "area": pres.pk, "public": "on"})
    page = preview.content.decode()
    assert "se importarán como <strong>públicos</strong>" in page
    assert 'name="public" value="on"' in page
    import re

    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    client.post(
        "/agenda/importar/",
        {"content": content, "area": pres.pk, "confirm": "1", "public": "on",
         "source": "presidencia.ics"},
    )  # fmt: skip
    assert Activity.objects.filter(title__startswith="Jornada", is_public=True).exists()
    assert ImportedCalendarEvent.objects.filter(source="Agenda Presidencia Chapultepec").exists()
