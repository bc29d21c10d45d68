"""Importing Google/Outlook exports: recurrences in Mexico City time, idempotent
re-import, Spanish errors that name the line, all or nothing."""

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from pregon.agenda import ics
from pregon.agenda.models import Activity, ActivityStatus
from tests.agenda.conftest import DATA

MX = ZoneInfo("America/Mexico_City")
GOOGLE = (DATA / "google_cabildo_2023.ics").read_bytes()
CABILDO_UID = "5q1s9cabildo2023@google.com"


def _local_starts(uid: str) -> list[datetime]:
    rows = Activity.objects.filter(ical_uid=uid).order_by("starts_at")
    return [a.starts_at.astimezone(MX).replace(tzinfo=None) for a in rows]


def test_google_export_imports_exactly_the_right_occurrences(pres):
    result = ics.import_ics(GOOGLE, pres)
    assert result.summary()["creadas"] == 10
    assert _local_starts(CABILDO_UID) == [
        datetime(2023, 1, 5, 10),
        datetime(2023, 1, 12, 10),
        datetime(2023, 1, 20, 17),  # the 19th moved by RECURRENCE-ID
        datetime(2023, 1, 26, 10),
        # 2 Feb is an EXDATE
        datetime(2023, 2, 9, 10),
        datetime(2023, 2, 16, 10),
        datetime(2023, 2, 23, 10),
        datetime(2023, 3, 2, 10),  # RDATE
    ]
    moved = Activity.objects.get(ical_uid=CABILDO_UID, starts_at__day=20)
    assert moved.title == "Sesión ordinaria de Cabildo (cambio de horario)"
    assert moved.ical_recurrence_id == "20230119T160000Z"
    assert moved.ends_at.astimezone(MX).hour == 19
    first = Activity.objects.filter(ical_uid=CABILDO_UID).first()
    assert first.place == "Sala de Cabildo, Palacio Municipal, Chapultepec"
    assert "Orden del día en la Secretaría." in first.description
    assert first.area == pres


def test_all_day_and_private_events(pres):
    ics.import_ics(GOOGLE, pres)
    vaccination = Activity.objects.get(ical_uid="7h2k4vacunacion@google.com")
    assert vaccination.all_day
    assert vaccination.starts_at.astimezone(MX) == datetime(2023, 1, 14, tzinfo=MX)
    assert vaccination.ends_at.astimezone(MX) == datetime(2023, 1, 15, tzinfo=MX)
    private = Activity.objects.get(ical_uid="9x8w7reunionprivada@google.com")
    assert not private.is_public
    assert private.starts_at.astimezone(MX).hour == 9  # 15:00Z is 09:00 in Mexico City
    assert private.ical_recurrence_id == ""
    assert private not in Activity.objects.public()


def test_reimport_changes_nothing(pres):
    ics.import_ics(GOOGLE, pres)
    before = {a.pk: a.updated_at for a in Activity.objects.all()}
    again = ics.import_ics(GOOGLE, pres)
    assert again.summary()["sin_cambios"] == 10
    assert again.summary()["creadas"] == again.summary()["actualizadas"] == 0
    assert {a.pk: a.updated_at for a in Activity.objects.all()} == before


def test_reimport_of_an_edited_calendar_updates_and_cancels(pres):
    ics.import_ics(GOOGLE, pres)
    edited = GOOGLE.replace(
        b"SUMMARY:Sesi\xc3\xb3n ordinaria de Cabildo\r\n", b"SUMMARY:Cabildo abierto\r\n"
    ).replace(
        b"EXDATE;TZID=America/Mexico_City:20230202T100000",
        b"EXDATE;TZID=America/Mexico_City:20230202T100000,20230216T100000",
    )
    result = ics.import_ics(edited, pres)
    assert Activity.objects.count() == 10
    assert result.summary()["actualizadas"] == 6  # the moved one keeps its own title
    assert result.summary()["canceladas"] == 1
    cancelled = Activity.objects.get(ical_uid=CABILDO_UID, starts_at__month=2, starts_at__day=16)
    assert cancelled.status == ActivityStatus.CANCELADA
    assert cancelled.changes.first().to_status == ActivityStatus.CANCELADA
    assert Activity.objects.filter(title="Cabildo abierto").count() == 6


def test_dry_run_previews_without_saving(pres):
    result = ics.import_ics(GOOGLE, pres, dry_run=True)
    assert len(result.occurrences) == 10
    assert {o.action for o in result.occurrences} == {"crear"}
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("broken_ical.ics", 4, "DTSTART;;VALUE=DATE-TIME"),
        ("issue_104_broken_calendar.ics", 13, "«X»"),
        ("parsing_error.ics", 19, "EXDATE;VALUE=DATE:»"),
    ],
)
def test_broken_files_name_the_line_and_import_nothing(pres, name, line, fragment):
    with pytest.raises(ics.IcsError) as caught:
        ics.import_ics((DATA / name).read_bytes(), pres)
    message = str(caught.value)
    assert message.startswith(f"Línea {line}:")
    assert fragment in message
    assert Activity.objects.count() == 0


def test_not_a_calendar_and_not_utf8(pres):
    with pytest.raises(ics.IcsError, match="Línea 1: el archivo no es un calendario"):
        ics.import_ics(b"hola\r\n", pres)
    with pytest.raises(ics.IcsError, match="Línea 2: el archivo no está en UTF-8"):
        ics.import_ics(b"BEGIN:VCALENDAR\r\nSUMMARY:Caf\xe9\r\n", pres)


def test_endless_rule_from_another_timezone_is_bounded(pres):
    """x_location.ics (Google, Europe/Zurich, weekdays without end): the window stops."""
    result = ics.import_ics(
        (DATA / "x_location.ics").read_bytes(),
        pres,
        dry_run=True,
        since=datetime(2016, 10, 28, tzinfo=MX),
        until=datetime(2016, 11, 5, tzinfo=MX),
    )
    starts = [o.starts_at.astimezone(MX) for o in result.occurrences]
    # 14:00 in Zurich (CEST, UTC+2) is 07:00 in Mexico City (then CDT, UTC-5).
    assert starts[0] == datetime(2016, 10, 28, 7, tzinfo=MX)
    assert len(starts) == 6  # Fri 28, Mon 31 .. Fri 4


def test_command_json_and_dry_run(pres, area_factory):
    area_factory("SECAY")
    out = StringIO()
    path = str(DATA / "google_cabildo_2023.ics")
    call_command("import-ics", path, "--area", "SECAY", "--dry-run", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["creadas"] == 10 and summary["simulacion"] is True
    assert Activity.objects.count() == 0
    out = StringIO()
    call_command("import-ics", path, "--area", "SECAY", "--json", stdout=out)
    assert json.loads(out.getvalue())["creadas"] == 10
    assert set(Activity.objects.values_list("area__short_name", flat=True)) == {"SECAY"}


def test_command_reports_broken_file(pres):
    with pytest.raises(CommandError, match="broken_ical.ics: Línea 4"):
        call_command("import-ics", str(DATA / "broken_ical.ics"), stdout=StringIO())
    with pytest.raises(CommandError, match="No existe el área «XYZ»"):
        call_command("import-ics", str(DATA / "broken_ical.ics"), "--area", "XYZ")


def _without_feb_16(data: bytes) -> bytes:
    return data.replace(
        b"EXDATE;TZID=America/Mexico_City:20230202T100000",
        b"EXDATE;TZID=America/Mexico_City:20230202T100000,20230216T100000",
    )


def test_import_changes_are_written_to_the_history(pres, mariana):
    ics.import_ics(GOOGLE, pres, mariana)
    moved = GOOGLE.replace(b"LOCATION:Sala de Cabildo", b"LOCATION:Explanada")
    ics.import_ics(moved, pres, mariana)
    first = Activity.objects.filter(ical_uid=CABILDO_UID).first()
    change = first.changes.get()
    assert change.source == "ics" and change.changed_by == mariana
    assert change.changed_fields["place"][1].startswith("Explanada")
    assert change.changed_fields["place"][0].startswith("Sala de Cabildo")
    assert change.from_status == change.to_status == first.status
    assert change.old_starts_at is None  # not moved
    client_page = _detail_page(mariana, first)
    assert "Importación iCalendar" in client_page and "Explanada" in client_page


def _detail_page(user, activity) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(f"/agenda/actividad/{activity.pk}/").content.decode()


def test_cancelled_occurrence_that_reappears_is_restored(pres, mariana):
    ics.import_ics(GOOGLE, pres, mariana)
    ics.import_ics(_without_feb_16(GOOGLE), pres, mariana)
    feb16 = Activity.objects.get(ical_uid=CABILDO_UID, starts_at__month=2, starts_at__day=16)
    assert feb16.status == ActivityStatus.CANCELADA
    result = ics.import_ics(GOOGLE, pres, mariana)
    assert result.summary()["restauradas"] == 1
    assert result.summary()["sin_cambios"] == 9
    feb16.refresh_from_db()
    assert feb16.status == ActivityStatus.CONFIRMADA
    restored, cancelled = feb16.changes.all()[:2]
    assert (cancelled.from_status, cancelled.to_status) == ("confirmada", "cancelada")
    assert (restored.from_status, restored.to_status) == ("cancelada", "confirmada")
    assert restored.source == "ics" and restored.changed_by == mariana
    assert "Volvió a aparecer" in restored.reason
    assert ics.import_ics(GOOGLE, pres, mariana).summary()["sin_cambios"] == 10


def test_hand_cancelled_occurrence_stays_cancelled(pres, mariana):
    from pregon.agenda import services

    ics.import_ics(GOOGLE, pres, mariana)
    first = Activity.objects.filter(ical_uid=CABILDO_UID).first()
    services.change_status(first, ActivityStatus.CANCELADA, mariana, "Se suspende por lluvia")
    result = ics.import_ics(GOOGLE, pres, mariana)
    assert result.summary()["restauradas"] == 0
    first.refresh_from_db()
    assert first.status == ActivityStatus.CANCELADA


def test_status_cancelled_in_the_file_cancels_with_history(pres, mariana):
    ics.import_ics(GOOGLE, pres, mariana)
    private_uid = b"UID:9x8w7reunionprivada@google.com\r\n"
    assert private_uid in GOOGLE
    cancelled = GOOGLE.replace(private_uid, private_uid + b"STATUS:CANCELLED\r\n")
    assert ics.import_ics(cancelled, pres, mariana).summary()["canceladas"] == 1
    private = Activity.objects.get(ical_uid="9x8w7reunionprivada@google.com")
    assert private.status == ActivityStatus.CANCELADA
    assert private.changes.get().reason == ics.CANCELLED_REASON
