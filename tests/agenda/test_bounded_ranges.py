"""A calendar view reads the weeks it shows, not every earlier activity.

An activity lasts at most 31 days (longer undertakings are campaigns), so those that
overlap a period all start at most 31 days before it: `between` gives the index on
`starts_at` both ends of the range. Ten years of activities are 30,000 index entries
before this month; the month view now reads about two months of them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pregon.agenda import ics, selectors, services
from pregon.agenda.models import MAX_ACTIVITY_SPAN, Activity

from .conftest import local


def plan_of(found) -> str:
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_period_is_a_range_with_both_ends_on_the_start_index(db):
    plan = plan_of(Activity.objects.between(local(2026, 12, 1), local(2027, 1, 1)))
    assert "starts_at>? AND starts_at<?" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_public_feed_reads_from_the_start_index(db):
    plan = plan_of(selectors.public_feed_activities())
    assert "agenda_activity_starts_at" in plan and "SCAN agenda_activity" not in plan, plan


def test_what_overlaps_the_period_is_still_found(make_activity):
    start, end = local(2026, 12, 1), local(2027, 1, 1)
    longest = make_activity("Feria", start=start - MAX_ACTIVITY_SPAN + timedelta(hours=1), hours=0)
    longest.ends_at = longest.starts_at + MAX_ACTIVITY_SPAN
    longest.save()
    make_activity("Antes", start=start - timedelta(days=2), hours=3)
    make_activity("Último día", start=end - timedelta(minutes=30), hours=4)
    make_activity("Después", start=end, hours=1)
    found = set(Activity.objects.between(start, end).values_list("title", flat=True))
    assert found == {"Feria", "Último día"}


def test_an_activity_longer_than_31_days_is_refused(ana, pres):
    start = local(2026, 12, 1, 9)
    fields = {"title": "Temporada", "area": pres, "starts_at": start}
    with pytest.raises(ValidationError, match="dura como máximo 31 días"):
        services.activity_create(user=ana, **fields, ends_at=start + timedelta(days=32))
    activity = services.activity_create(user=ana, **fields, ends_at=start + timedelta(days=31))
    with pytest.raises(ValidationError, match="dura como máximo 31 días"):
        services.activity_update(activity=activity, user=ana, ends_at=start + timedelta(days=40))


def test_the_form_says_why(client, ana, pres):
    client.force_login(ana)
    response = client.post(
        "/agenda/nueva/",
        {
            "title": "Temporada",
            "area": pres.pk,
            "type": "evento_publico",
            "status": "propuesta",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2027-02-01T09:00",
        },
    )
    assert "dura como máximo 31 días" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_calendar_with_a_longer_event_is_refused_naming_it(pres):
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Prueba//ES\r\n"
        b"BEGIN:VEVENT\r\nUID:vacaciones@prueba\r\nDTSTAMP:20260801T120000Z\r\n"
        b"DTSTART;VALUE=DATE:20260701\r\nDTEND;VALUE=DATE:20260901\r\n"
        b"SUMMARY:Vacaciones de verano\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(ics.IcsError, match="«Vacaciones de verano».*dura como máximo 31 días"):
        ics.import_ics(calendar, pres)
    assert not Activity.objects.exists()
