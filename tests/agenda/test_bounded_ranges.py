"""A calendar view reads the weeks it shows, not every earlier activity.

Those that overlap a period all start at most as long before it as the longest stored
activity lasts (`models.longest_span`, measured and kept until an activity is
written), so `between` gives the index on `starts_at` both ends of the range. Ten
years of activities are 30,000 index entries before this month; the month view now
reads about two months of them. A longer activity is never refused nor lost: it
widens the range."""

from datetime import timedelta

import pytest
from django.db import connection

from pregon.agenda import ics, selectors, services
from pregon.agenda.models import Activity, longest_span

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
    make_activity("Antes", start=start - timedelta(days=2), hours=3)
    make_activity("Justo antes", start=start - timedelta(days=1), hours=23)
    make_activity("Último día", start=end - timedelta(minutes=30), hours=4)
    make_activity("Después", start=end, hours=1)
    found = set(Activity.objects.between(start, end).values_list("title", flat=True))
    assert found == {"Último día"}
    # A two-month exhibition, written after the bound was measured, is found at once.
    make_activity("Exposición", start=start - timedelta(days=45), hours=24 * 60)
    assert longest_span() == timedelta(days=60)
    found = set(Activity.objects.between(start, end).values_list("title", flat=True))
    assert found == {"Exposición", "Último día"}


def test_a_long_activity_is_kept_and_shown_in_the_month(client, ana, pres):
    start = local(2026, 11, 1, 9)
    services.activity_create(
        user=ana, title="Temporada de lluvias", area=pres, starts_at=start,
        ends_at=start + timedelta(days=75),
    )  # fmt: skip
    client.force_login(ana)
    page = client.get("/agenda/vista/mes/?fecha=2027-01-10").content.decode()
    assert "Temporada de lluvias" in page


def test_an_imported_calendar_keeps_a_long_event_and_the_views_find_it(pres):
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Prueba//ES\r\n"
        b"BEGIN:VEVENT\r\nUID:vacaciones@prueba\r\nDTSTAMP:20260801T120000Z\r\n"
        b"DTSTART;VALUE=DATE:20260701\r\nDTEND;VALUE=DATE:20260901\r\n"
        b"SUMMARY:Vacaciones de verano\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert longest_span() == timedelta(days=1)  # measured before the import
    ics.import_ics(calendar, pres)
    august = Activity.objects.between(local(2026, 8, 10), local(2026, 8, 11))
    assert list(august.values_list("title", flat=True)) == ["Vacaciones de verano"]
