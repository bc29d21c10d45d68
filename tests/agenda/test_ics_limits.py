"""iCalendar files cannot make the server expand millions of occurrences: a series
repeating every second, COUNT=100000000 or an endless daily rule past the limit is
refused with a Spanish message naming the RRULE line, quickly, and nothing is stored."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.agenda import ics
from pregon.agenda.models import Activity
from tests import hostile


@pytest.mark.parametrize(
    "rule, message",
    [
        ("FREQ=SECONDLY", "Línea 12: la repetición cada segundo (FREQ=SECONDLY) no se admite"),
        ("FREQ=MINUTELY;INTERVAL=5", "Línea 12: la repetición cada minuto (FREQ=MINUTELY)"),
        ("FREQ=DAILY;COUNT=100000000", "Línea 12: la serie pide 100000000 repeticiones"),
        ("FREQ=DAILY", "Línea 12: la serie produce más de 300 ocurrencias"),
    ],
)
def test_runaway_series_refused_naming_the_line(pres, settings, rule, message):
    settings.PREGON_ICS_MAX_SERIES_OCCURRENCES = 300  # an endless daily rule: ~480 in the window
    started = time.monotonic()
    with pytest.raises(ics.IcsError, match=re.escape(message)):
        ics.import_ics(hostile.ics_with_rule(rule), pres)
    assert time.monotonic() - started < 5
    assert not Activity.objects.exists()


def test_series_within_the_limits_still_import(pres):
    result = ics.import_ics(hostile.ics_with_rule("FREQ=WEEKLY;COUNT=20"), pres)
    assert result.summary()["creadas"] == 21  # the ordinary event and 20 sessions


def test_the_secondly_rule_through_the_page_answers_422(client, ana, pres):
    client.force_login(ana)
    upload = SimpleUploadedFile("agenda.ics", hostile.ics_with_rule("FREQ=SECONDLY"))
    response = client.post("/agenda/importar/", {"file": upload, "area": pres.pk})
    assert response.status_code == 422
    assert "Línea 12: la repetición cada segundo" in response.content.decode()


def test_a_file_past_the_ics_limit_is_refused(pres, settings, api_client, ana):
    settings.PREGON_MAX_ICS_MB = 1
    big = hostile.ics_with_rule("FREQ=WEEKLY;COUNT=2").replace(
        b"SUMMARY:Serie", b"SUMMARY:" + b"x" * (1024 * 1024)
    )
    with pytest.raises(ics.IcsError, match="no pueden pasar de 1 MB"):
        ics.import_ics(big, pres)
    response = api_client(ana).post(
        "/api/v1/activities/import-ics", {"file": SimpleUploadedFile("a.ics", big)}
    )
    assert response.status_code == 413
    assert "Los calendarios iCalendar no pueden pasar de 1 MB" in response.json()["detail"]
