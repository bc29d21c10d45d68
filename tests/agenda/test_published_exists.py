"""An activity counts as published through EXISTS (a published publication of it),
not a join with DISTINCT: counting a period's activities reads each one once, and
one with several published publications still counts once."""

from datetime import timedelta

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pregon.agenda.models import Activity


def test_published_counts_each_activity_once_without_distinct(mariana, make_activity):
    publication = apps.get_model("publishing", "Publication")
    soon = timezone.now() + timedelta(days=1)
    twice = make_activity("Dos boletines", start=soon)
    once = make_activity("Un boletín", start=soon + timedelta(hours=3))
    make_activity("Sin boletín", start=soon + timedelta(hours=6))
    for activity, n in ((twice, 2), (once, 1)):
        for i in range(n):
            publication.objects.create(
                title=f"Boletín {i}",
                text="Texto",
                activity=activity,
                author=mariana,
                status="publicada",
            )
    with CaptureQueriesContext(connection) as ctx:
        assert Activity.objects.published().count() == 2
    sql = ctx.captured_queries[-1]["sql"].upper()
    assert "EXISTS" in sql
    assert "DISTINCT" not in sql
    assert set(Activity.objects.published()) == {twice, once}
