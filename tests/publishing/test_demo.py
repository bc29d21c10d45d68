"""The 2023 demo: a realistic pace toward the 720-a-year goal, idempotent."""

import io

from pregon.accounts import demo as accounts_demo
from pregon.agenda import demo as agenda_demo
from pregon.publishing import demo
from pregon.publishing.models import Delivery, Publication


def test_demo_year_is_plausible_and_idempotent(db):
    out = io.StringIO()
    accounts_demo.load(out)
    agenda_demo.load(out)
    demo.load(out)
    published = Publication.objects.published().filter(published_at__year=2023)
    assert 600 <= published.count() <= 720
    assert published.filter(activity__isnull=False).count() > 200
    total = Publication.objects.count()
    delivered = Delivery.objects.filter(status="publicada")
    assert delivered.exclude(remote_id="").count() == delivered.count() > published.count()
    assert Publication.objects.filter(status="fallida").exists()
    demo.load(out)
    assert Publication.objects.count() == total
