"""Years of a large municipality's data, written with bulk inserts.

`build(Sizes.for_scale(10))` adds about 70,000 publications (a variant and a delivery
per channel each, post metrics), 30,000 activities (with coverage), 300,000 archive
assets (indexed for search), 5,000 bulletins and 2 million daily metric rows (portal
visits per page and day, followers per account and day) on top of whatever the
database already holds (normally `pregon demo`). The query-budget tests use the same
builder with a handful of rows, so what they pin is what the benchmark loads.

Rows are spread over the ten years before today; a tenth of the activities and
publications fall in the coming month, so calendars and queues have work to show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

BATCH = 5_000
WORDS = ["calles", "bacheo", "luminarias", "parque", "feria", "vacunación", "escuela",
         "mercado", "agua potable", "deportiva", "cabildo", "DIF", "protección civil",
         "biblioteca", "desfile", "campaña", "salud", "empleo", "seguridad",
         "limpieza"]  # fmt: skip
PLACES = ["San Mateo", "Santa María", "el Centro", "la colonia Guadalupe", "San Isidro",
          "La Loma", "Los Olivos", "El Calvario", "Xochitenco", "San Miguel"]  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    publications: int
    activities: int
    assets: int
    bulletins: int
    page_days: int  # portal visit rows (one per page and day)
    account_days: int  # follower rows per account (one per day)

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        """Scale 10: ten years of a large municipality (the figures of issue 18)."""
        return cls(
            publications=int(7_000 * scale),
            activities=int(3_000 * scale),
            assets=int(30_000 * scale),
            bulletins=int(500 * scale),
            page_days=int(200_000 * scale),
            account_days=min(int(365 * scale), 3_650),
        )

    @classmethod
    def rows(cls, n: int) -> Sizes:
        """n of everything: what a query-budget test creates."""
        return cls(n, n, n, n, n, n)


def _batched(rows: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(model, rows: Iterator, report: Callable[[str], None], label: str) -> None:
    from django.db import transaction

    done = 0
    for batch in _batched(rows):
        with transaction.atomic():
            model.objects.bulk_create(batch, batch_size=1_000)
        done += len(batch)
        report(f"{label}: {done:,}")


class _World:
    """What every row refers to: areas, people, channel accounts, a campaign."""

    def __init__(self, rng: random.Random) -> None:
        from pregon.accounts.models import Area, User
        from pregon.agenda.models import Campaign
        from pregon.publishing.models import ChannelAccount

        self.rng = rng
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.areas = list(Area.objects.all()) or [
            Area.objects.create(short_name=f"A{i:02d}", name=f"Dirección {i}") for i in range(16)
        ]
        self.users = list(User.objects.filter(is_active=True)[:20]) or [
            User.objects.create_user(username="escala", password=None)
        ]
        self.accounts = list(ChannelAccount.objects.all()[:4]) or [
            ChannelAccount.objects.create(kind=kind, name=f"Escala {kind}")
            for kind in ("facebook_page", "x")
        ]
        self.campaign, _ = Campaign.objects.get_or_create(name="Campaña de escala")

    def when(self, i: int, n: int) -> dt.datetime:
        """Spread over ten years up to a month from now, newest last."""
        span = dt.timedelta(days=3_650)
        step = (span + dt.timedelta(days=30)) / max(n, 1)
        return self.now - span + step * i + dt.timedelta(minutes=self.rng.randint(0, 600))

    def text(self) -> str:
        r = self.rng
        return f"{r.choice(WORDS).capitalize()} en {r.choice(PLACES)}: {r.choice(WORDS)}"


def build(sizes: Sizes, report: Callable[[str], None] = lambda line: None, seed: int = 18):
    world = _World(random.Random(seed))
    activity_ids = _activities(world, sizes.activities, report)
    _publications(world, sizes.publications, activity_ids, report)
    _assets(world, sizes.assets, activity_ids, report)
    _bulletins(world, sizes.bulletins, report)
    _metrics(world, sizes, report)


def _activities(world: _World, n: int, report) -> list[int]:
    from pregon.agenda.models import Activity, ActivityType, CoverageAssignment

    types = list(ActivityType.values)
    first = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def rows():
        for i in range(n):
            start = world.when(i, n)
            yield Activity(
                title=world.text(),
                description="Actividad registrada por el área.",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                place=world.rng.choice(PLACES),
                area=world.areas[i % len(world.areas)],
                type=types[i % len(types)],
                with_mayor=i % 3 == 0,
                is_public=i % 4 != 0,
                campaign=world.campaign if i % 10 == 0 else None,
                status="realizada" if start < world.now else "confirmada",
                priority_score=i % 9,
                priority_tier="ABC"[i % 3],
                created_by=world.users[i % len(world.users)],
            )

    _bulk(Activity, rows(), report, "actividades")
    ids = list(Activity.objects.filter(pk__gte=first).values_list("pk", flat=True))

    def coverage():
        for i, pk in enumerate(ids):
            yield CoverageAssignment(
                activity_id=pk,
                kind="fotografia",
                assignee=world.users[i % len(world.users)],
                status="cubierta" if i % 2 else "asignada",
            )

    _bulk(CoverageAssignment, coverage(), report, "coberturas")
    return ids


def _publications(world: _World, n: int, activity_ids: list[int], report) -> None:
    from pregon.analytics.models import PostMetric
    from pregon.publishing.models import Delivery, Publication, Variant

    first = (Publication.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def rows():
        for i in range(n):
            when = world.when(i, n)
            done = when < world.now
            yield Publication(
                title=world.text(),
                text=f"{world.text()}. Más información en el portal municipal.",
                category="obra_publica",
                activity_id=activity_ids[i % len(activity_ids)] if activity_ids else None,
                area=world.areas[i % len(world.areas)],
                author=world.users[i % len(world.users)],
                approved_by=world.users[0],
                status="publicada" if done else ("programada", "en_revision", "borrador")[i % 3],
                scheduled_at=when,
                approved_at=when if done else None,
                published_at=when if done else None,
            )

    _bulk(Publication, rows(), report, "publicaciones")
    pubs = list(
        Publication.objects.filter(pk__gte=first).values_list("pk", "status", "scheduled_at")
    )
    _bulk(
        Variant,
        (Variant(publication_id=pk, account=a, text="") for pk, *_ in pubs for a in world.accounts),
        report,
        "variantes",
    )
    variants = Variant.objects.filter(publication_id__gte=first).values_list(
        "pk", "account_id", "publication__status", "publication__scheduled_at"
    )

    def deliveries():
        for pk, account, status, when in variants.iterator():
            done = status == "publicada"
            yield Delivery(
                variant_id=pk,
                account_id=account,
                status="publicada" if done else "pendiente",
                scheduled_at=when,
                attempts=int(done),
                published_at=when if done else None,
                remote_id=f"escala-{pk}" if done else "",
            )

    _bulk(Delivery, deliveries(), report, "envíos")
    sent = Delivery.objects.filter(variant__publication_id__gte=first, status="publicada")

    def metrics():
        for pk, account, when in sent.values_list("pk", "account_id", "published_at").iterator():
            yield PostMetric(
                account_id=account,
                remote_id=f"escala-{pk}",
                delivery_id=pk,
                published_at=when,
                snapshot_at=when + dt.timedelta(days=2),
                reactions=world.rng.randint(20, 250),
                comments=world.rng.randint(0, 40),
                shares=world.rng.randint(0, 30),
                source="demo",
            )

    _bulk(PostMetric, metrics(), report, "cifras por publicación")


def _assets(world: _World, n: int, activity_ids: list[int], report) -> None:
    from pregon.archive.models import Asset

    first = (Asset.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def rows():
        for i in range(n):
            digest = hashlib.sha256(f"escala-{first + i}-{world.rng.random()}".encode()).hexdigest()
            yield Asset(
                kind="foto" if i % 8 else "video",
                original=f"archivo/escala/{digest[:2]}/{digest}.jpg",
                sha256=digest,
                size=2_500_000,
                mime_type="image/jpeg",
                original_name=f"IMG_{i:06d}.jpg",
                width=4000,
                height=3000,
                captured_at=world.when(i, n),
                caption=world.text(),
                credit="Unidad de Comunicación Social",
                alt_text="Fotografía de una actividad municipal",
                activity_id=activity_ids[i % len(activity_ids)] if activity_ids else None,
                area=world.areas[i % len(world.areas)],
                status="listo",
                created_by=world.users[i % len(world.users)],
            )

    _bulk(Asset, rows(), report, "archivos")
    _index_assets(first, report)


def _index_assets(first: int, report) -> None:
    """The search rows `search.index_asset` writes, in bulk."""
    from django.db import connection, transaction

    from pregon.archive import search
    from pregon.archive.models import Asset, SearchEntry

    assets = Asset.objects.filter(pk__gte=first).select_related("activity").order_by("pk")
    done = 0
    for batch in _batched(assets.iterator(chunk_size=BATCH)):
        entries = []
        for asset in batch:
            entry = SearchEntry(
                object_type=SearchEntry.ASSET,
                object_id=asset.pk,
                kind=asset.kind,
                date=asset.captured_at,
                area_id=asset.area_id,
                activity_id=asset.activity_id,
                campaign_id=asset.campaign_id,
                has_gps=False,
                contains_minors=False,
            )
            words = " ".join([asset.caption, asset.original_name, asset.credit])
            entry.text = f"{search.normalize(words)} {search.filter_tokens(entry)}"
            entry.sort_key = search.sort_key(asset.captured_at, SearchEntry.ASSET, asset.pk)
            entries.append(entry)
        with transaction.atomic():
            SearchEntry.objects.bulk_create(entries, batch_size=1_000)
            if connection.vendor == "sqlite":
                with connection.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO {search.FTS_TABLE}(rowid, text) VALUES (%s, %s)",  # noqa: S608
                        [(e.sort_key, e.text) for e in entries],
                    )
        done += len(batch)
        report(f"índice de búsqueda: {done:,}")


def _bulletins(world: _World, n: int, report) -> None:
    from django.db.models import Max

    from pregon.bulletins.models import Bulletin

    start_year = world.now.year - 10
    numbers: dict[int, int] = {}
    last = Bulletin.objects.values("year").annotate(top=Max("number"))
    numbers.update({row["year"]: row["top"] or 0 for row in last if row["year"]})

    def rows():
        for i in range(n):
            when = world.when(i, n)
            dated = min(when, world.now).date()
            year = max(dated.year, start_year)
            numbers[year] = numbers.get(year, 0) + 1
            yield Bulletin(
                kind="boletin",
                year=year,
                number=numbers[year],
                dated=dated,
                title=world.text(),
                balazos=[world.text(), world.text()],
                body=f"<p>{world.text()}.</p><p>{world.text()}.</p>",
                press_contact="Unidad de Comunicación Social",
                category="obra_publica",
                area=world.areas[i % len(world.areas)],
                author=world.users[i % len(world.users)],
                status="aprobado",
                approved_by=world.users[0],
                approved_at=min(when, world.now),
            )

    _bulk(Bulletin, rows(), report, "boletines")


def _metrics(world: _World, sizes: Sizes, report) -> None:
    from pregon.analytics.models import AccountMetric, PageVisitDay

    today = world.now.date()
    taken = set(AccountMetric.objects.values_list("account_id", "date"))

    def followers():
        for account in world.accounts:
            for d in range(sizes.account_days):
                day = today - dt.timedelta(days=d + 1)
                if (account.pk, day) not in taken:
                    yield AccountMetric(
                        account=account,
                        date=day,
                        followers=9_000 - d,
                        reach=world.rng.randint(500, 5_000),
                        engagements=world.rng.randint(50, 500),
                        source="demo",
                    )

    _bulk(AccountMetric, followers(), report, "cifras diarias por cuenta")
    pages = max(1, sizes.page_days // 3_650)
    batch = PageVisitDay.objects.count()  # a fresh set of page paths for every build
    purposes = ["programas", "tramites", "temas", "otros"]

    def visits():
        for i in range(sizes.page_days):
            yield PageVisitDay(
                date=today - dt.timedelta(days=i // pages + 1),
                path=f"/escala/{batch}/pagina-{i % pages}/",
                purpose=purposes[i % 4],
                visits=world.rng.randint(1, 400),
            )

    _bulk(PageVisitDay, visits(), report, "visitas diarias por página")
