"""The demo year (the current one, up to now): a realistic pace toward the
720-a-year goal, nothing published in the future, idempotent."""

import io

from django.utils import timezone

from pregon.accounts import demo as accounts_demo
from pregon.agenda import demo as agenda_demo
from pregon.core import demo_clock
from pregon.publishing import cadence, demo
from pregon.publishing.models import Delivery, Publication


def test_demo_year_is_plausible_and_idempotent(plan_themes):
    out = io.StringIO()
    accounts_demo.load(out)
    agenda_demo.load(out)
    demo.load(out)
    now = timezone.now()
    share = demo_clock.elapsed_fraction()  # of the year gone by
    published = Publication.objects.published().filter(published_at__year=now.year)
    assert 600 * share - 5 <= published.count() <= 720 * share + 5
    assert not Publication.objects.filter(published_at__gt=now).exists()
    assert not Publication.objects.filter(scheduled_at__gt=now).exists()
    linked = published.filter(activity__isnull=False).count()
    if share > 0.1:  # past January: most posts report held activities
        assert linked >= published.count() * 0.3
    total = Publication.objects.count()
    delivered = Delivery.objects.filter(status="publicada")
    assert delivered.exclude(remote_id="").count() == delivered.count() > published.count()
    assert Publication.objects.filter(status="fallida").exists()
    # The permanent themes: this week's posts keep Salud and Cultura up, others behind.
    board = cadence.board()
    rows = {row.theme.name: row for row in board.rows}
    assert rows["Salud"].status == rows["Cultura"].status == "al_dia"
    assert "Servicio social" in {c.theme.name for c in board.most_behind(limit=10)}
    assert published.filter(theme__name="Salud").exclude(category="salud").count() == 0
    demo.load(out)
    assert Publication.objects.count() == total
