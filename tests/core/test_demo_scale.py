"""`pregon demo --scale N`: the years of data the load benchmark runs on, consistent
with what the app itself writes (a small fraction of scale 10 here)."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.urls import reverse

from pregon.agenda.models import Activity, CoverageAssignment
from pregon.analytics.models import AccountMetric, PageVisitDay, PostMetric
from pregon.archive.models import Asset, SearchEntry
from pregon.archive.search import FTS_TABLE
from pregon.bulletins.models import Bulletin, BulletinCounter
from pregon.core.scale import Sizes, build
from pregon.publishing.models import ChannelAccount, Delivery, Publication, Variant


def _count(model) -> int:
    return model.objects.count()


def test_demo_scale_adds_consistent_years_of_data(db, client):
    call_command("demo", stdout=StringIO())
    before = {m: _count(m) for m in (Publication, Variant, Delivery, PostMetric, Activity,
                                     CoverageAssignment, Asset, SearchEntry, Bulletin,
                                     PageVisitDay)}  # fmt: skip
    sizes = Sizes.for_scale(0.02)
    build(sizes)  # what `pregon demo --scale 0.02` adds on top of the demo

    added = {m: _count(m) - n for m, n in before.items()}
    accounts = min(ChannelAccount.objects.count(), 4)
    assert added[Publication] == sizes.publications == 140
    assert added[Activity] == added[CoverageAssignment] == sizes.activities
    assert added[Variant] == added[Delivery] == sizes.publications * accounts
    assert added[Asset] == added[SearchEntry] == sizes.assets
    assert added[Bulletin] == sizes.bulletins
    assert added[PageVisitDay] == sizes.page_days

    new = Publication.objects.order_by("-pk")[: sizes.publications]
    for publication in new[:20]:  # each with a variant and a delivery per channel
        variants = list(publication.variants.all())
        assert len(variants) == accounts
        for variant in variants:
            delivery = variant.deliveries.get()
            assert delivery.account_id == variant.account_id
            assert (delivery.status == "publicada") == (publication.status == "publicada")
    sent = Delivery.objects.filter(remote_id__startswith="escala-", status="publicada")
    assert PostMetric.objects.filter(delivery__in=sent).count() == sent.count() > 0
    # Dates as Django writes them: timezone-aware reads, ordering works.
    newest = Publication.objects.filter(status="publicada").latest("published_at")
    assert newest.published_at.tzinfo is not None

    # Every new asset is findable, through SearchEntry and the FTS table alike.
    assert client.login(username="coordinacion", password="coordinacion-demo-2023")
    assert not SearchEntry.objects.annotate(n=Count("pk")).filter(sort_key__isnull=True).exists()
    if connection.vendor == "sqlite":  # PostgreSQL searches SearchEntry itself
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {FTS_TABLE}")  # noqa: S608
            assert cur.fetchone()[0] == SearchEntry.objects.count()
    newest_asset = Asset.objects.latest("pk")  # the search lists newest first
    response = client.get("/archivo/", {"q": newest_asset.original_name.removesuffix(".jpg")})
    assert response.status_code == 200
    assert reverse("archive:detail", args=[newest_asset.pk]) in response.content.decode()
    # Bulletin numbers stay unique within their year and kind, on top of the demo's, and
    # the counter the app numbers from is past them.
    numbers = Bulletin.objects.values("year", "kind", "number").annotate(n=Count("pk"))
    assert not numbers.filter(n__gt=1).exists()
    for year, top in (
        Bulletin.objects.filter(kind="boletin").values_list("year").annotate(top=Max("number"))
    ):
        assert BulletinCounter.objects.get(year=year, kind="boletin").last == top
    # Follower rows: one per account and day, no duplicates of the demo's own days.
    days = AccountMetric.objects.values("account_id", "date").annotate(n=Count("pk"))
    assert not days.filter(n__gt=1).exists()

    # Building again adds again (fresh keys) instead of failing on duplicates.
    total = _count(Publication)
    build(Sizes.for_scale(0.01))
    assert _count(Publication) == total + 70
    assert _count(Delivery) == before[Delivery] + (140 + 70) * accounts


def test_the_command_builds_the_scale_after_the_demo(db):
    out = StringIO()
    call_command("demo", scale=0.001, stdout=out)
    assert "Datos de demostración listos." in out.getvalue()
    assert "Datos de escala 0.001 listos" in out.getvalue()
    assert Delivery.objects.filter(remote_id__startswith="escala-").exists()
