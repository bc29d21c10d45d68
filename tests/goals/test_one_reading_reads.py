"""Within one reading (one goals page), a source over the same period and filters is
read once, however many indicators use it; outside a reading nothing is kept."""

from datetime import datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pregon.goals import sources
from pregon.goals.models import Source


def test_the_same_source_and_period_is_read_once_per_reading(db):
    end = timezone.make_aware(datetime(2026, 4, 1))
    start = end - timedelta(days=90)
    with sources.one_reading(), CaptureQueriesContext(connection) as ctx:
        first = sources.read(Source.PUBLICATIONS_PUBLISHED, start, end, {})
        again = sources.read(Source.PUBLICATIONS_PUBLISHED, start, end, {})
        other = sources.read(Source.PUBLICATIONS_PUBLISHED, start, end, {"area": "OPDU"})
    assert first == again == other == 0
    assert len(ctx.captured_queries) == 2  # the repeat came from the reading
    with CaptureQueriesContext(connection) as ctx:
        sources.read(Source.PUBLICATIONS_PUBLISHED, start, end, {})
        sources.read(Source.PUBLICATIONS_PUBLISHED, start, end, {})
    assert len(ctx.captured_queries) == 2  # outside a reading, read afresh
