"""The dashboard's figures are read once and kept (goals.views, under the scope every
source's model bumps): the next render reads none of them again, and a write to what
they show gives the next render fresh figures."""

from datetime import UTC, datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pregon.publishing.models import Theme
from tests.goals.factories import publish


def _quarters(client: Client, n: int) -> tuple[list[int], int]:
    # A new address each time: the person's page cache never answers.
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/metas/?al=2023-12-31&vez={n}")
    values = [int(q["result"].value) for q in response.context["quarters"]]
    return values, len(ctx.captured_queries)


def test_figures_are_kept_until_what_they_read_changes(year2023, mariana):
    client = Client()
    client.force_login(mariana)
    first, _ = _quarters(client, 1)
    again, queries = _quarters(client, 2)
    assert again == first and queries <= 2  # the plan; no figure read again

    when = datetime(2023, 2, 1, 18, tzinfo=UTC)
    publish(year2023["author"], year2023["accounts"], when)
    after, _ = _quarters(client, 3)
    assert after == [first[0] + 1, *first[1:]]


def test_a_theme_renamed_shows_at_once(year2023, mariana):
    client = Client()
    client.force_login(mariana)
    theme = Theme.objects.filter(is_active=True).first()
    assert theme.name in client.get("/metas/?vez=1").content.decode()
    theme.name = "Tema renombrado"
    theme.save()
    assert "Tema renombrado" in client.get("/metas/?vez=2").content.decode()
