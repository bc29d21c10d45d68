# ruff: noqa: S608, S610
# (the only interpolated SQL is the FTS table name constant; user words are bound
# parameters reduced to [a-z0-9ñ] by normalize() and fold()).
"""One Spanish search over assets and clippings, on SQLite FTS5 or PostgreSQL.

Both backends index text that `normalize()` has already folded: lowercase,
vowel accents removed (ñ kept, so «año» ≠ «ano»), and a small Spanish
singular/plural folding. Queries go through the same function, so the two
backends match the same documents; the engines only do exact token matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from pregon.archive.models import Asset, Clipping, SearchEntry

FTS_TABLE = "archive_search_fts"
_VOWELS = str.maketrans("áéíóúàèìòùäëïöüâêîôû", "aeiouaeiouaeiouaeiou")
_WORD = re.compile(r"[a-z0-9ñ]+")


def fold(text: str) -> str:
    """Lowercase and drop vowel accents but keep ñ (año ≠ ano)."""
    text = unicodedata.normalize("NFC", text.lower()).translate(_VOWELS)
    return text


def stem(word: str) -> str:
    """Fold Spanish plural and singular (and final gender vowel) onto one key."""
    w = word
    if len(w) > 5 and w.endswith("iones"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("ces"):
        w = w[:-3] + "z"
    elif len(w) > 4 and w.endswith("es") and w[-3] in "lrndjyz":
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and w[-2] in "aeiou":
        w = w[:-1]
    if len(w) > 4 and w[-1] in "aeo":
        w = w[:-1]
    return w


def normalize(text: str) -> str:
    return " ".join(stem(w) for w in _WORD.findall(fold(text or "")))


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)  # stemmed words
    prefixes: list[str] = field(default_factory=list)  # folded, unstemmed
    phrases: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.terms or self.prefixes or self.phrases)


def parse(q: str) -> Query:
    """`"obra pública"` is a phrase, `inaug*` a prefix, other words must all appear."""
    query = Query()
    for phrase in re.findall(r'"([^"]+)"', q or ""):
        words = normalize(phrase).split()
        if words:
            query.phrases.append(words)
    rest = re.sub(r'"[^"]*"', " ", q or "")
    for raw in rest.split():
        if raw.endswith("*"):
            query.prefixes += _WORD.findall(fold(raw[:-1]))[:1]
        else:
            query.terms += normalize(raw).split()
    return query


# --- indexing ---------------------------------------------------------------


def index_asset(asset: Asset) -> None:
    parts = [asset.title, asset.caption, asset.original_name, asset.alt_text, asset.credit,
             asset.place, asset.camera, " ".join(asset.keywords or []),
             " ".join(asset.people or [])]  # fmt: skip
    if asset.activity_id:
        parts.append(asset.activity.title)
    _upsert(
        SearchEntry.ASSET,
        asset.pk,
        " ".join(p for p in parts if p),
        kind=asset.kind,
        date=asset.captured_at or asset.created_at,
        area_id=asset.area_id,
        activity_id=asset.activity_id,
        campaign_id=asset.campaign_id,
        has_gps=asset.has_gps,
        contains_minors=asset.contains_minors,
    )


def index_clipping(clip: Clipping) -> None:
    import datetime as dt

    from django.utils import timezone

    parts = [clip.headline, clip.summary, clip.outlet, clip.section, clip.author,
             " ".join(clip.topics or [])]  # fmt: skip
    _upsert(
        SearchEntry.CLIPPING,
        clip.pk,
        " ".join(p for p in parts if p),
        kind="nota",
        date=timezone.make_aware(dt.datetime.combine(clip.date, dt.time(12))),
        activity_id=clip.activity_id,
        tone=clip.tone,
        outlet=clip.outlet[:200],
    )


def _upsert(object_type: str, object_id: int, text: str, **columns) -> None:
    normalized = normalize(text)
    entry, _ = SearchEntry.objects.update_or_create(
        object_type=object_type, object_id=object_id, defaults={"text": normalized, **columns}
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])
            cur.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (%s, %s)", [entry.pk, normalized]
            )


def unindex(object_type: str, object_id: int) -> None:
    entry = SearchEntry.objects.filter(object_type=object_type, object_id=object_id).first()
    if entry is None:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])
    entry.delete()


def rebuild() -> int:
    SearchEntry.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {FTS_TABLE}")
    n = 0
    for asset in Asset.objects.select_related("activity").iterator():
        index_asset(asset)
        n += 1
    for clip in Clipping.objects.iterator():
        index_clipping(clip)
        n += 1
    return n


# --- querying ---------------------------------------------------------------

FILTERS = (
    "kind",
    "year",
    "month",
    "area",
    "activity",
    "campaign",
    "tone",
    "outlet",
    "gps",
    "minors",
)


COUNT_CAP = 10_000  # beyond this the page says "más de 10 000"
BROAD = 2_000  # matches above which walking the date index newest-first is cheaper


def _match(qs, query: Query):
    if query.empty:
        return qs
    if connection.vendor == "postgresql":
        parts = [f"'{t}'" for t in query.terms] + [f"'{p}':*" for p in query.prefixes]
        parts += ["(" + " <-> ".join(f"'{w}'" for w in ph) + ")" for ph in query.phrases]
        # `tsv` is a stored generated column (migration 0003) with a GIN index.
        return qs.extra(
            where=["archive_searchentry.tsv @@ to_tsquery('simple'::regconfig, %s)"],
            params=[" & ".join(parts)],
        )
    expr = fts5_expression(query)
    # Few matches: look each up by id and sort. Many: the unary + stops SQLite from
    # using the id lookup, so it walks the date index newest-first and stops early.
    column = "+archive_searchentry.id" if fts5_count(expr) > BROAD else "archive_searchentry.id"
    return qs.extra(
        where=[f"{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"],
        params=[expr],
    )


def fts5_expression(query: Query) -> str:
    parts = [f'"{t}"' for t in query.terms] + [f'"{p}"*' for p in query.prefixes]
    parts += ['"' + " ".join(ph) + '"' for ph in query.phrases]
    return " AND ".join(parts)


def fts5_count(expr: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expr])
        return cur.fetchone()[0]


def _filter(qs, filters: dict):
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if "kind" in f:
        qs = qs.filter(kind=f["kind"])
    if "year" in f:
        qs = qs.filter(date__year=int(f["year"]))
    if "month" in f:
        qs = qs.filter(date__month=int(f["month"]))
    for key in ("area", "activity", "campaign"):
        if key in f:
            qs = qs.filter(**{f"{key}_id": int(f[key])})
    if "tone" in f:
        qs = qs.filter(tone=f["tone"])
    if "outlet" in f:
        qs = qs.filter(outlet=f["outlet"])
    if "gps" in f:
        qs = qs.filter(has_gps=str(f["gps"]).lower() in ("1", "true", "si", "sí"))
    if "minors" in f:
        qs = qs.filter(contains_minors=str(f["minors"]).lower() in ("1", "true", "si", "sí"))
    return qs


@dataclass
class Hit:
    object_type: str
    object_id: int
    kind: str
    date: object
    obj: object = None


@dataclass
class Results:
    total: int  # capped at COUNT_CAP + 1
    hits: list[Hit]
    facets: dict

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP


def run(
    q: str = "",
    filters: dict | None = None,
    order: str = "recientes",
    limit: int = 50,
    offset: int = 0,
    facets: bool = True,
    visible_areas=None,
) -> Results:
    """Search assets and clippings. `order` is "recientes" (default) or "relevancia"."""
    query = parse(q)
    qs = _filter(_match(SearchEntry.objects.all(), query), filters or {})
    if visible_areas is not None:
        qs = qs.filter(Q(area_id__in=visible_areas) | Q(object_type=SearchEntry.CLIPPING))
    rows = list(_ordered(qs, query, order)[offset : offset + limit])
    hits = [Hit(r.object_type, r.object_id, r.kind, r.date) for r in rows]
    _attach(hits)
    total = _count(qs, query, filters, visible_areas)
    return Results(total=total, hits=hits, facets=_facets(qs) if facets else {})


def _count(qs, query: Query, filters: dict | None, visible_areas) -> int:
    no_filters = not any(v not in (None, "") for v in (filters or {}).values())
    if connection.vendor == "sqlite" and not query.empty and no_filters and visible_areas is None:
        # The full-text index alone knows how many rows match: no table rows are read.
        return min(fts5_count(fts5_expression(query)), COUNT_CAP + 1)
    return qs.order_by()[: COUNT_CAP + 1].count()


def _ordered(qs, query: Query, order: str):
    if order != "relevancia" or query.empty:
        return qs.order_by("-date", "-id")
    words = query.terms + query.prefixes + [w for ph in query.phrases for w in ph]
    if connection.vendor == "postgresql":
        return qs.extra(
            select={
                "rank": "ts_rank(archive_searchentry.tsv, to_tsquery('simple'::regconfig, %s))"
            },
            select_params=[" | ".join(f"'{w}'" for w in words)],
            order_by=["-rank", "-date"],
        )
    # FTS5: bm25 is lower-is-better; rank through the FTS table.
    return qs.extra(
        select={"rank": f"(SELECT bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} "
                        "MATCH %s AND rowid = archive_searchentry.id)"},
        select_params=[" OR ".join(f'"{w}"' for w in words)],
        order_by=["rank", "-date"],
    )  # fmt: skip


def _attach(hits: list[Hit]) -> None:
    assets = Asset.objects.in_bulk(
        [h.object_id for h in hits if h.object_type == SearchEntry.ASSET]
    )
    clips = Clipping.objects.in_bulk(
        [h.object_id for h in hits if h.object_type == SearchEntry.CLIPPING]
    )
    for h in hits:
        h.obj = (assets if h.object_type == SearchEntry.ASSET else clips).get(h.object_id)


def _facets(qs) -> dict:
    def counts(field: str) -> list[tuple]:
        rows = qs.exclude(**{f"{field}__isnull": True}).values_list(field).annotate(n=Count("id"))
        return sorted(
            ((k, n) for k, n in rows.order_by() if k not in ("", None)), key=lambda x: -x[1]
        )

    years = qs.exclude(date__isnull=True).annotate(y=ExtractYear("date")).values_list("y")
    return {
        "kind": counts("kind"),
        "year": sorted(((y, n) for y, n in years.annotate(n=Count("id")).order_by()), reverse=True),
        "area": counts("area_id"),
        "tone": counts("tone"),
        "outlet": counts("outlet")[:10],
        "gps": counts("has_gps"),
        "minors": counts("contains_minors"),
    }


def hit_dict(hit: Hit) -> dict:
    obj = hit.obj
    if hit.object_type == SearchEntry.ASSET and obj is not None:
        return {
            "tipo": "archivo",
            "id": obj.pk,
            "clase": obj.kind,
            "titulo": str(obj),
            "descripcion": obj.caption[:300],
            "fecha": hit.date.isoformat() if hit.date else None,
            "miniatura": obj.thumbnail.url if obj.thumbnail else None,
            "url": f"/archivo/{obj.pk}/",
        }
    return {
        "tipo": "nota",
        "id": hit.object_id,
        "clase": "nota",
        "titulo": obj.headline if obj else "",
        "descripcion": (obj.summary[:300] if obj else ""),
        "medio": obj.outlet if obj else "",
        "tono": obj.tone if obj else "",
        "fecha": hit.date.isoformat() if hit.date else None,
        "url": f"/archivo/hemeroteca/{hit.object_id}/",
    }
