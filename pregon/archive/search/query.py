"""One Spanish search over assets and clippings, on SQLite FTS5 or PostgreSQL:
filters, the plan for the backend, the page with its objects and the facets."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from pregon.archive.models import Asset, Clipping, SearchEntry
from pregon.archive.search.index import TOKEN_FILTERS, filter_token
from pregon.archive.search.plans import Fts5Plan, OrmPlan, PgPlan, Plan
from pregon.archive.search.text import fts5_expression, parse
from pregon.core.spanish import format_number

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
FACET_SAMPLE = 1_000  # facets of broader searches are counted over the newest matches


def _split_filters(filters: dict) -> tuple[list[str], dict]:
    """(Token terms for the tokenised filters, the filters left for the row check)."""
    terms, rest = [], {}
    for key, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if key in TOKEN_FILTERS:
            if key in ("gps", "minors"):
                value = _truthy(value)
            elif key in ("area", "activity", "campaign"):
                value = int(value)
            terms.append(filter_token(key, value))
        else:
            rest[key] = value
    return terms, rest


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true", "si", "sí")


def key_range(filters: dict) -> tuple[int, int] | None:
    """The year (and month) filter as a sort_key range, so indexes walk only that span."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if "year" not in f:
        return None
    year, month = int(f["year"]), int(f["month"]) if "month" in f else None
    tz = timezone.get_current_timezone()
    first = dt.datetime(year, month or 1, 1, tzinfo=tz)
    if month and month < 12:
        after = dt.datetime(year, month + 1, 1, tzinfo=tz)
    else:
        after = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    return int(first.timestamp()) << 20, (int(after.timestamp()) << 20) - 1


def _filter(qs: QuerySet[SearchEntry], filters: dict[str, Any]) -> QuerySet[SearchEntry]:
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if "kind" in f:
        qs = qs.filter(kind=f["kind"])
    span = key_range(f)
    if span:
        qs = qs.filter(sort_key__range=span)
    elif "month" in f:
        qs = qs.filter(date__month=int(f["month"]))
    for key in ("area", "activity", "campaign"):
        if key in f:
            qs = qs.filter(**{f"{key}_id": int(f[key])})
    if "tone" in f:
        qs = qs.filter(tone=f["tone"])
    if "outlet" in f:
        qs = qs.filter(outlet=f["outlet"])
    if "gps" in f:
        qs = qs.filter(has_gps=_truthy(f["gps"]))
    if "minors" in f:
        qs = qs.filter(contains_minors=_truthy(f["minors"]))
    return qs


@dataclass
class Hit:
    object_type: str
    object_id: int
    kind: str
    date: dt.datetime | None
    obj: Asset | Clipping | None = None


@dataclass
class Results:
    total: int  # capped at COUNT_CAP + 1
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]]
    facets_sampled: bool = False  # counted over a sample of the matches only
    at_least: bool = False  # total is a lower bound: show "más de {bound}"

    @property
    def capped(self) -> bool:
        return self.at_least or self.total > COUNT_CAP

    @property
    def bound(self) -> str:
        return format_number(self.total - 1)


def run(
    q: str = "",
    filters: dict | None = None,
    order: str = "recientes",
    limit: int = 50,
    offset: int = 0,
    facets: bool = True,
    visible_areas: list[int] | None = None,
    attach: bool = True,
) -> Results:
    """Search assets and clippings. `order` is "recientes" (default) or "relevancia".
    With `attach=False` the hits carry no objects (the caller reads only what it shows)."""
    query = parse(q)
    if not query.empty:
        tokens, filters = _split_filters(filters or {})
        query.terms += tokens
    qs = _filter(SearchEntry.objects.all(), filters or {})
    if visible_areas is not None:
        qs = qs.filter(Q(area_id__in=visible_areas) | Q(object_type=SearchEntry.CLIPPING))
    relevance = order == "relevancia" and not query.empty
    plan: Plan
    if query.empty:
        plan = OrmPlan(qs.order_by("-sort_key"))
    elif connection.vendor == "sqlite":
        plan = Fts5Plan(qs, fts5_expression(query), key_range(filters or {}))
    else:
        sample = FACET_SAMPLE if facets else 0
        plan = PgPlan(qs, query, want=offset + limit, sample=sample)
    total = plan.count(COUNT_CAP + 1)
    rows = plan.page(offset, limit, relevance=relevance)
    hits = [Hit(*row) for row in rows]
    if attach:
        _attach(hits)
    at_least = total > COUNT_CAP or getattr(plan, "broad", False)
    result = Results(total=total, hits=hits, facets={}, at_least=at_least)
    if facets:
        rows = plan.sample(FACET_SAMPLE)
        result.facets = _facets(rows)
        result.facets_sampled = result.capped or len(rows) < total
    return result


def _facets(rows: list[tuple]) -> dict:
    """Count facet values in Python over already-fetched rows (one query, no GROUP BYs).
    Column by column: Counter counts an iterable in C, about 5× faster than a loop."""
    tz = timezone.get_current_timezone()
    years = list(range(1990, timezone.now().year + 2))
    starts = [int(dt.datetime(y, 1, 1, tzinfo=tz).timestamp()) << 20 for y in years]
    names = ("kind", "year", "area", "tone", "outlet", "gps", "minors")  # year: sort_key
    columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {}
    keys = (k for k in columns.get("year", ()) if k is not None and k >= starts[0])
    columns["year"] = [years[bisect.bisect_right(starts, k) - 1] for k in keys]
    counters = {name: Counter(columns.get(name, ())) for name in names}

    def ranked(name: str) -> list[tuple]:
        items = counters[name].items()
        return sorted(((k, n) for k, n in items if k not in ("", None)), key=lambda x: -x[1])

    facets = {name: ranked(name) for name in counters}
    facets["year"] = sorted(counters["year"].items(), reverse=True)
    facets["outlet"] = facets["outlet"][:10]
    return facets


def _attach(hits: list[Hit]) -> None:
    assets = Asset.objects.in_bulk(
        [h.object_id for h in hits if h.object_type == SearchEntry.ASSET]
    )
    clips = Clipping.objects.in_bulk(
        [h.object_id for h in hits if h.object_type == SearchEntry.CLIPPING]
    )
    for h in hits:
        h.obj = (assets if h.object_type == SearchEntry.ASSET else clips).get(h.object_id)


def hit_dict(hit: Hit) -> dict[str, Any]:
    obj = hit.obj
    if hit.object_type == SearchEntry.ASSET and isinstance(obj, Asset):
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
    clip = obj if isinstance(obj, Clipping) else None
    return {
        "tipo": "nota",
        "id": hit.object_id,
        "clase": "nota",
        "titulo": clip.headline if clip else "",
        "descripcion": (clip.summary[:300] if clip else ""),
        "medio": clip.outlet if clip else "",
        "tono": clip.tone if clip else "",
        "fecha": hit.date.isoformat() if hit.date else None,
        "url": f"/archivo/hemeroteca/{hit.object_id}/",
    }
