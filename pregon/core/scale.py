"""Years of a large municipality's data, written with multi-row inserts.

`build(Sizes.for_scale(10))` adds about 70,000 publications (a variant and a delivery
per channel each, post metrics), 30,000 activities (with coverage), 300,000 archive
assets (indexed for search), 5,000 bulletins and 2 million daily metric rows (portal
visits per page and day, followers per account and day) on top of whatever the
database already holds (normally `pregon demo`). `pregon demo --scale 10` calls it;
benchmarks/scale_data.py and the query-budget tests use the same builder with a
handful of rows, so what they pin is what the benchmark loads.

Rows are spread over the ten years before today; a tenth of the activities and
publications fall in the coming month, so calendars and queues have work to show.

Speed: rows are plain tuples written with `executemany` (no model instances), primary
keys are given (so no read-back of what was just written), and each table goes in
one transaction; on SQLite the build's connection skips fsync while it writes
(`synchronous=OFF`, a large page cache), and restores the settings afterwards.

core sits below the apps (import-linter's layers), so models are looked up by name
through the app registry and the archive's search helpers by module name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from itertools import islice
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

BATCH = 20_000
WORDS = ["calles", "bacheo", "luminarias", "parque", "feria", "vacunación", "escuela",
         "mercado", "agua potable", "deportiva", "cabildo", "DIF", "protección civil",
         "biblioteca", "desfile", "campaña", "salud", "empleo", "seguridad",
         "limpieza"]  # fmt: skip
PLACES = ["San Mateo", "Santa María", "el Centro", "la colonia Guadalupe", "San Isidro",
          "La Loma", "Los Olivos", "El Calvario", "Xochitenco", "San Miguel"]  # fmt: skip

Report = Callable[[str], None]


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


def model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _next_pk(m: type[models.Model]) -> int:
    return (m.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Table:
    """INSERT of the given columns; every other column gets the field's default."""

    def __init__(self, m: type[models.Model], given: list[str]) -> None:
        self.model = m
        fields = {f.attname: f for f in m._meta.concrete_fields}
        now = dt.datetime.now(dt.UTC)
        self.convert: list[Callable[[Any], Any] | None] = []
        for name in given:
            self.convert.append(_converter(fields[name]))
        self.constant: list[Any] = []
        self.per_row: list[models.Field] = []
        rest = [f for name, f in fields.items() if name not in given and not f.primary_key]
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now.date() if type(f) is models.DateField else now
                self.constant.append(f.get_db_prep_save(value, connection))
            elif f.has_default() and callable(f.default):
                self.per_row.append(f)
            else:
                self.constant.append(f.get_db_prep_save(f.get_default(), connection))
        rest_fixed = [f for f in rest if f not in self.per_row]
        columns = [fields[n].column for n in given] + [f.column for f in rest_fixed]
        columns += [f.column for f in self.per_row]
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(m._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )

    def row(self, values: tuple) -> tuple:
        pairs = zip(values, self.convert, strict=True)
        out = [v if c is None or v is None else c(v) for v, c in pairs]
        out += self.constant
        out += [f.get_db_prep_save(f.get_default(), connection) for f in self.per_row]
        return tuple(out)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return json.dumps
    return None


def _insert(
    m: type[models.Model], given: list[str], rows: Iterable[tuple], report: Report, label: str
) -> int:
    table = _Table(m, given)
    done = 0
    it = iter(rows)
    with transaction.atomic(), connection.cursor() as cur:
        while batch := list(islice(it, BATCH)):
            cur.executemany(table.sql, [table.row(r) for r in batch])
            done += len(batch)
            report(f"{label}: {done:,}")
    return done


@contextmanager
def _fast_writes() -> Iterator[None]:
    """SQLite: no fsync and a 256 MB page cache for this connection while it builds
    (not inside a transaction, e.g. a test's, where SQLite refuses the change)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous")
        (synchronous,) = cur.fetchone()
        cur.execute("PRAGMA cache_size")
        (cache_size,) = cur.fetchone()
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")
        cur.execute("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA synchronous={int(synchronous)}")
            cur.execute(f"PRAGMA cache_size={int(cache_size)}")


class _World:
    """What every row refers to: areas, people, channel accounts, a campaign."""

    def __init__(self, rng: random.Random) -> None:
        area, user = model("accounts.Area"), model("accounts.User")
        account = model("publishing.ChannelAccount")
        self.rng = rng
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.areas = list(area.objects.values_list("pk", flat=True)) or [
            area.objects.create(short_name=f"A{i:02d}", name=f"Dirección {i}").pk for i in range(16)
        ]
        self.users = list(user.objects.filter(is_active=True).values_list("pk", flat=True)[:20])
        if not self.users:
            self.users = [user.objects.create_user(username="escala", password=None).pk]  # type: ignore[attr-defined]
        # Two of the networks the registry offers (core names none: the kind field's
        # choices are the registry's).
        kinds = [kind for kind, _ in account._meta.get_field("kind").choices][:2]
        self.accounts = list(account.objects.values_list("pk", flat=True)[:4]) or [
            account.objects.create(kind=kind, name=f"Escala {kind}").pk for kind in kinds
        ]
        campaign, _ = model("agenda.Campaign").objects.get_or_create(name="Campaña de escala")
        self.campaign = campaign.pk

    def when(self, i: int, n: int) -> dt.datetime:
        """Spread over ten years up to a month from now, newest last."""
        span = dt.timedelta(days=3_650)
        step = (span + dt.timedelta(days=30)) / max(n, 1)
        return self.now - span + step * i + dt.timedelta(minutes=self.rng.randint(0, 600))

    def text(self) -> str:
        r = self.rng
        return f"{r.choice(WORDS).capitalize()} en {r.choice(PLACES)}: {r.choice(WORDS)}"

    def area(self, i: int) -> int:
        return self.areas[i % len(self.areas)]

    def user(self, i: int) -> int:
        return self.users[i % len(self.users)]


def build(sizes: Sizes, report: Report = lambda line: None, seed: int = 18) -> None:
    written = [
        "agenda.Activity", "agenda.CoverageAssignment", "publishing.Publication",
        "publishing.Variant", "publishing.Delivery", "analytics.PostMetric",
        "archive.Asset", "archive.SearchEntry", "bulletins.Bulletin",
        "analytics.AccountMetric", "analytics.PageVisitDay",
    ]  # fmt: skip
    with _fast_writes():
        world = _World(random.Random(seed))
        activity_ids = _activities(world, sizes.activities, report)
        _publications(world, sizes.publications, activity_ids, report)
        _assets(world, sizes.assets, activity_ids, report)
        _bulletins(world, sizes.bulletins, report)
        _metrics(world, sizes, report)
    if connection.vendor != "sqlite":  # given primary keys: move the sequences past them
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model(m) for m in written]):
                cur.execute(sql)


def _activities(world: _World, n: int, report: Report) -> list[int]:
    activity = model("agenda.Activity")
    types = [value for value, _ in activity._meta.get_field("type").choices]  # type: ignore[union-attr]
    first = _next_pk(activity)
    ids = list(range(first, first + n))

    def rows() -> Iterator[tuple]:
        for i, pk in enumerate(ids):
            start = world.when(i, n)
            yield (
                pk, world.text(), "Actividad registrada por el área.", start,
                start + dt.timedelta(hours=2), world.rng.choice(PLACES), world.area(i),
                types[i % len(types)], i % 3 == 0, i % 4 != 0,
                world.campaign if i % 10 == 0 else None,
                "realizada" if start < world.now else "confirmada", i % 9, "ABC"[i % 3],
                world.user(i),
            )  # fmt: skip

    _insert(
        activity,
        [
            "id",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "area_id",
            "type",
            "with_mayor",
            "is_public",
            "campaign_id",
            "status",
            "priority_score",
            "priority_tier",
            "created_by_id",
        ],  # fmt: skip
        rows(),
        report,
        "actividades",
    )
    coverage = model("agenda.CoverageAssignment")
    _insert(
        coverage,
        ["activity_id", "kind", "assignee_id", "status"],
        (
            (pk, "fotografia", world.user(i), "cubierta" if i % 2 else "asignada")
            for i, pk in enumerate(ids)
        ),
        report,
        "coberturas",
    )
    return ids


def _publications(world: _World, n: int, activity_ids: list[int], report: Report) -> None:
    publication, variant = model("publishing.Publication"), model("publishing.Variant")
    delivery, metric = model("publishing.Delivery"), model("analytics.PostMetric")
    first = _next_pk(publication)
    pubs: list[tuple[int, bool, dt.datetime]] = []

    def rows() -> Iterator[tuple]:
        for i in range(n):
            pk, when = first + i, world.when(i, n)
            done = when < world.now
            pubs.append((pk, done, when))
            status = "publicada" if done else ("programada", "en_revision", "borrador")[i % 3]
            yield (
                pk, world.text(), f"{world.text()}. Más información en el portal municipal.",
                "obra_publica", activity_ids[i % len(activity_ids)] if activity_ids else None,
                world.area(i), world.user(i), world.users[0], status, when,
                when if done else None, when if done else None,
            )  # fmt: skip

    _insert(
        publication,
        [
            "id",
            "title",
            "text",
            "category",
            "activity_id",
            "area_id",
            "author_id",
            "approved_by_id",
            "status",
            "scheduled_at",
            "approved_at",
            "published_at",
        ],  # fmt: skip
        rows(),
        report,
        "publicaciones",
    )
    first_variant, first_delivery = _next_pk(variant), _next_pk(delivery)
    pairs = [(p, a) for p in pubs for a in world.accounts]
    _insert(
        variant,
        ["id", "publication_id", "account_id", "text"],
        ((first_variant + k, p[0], a, "") for k, (p, a) in enumerate(pairs)),
        report,
        "variantes",
    )

    def deliveries() -> Iterator[tuple]:
        for k, ((_, done, when), account) in enumerate(pairs):
            pk = first_delivery + k
            yield (
                pk, first_variant + k, account, "publicada" if done else "pendiente", when,
                int(done), when if done else None, f"escala-{pk}" if done else "",
            )  # fmt: skip

    _insert(
        delivery,
        [
            "id",
            "variant_id",
            "account_id",
            "status",
            "scheduled_at",
            "attempts",
            "published_at",
            "remote_id",
        ],  # fmt: skip
        deliveries(),
        report,
        "envíos",
    )

    def metrics() -> Iterator[tuple]:
        r = world.rng
        for k, ((_, done, when), account) in enumerate(pairs):
            if done:
                pk = first_delivery + k
                yield (
                    account, f"escala-{pk}", pk, when, when + dt.timedelta(days=2),
                    r.randint(20, 250), r.randint(0, 40), r.randint(0, 30), "demo",
                )  # fmt: skip

    _insert(
        metric,
        [
            "account_id",
            "remote_id",
            "delivery_id",
            "published_at",
            "snapshot_at",
            "reactions",
            "comments",
            "shares",
            "source",
        ],  # fmt: skip
        metrics(),
        report,
        "cifras por publicación",
    )


def _assets(world: _World, n: int, activity_ids: list[int], report: Report) -> None:
    asset = model("archive.Asset")
    first = _next_pk(asset)
    made: list[tuple[int, str, str, dt.datetime, int, int | None]] = []

    def rows() -> Iterator[tuple]:
        for i in range(n):
            pk = first + i
            digest = hashlib.sha256(f"escala-{pk}-{world.rng.random()}".encode()).hexdigest()
            when = world.when(i, n)  # before the caption: the same rows as earlier builds
            kind, caption = "foto" if i % 8 else "video", world.text()
            activity = activity_ids[i % len(activity_ids)] if activity_ids else None
            made.append((pk, kind, caption, when, world.area(i), activity))
            yield (
                pk, kind, f"archivo/escala/{digest[:2]}/{digest}.jpg", digest, 2_500_000,
                "image/jpeg", f"IMG_{i:06d}.jpg", 4000, 3000, when, caption,
                "Unidad de Comunicación Social", "Fotografía de una actividad municipal",
                activity, world.area(i), "listo", world.user(i),
            )  # fmt: skip

    _insert(
        asset,
        [
            "id",
            "kind",
            "original",
            "sha256",
            "size",
            "mime_type",
            "original_name",
            "width",
            "height",
            "captured_at",
            "caption",
            "credit",
            "alt_text",
            "activity_id",
            "area_id",
            "status",
            "created_by_id",
        ],  # fmt: skip
        rows(),
        report,
        "archivos",
    )
    _index_assets(made, report)


def _index_assets(made: list[tuple], report: Report) -> None:
    """The search rows `search.index_asset` writes, in bulk (activity titles aside)."""
    search = import_module("pregon.archive.search")  # core sits below the archive
    entry_model = model("archive.SearchEntry")
    kind_asset = entry_model.ASSET  # type: ignore[attr-defined]
    fts: list[tuple[int, str]] = []

    def rows() -> Iterator[tuple]:
        for pk, kind, caption, when, area, activity in made:
            entry = entry_model(
                object_type=kind_asset, object_id=pk, kind=kind, area_id=area,
                activity_id=activity, has_gps=False, contains_minors=False,
            )  # fmt: skip
            words = f"{caption} IMG_{(pk - made[0][0]):06d}.jpg Unidad de Comunicación Social"
            text = f"{search.normalize(words)} {search.filter_tokens(entry)}"
            key = search.sort_key(when, kind_asset, pk)
            fts.append((key, text))
            yield (kind_asset, pk, kind, when, area, activity, False, False, text, key)

    _insert(
        entry_model,
        [
            "object_type",
            "object_id",
            "kind",
            "date",
            "area_id",
            "activity_id",
            "has_gps",
            "contains_minors",
            "text",
            "sort_key",
        ],  # fmt: skip
        rows(),
        report,
        "índice de búsqueda",
    )
    if connection.vendor == "sqlite":
        sql = f"INSERT INTO {search.FTS_TABLE}(rowid, text) VALUES (%s, %s)"  # noqa: S608
        with transaction.atomic(), connection.cursor() as cur:
            for start in range(0, len(fts), BATCH):
                cur.executemany(sql, fts[start : start + BATCH])
                report(f"índice de texto: {min(start + BATCH, len(fts)):,}")


def _bulletins(world: _World, n: int, report: Report) -> None:
    bulletin = model("bulletins.Bulletin")
    start_year = world.now.year - 10
    numbers: dict[int, int] = {}
    last = bulletin.objects.filter(kind="boletin").values("year").annotate(top=Max("number"))
    numbers.update({row["year"]: row["top"] or 0 for row in last if row["year"]})

    def rows() -> Iterator[tuple]:
        for i in range(n):
            when = world.when(i, n)
            dated = min(when, world.now).date()
            year = max(dated.year, start_year)
            numbers[year] = numbers.get(year, 0) + 1
            yield (
                "boletin", year, numbers[year], dated, world.text(),
                [world.text(), world.text()], f"<p>{world.text()}.</p><p>{world.text()}.</p>",
                "Unidad de Comunicación Social", "obra_publica", world.area(i), world.user(i),
                "aprobado", world.users[0], min(when, world.now),
            )  # fmt: skip

    _insert(
        bulletin,
        [
            "kind",
            "year",
            "number",
            "dated",
            "title",
            "balazos",
            "body",
            "press_contact",
            "category",
            "area_id",
            "author_id",
            "status",
            "approved_by_id",
            "approved_at",
        ],  # fmt: skip
        rows(),
        report,
        "boletines",
    )
    # The next bulletin approved gets the number after these (services take it from here).
    counter = model("bulletins.BulletinCounter")
    for year, top in numbers.items():
        counter.objects.update_or_create(year=year, kind="boletin", defaults={"last": top})


def _metrics(world: _World, sizes: Sizes, report: Report) -> None:
    account_metric, page_day = model("analytics.AccountMetric"), model("analytics.PageVisitDay")
    today = world.now.date()
    taken = set(account_metric.objects.values_list("account_id", "date"))
    r = world.rng

    def followers() -> Iterator[tuple]:
        for account in world.accounts:
            for d in range(sizes.account_days):
                day = today - dt.timedelta(days=d + 1)
                if (account, day) not in taken:
                    yield (
                        account, day, 9_000 - d, r.randint(500, 5_000), r.randint(50, 500),
                        "demo",
                    )  # fmt: skip

    _insert(
        account_metric,
        ["account_id", "date", "followers", "reach", "engagements", "source"],
        followers(),
        report,
        "cifras diarias por cuenta",
    )
    pages = max(1, sizes.page_days // 3_650)
    batch = page_day.objects.count()  # a fresh set of page paths for every build
    purposes = ["programas", "tramites", "temas", "otros"]
    days = [today - dt.timedelta(days=d + 1) for d in range(sizes.page_days // pages + 1)]

    def visits() -> Iterator[tuple]:
        for i in range(sizes.page_days):
            yield (
                days[i // pages], f"/escala/{batch}/pagina-{i % pages}/", purposes[i % 4],
                r.randint(1, 400),
            )  # fmt: skip

    _insert(page_day, ["date", "path", "purpose", "visits"], visits(), report,
            "visitas diarias por página")  # fmt: skip
