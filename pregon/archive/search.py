# ruff: noqa: S608
# (interpolated SQL is constants and WHERE clauses compiled by Django's ORM; user
# words are bound parameters reduced to [a-z0-9ñ] by normalize() and fold()).
"""One Spanish search over assets and clippings, on SQLite FTS5 or PostgreSQL.

Both backends index text that `normalize()` has already folded: lowercase,
vowel accents removed (ñ kept, so «año» ≠ «ano»), and a small Spanish
singular/plural folding. Queries go through the same function, so the two
backends match the same documents; the engines only do exact token matching.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from pregon.archive.models import Asset, Clipping, SearchEntry
from pregon.core.spanish import format_number

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


def sort_key(date, object_type: str, object_id: int) -> int:
    """Newest-first key: epoch second in the high bits, object id in the low 20 bits."""
    seconds = int(date.timestamp()) if date else 0
    low = (object_id * 2 + (object_type == SearchEntry.CLIPPING)) & 0xFFFFF
    return (seconds << 20) | low


def _free_key(key: int, entry_pk: int | None) -> int:
    # Two objects of the same second whose ids share the low bits: take the next key.
    while SearchEntry.objects.filter(sort_key=key).exclude(pk=entry_pk).exists():
        key += 1
    return key


def _upsert(object_type: str, object_id: int, text: str, **columns) -> None:
    # Filter tokens ride along in the indexed text (see filter_tokens).
    indexed = f"{normalize(text)} {filter_tokens(SearchEntry(**columns))}".strip()
    entry = SearchEntry.objects.filter(object_type=object_type, object_id=object_id).first()
    old_key = entry.sort_key if entry else None
    key = sort_key(columns.get("date"), object_type, object_id)
    key = _free_key(key, entry.pk if entry else None)
    SearchEntry.objects.update_or_create(
        object_type=object_type,
        object_id=object_id,
        defaults={"text": indexed, "sort_key": key, **columns},
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            if old_key is not None:
                cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [old_key])
            cur.execute(f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (%s, %s)", [key, indexed])


# Filter values also go into the indexed text as tokens no normalised word is
# likely to be ("0xkindxvideo"), so "bacheo" + kind=video is an intersection of two
# posting lists (FTS5 or GIN) instead of a row-by-row check of 60 000 rows.
_TOKEN_FILTERS = {"kind": "kind", "area": "area_id", "activity": "activity_id",
                  "campaign": "campaign_id", "tone": "tone", "gps": "has_gps",
                  "minors": "contains_minors"}  # fmt: skip


def _token(name: str, value) -> str:
    if isinstance(value, bool):
        value = int(value)
    return f"0x{name}x{''.join(_WORD.findall(fold(str(value))))}"


def filter_tokens(entry: SearchEntry) -> str:
    tokens = []
    for name, column in _TOKEN_FILTERS.items():
        value = getattr(entry, column)
        if value not in (None, ""):
            tokens.append(_token(name, value))
    return " ".join(tokens)


def _split_filters(filters: dict) -> tuple[list[str], dict]:
    """(Token terms for the tokenised filters, the filters left for the row check)."""
    terms, rest = [], {}
    for key, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if key in _TOKEN_FILTERS:
            if key in ("gps", "minors"):
                value = _truthy(value)
            elif key in ("area", "activity", "campaign"):
                value = int(value)
            terms.append(_token(key, value))
        else:
            rest[key] = value
    return terms, rest


def unindex(object_type: str, object_id: int) -> None:
    entry = SearchEntry.objects.filter(object_type=object_type, object_id=object_id).first()
    if entry is None:
        return
    if connection.vendor == "sqlite" and entry.sort_key is not None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.sort_key])
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
FACET_SAMPLE = 1_000  # facets of broader searches are counted over the newest matches
_FACET_COLUMNS = ("kind", "sort_key", "area_id", "tone", "outlet", "has_gps", "contains_minors")


def fts5_expression(query: Query) -> str:
    parts = [f'"{t}"' for t in query.terms] + [f'"{p}"*' for p in query.prefixes]
    parts += ['"' + " ".join(ph) + '"' for ph in query.phrases]
    return " AND ".join(parts)


def tsquery(query: Query) -> str:
    parts = [f"'{t}'" for t in query.terms] + [f"'{p}':*" for p in query.prefixes]
    parts += ["(" + " <-> ".join(f"'{w}'" for w in ph) + ")" for ph in query.phrases]
    return " & ".join(parts)


def _truthy(value) -> bool:
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


def _filter(qs, filters: dict):
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
    date: object
    obj: object = None


@dataclass
class Results:
    total: int  # capped at COUNT_CAP + 1
    hits: list[Hit]
    facets: dict
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
    visible_areas=None,
) -> Results:
    """Search assets and clippings. `order` is "recientes" (default) or "relevancia"."""
    query = parse(q)
    if not query.empty:
        tokens, filters = _split_filters(filters or {})
        query.terms += tokens
    qs = _filter(SearchEntry.objects.all(), filters or {})
    if visible_areas is not None:
        qs = qs.filter(Q(area_id__in=visible_areas) | Q(object_type=SearchEntry.CLIPPING))
    relevance = order == "relevancia" and not query.empty
    if query.empty:
        plan = _OrmPlan(qs.order_by("-sort_key"))
    elif connection.vendor == "sqlite":
        plan = _Fts5Plan(qs, fts5_expression(query), key_range(filters or {}))
    else:
        sample = FACET_SAMPLE if facets else 0
        plan = _PgPlan(qs, query, want=offset + limit, sample=sample)
    total = plan.count(COUNT_CAP + 1)
    rows = plan.page(offset, limit, relevance=relevance)
    hits = [Hit(*row) for row in rows]
    _attach(hits)
    at_least = total > COUNT_CAP or getattr(plan, "broad", False)
    result = Results(total=total, hits=hits, facets={}, at_least=at_least)
    if facets:
        sample = plan.sample(FACET_SAMPLE)
        result.facets = _facets(sample)
        result.facets_sampled = result.capped or len(sample) < total
    return result


_HIT_COLUMNS = ("object_type", "object_id", "kind", "date")


class _OrmPlan:
    """Filters only: the ORM query ordered newest-first by sort_key; the count stops
    at the cap and the facets are counted over the newest matches."""

    def __init__(self, qs) -> None:
        self.qs = qs

    def page(self, offset: int, limit: int, relevance: bool) -> list[tuple]:
        return list(self.qs.values_list(*_HIT_COLUMNS)[offset : offset + limit])

    def count(self, cap: int) -> int:
        return self.qs.order_by()[:cap].count()

    def sample(self, n: int) -> list[tuple]:
        return list(self.qs.values_list(*_FACET_COLUMNS)[:n])


class _PgPlan:
    """PostgreSQL full text, newest first, mostly in one statement.

    The GIN index finds a word's matches in no useful order: to show the newest 50
    it must fetch every matching row (7 000 for "bacheo" + video: ~100 ms on cold
    heap pages, and GIN alone spends ~10 ms on 60 000 matches). Walking the
    sort_key index newest-first and checking `tsv @@` row by row costs about 1 µs a
    row and stops at the page, so it wins whenever matches are dense among recent
    rows; GIN wins for rare ones. The planner cannot tell which (it has no
    statistics for phrases or correlated words), so the plan looks for itself:

    1. walk a window of the newest rows (WINDOW per wanted match): the page fills →
       broad: the window's matches are the page and the facet sample, the total a
       lower bound;
    2. matches dense enough to fill the page within WIDEN windows: walk on
       from the oldest match found;
    3. otherwise all matches through GIN, sorted by key: the page, the newest ones
       as facet sample (all of them when they fit) and the exact total."""

    WINDOW = 40  # rows walked per wanted match: 2 000 for a page of 50
    WIDEN = 8  # walk on while the page would fill within 8 more windows

    def __init__(self, qs, query: Query, want: int, sample: int) -> None:
        self.tsquery = tsquery(query)
        self.where, self.params = _where_sql(qs)
        words = query.terms + query.prefixes + [w for ph in query.phrases for w in ph]
        self.rank_query = " | ".join(f"'{w}'" for w in words)
        self.rows: list[tuple] = []
        window = self.WINDOW * max(want, 1)
        if want:
            self.rows = self._walk(window, max(want, sample))
        found = len(self.rows)
        if 0 < found < want and found * (self.WIDEN + 1) >= want:
            self.rows += self._walk(window * self.WIDEN, want - found, self.rows[-1][4])
        self.broad = bool(want) and len(self.rows) >= want  # the total is a lower bound
        self.total = 0
        if not self.broad:
            self.rows, self.total = self._sorted(max(want, sample, 1))

    def _filtered(self, extra: str = "") -> str:
        conditions = [f"({c})" for c in (self.where, extra) if c]
        return f" WHERE {' AND '.join(conditions)}" if conditions else ""

    def _walk(self, rows: int, matches: int, below: int | None = None) -> list[tuple]:
        """Up to `matches` matches among the `rows` newest rows (below a key)."""
        inner = _PG_COLUMNS + ", tsv"
        where = self._filtered("sort_key < %s" if below is not None else "")
        params = [*self.params, *([below] if below is not None else []), rows]
        # The LIMIT subquery walks the sort_key index newest-first; the text check
        # stays outside it, so GIN is not used and the walk stops at `matches`.
        sql = (
            f"SELECT {_PG_COLUMNS} FROM (SELECT {inner} FROM archive_searchentry{where}"
            " ORDER BY sort_key DESC LIMIT %s) AS archive_searchentry"
            f" WHERE tsv @@ {_TSQUERY} ORDER BY sort_key DESC LIMIT %s"
        )
        return _fetch(sql, [*params, self.tsquery, matches])

    def _sorted(self, n: int) -> tuple[list[tuple], int]:
        """All matches through GIN (never a walk): the newest `n` and how many there are."""
        sql = (
            f"WITH matches AS MATERIALIZED (SELECT {_PG_COLUMNS} FROM archive_searchentry"
            f"{self._filtered(f'tsv @@ {_TSQUERY}')})"
            " SELECT *, (SELECT count(*) FROM matches) FROM matches"
            " ORDER BY sort_key DESC LIMIT %s"
        )
        rows = _fetch(sql, [*self.params, self.tsquery, n])
        return [row[:-1] for row in rows], rows[0][-1] if rows else 0

    def count(self, cap: int) -> int:
        if not self.broad:
            return min(self.total, cap)
        # Shown as "más de N": half the planner's estimate (close for single words,
        # low for phrases and words that go together; half leaves room for its error:
        # 4 017 estimated for 3 992), never less than the matches seen.
        bound = max(len(self.rows), min(self._estimate() // 2, cap))
        return cap if bound >= cap else _round_down(bound - 1) + 1

    def _estimate(self) -> int:
        sql = "EXPLAIN (FORMAT JSON) SELECT 1 FROM archive_searchentry"
        sql += self._filtered(f"tsv @@ {_TSQUERY}")
        plan = _fetch(sql, [*self.params, self.tsquery])[0][0]
        return int((plan[0] if isinstance(plan, list) else plan)["Plan"]["Plan Rows"])

    def page(self, offset: int, limit: int, relevance: bool) -> list[tuple]:
        if relevance:
            return self._ranked(offset, limit)
        return [row[:4] for row in self.rows[offset : offset + limit]]

    def _ranked(self, offset: int, limit: int) -> list[tuple]:
        sql = (
            f"SELECT {_PG_COLUMNS} FROM archive_searchentry{self._filtered(f'tsv @@ {_TSQUERY}')}"
            f" ORDER BY ts_rank(tsv, {_TSQUERY}) DESC, sort_key DESC LIMIT %s OFFSET %s"
        )
        params = [*self.params, self.tsquery, self.rank_query, limit, offset]
        return [row[:4] for row in _fetch(sql, params)]

    def sample(self, n: int) -> list[tuple]:
        # The newest matches: the window's when broad, otherwise up to max(n, page).
        return [(row[2], *row[4:]) for row in self.rows]


_TSQUERY = "to_tsquery('simple'::regconfig, %s)"
_PG_COLUMNS = ", ".join(_HIT_COLUMNS + _FACET_COLUMNS[1:])  # hit + facet columns, once


def _round_down(n: int) -> int:
    """Keep the leading digit: 1 234 → 1 000, so a lower bound reads "más de 1 000"."""
    if n < 10:
        return max(n, 0)
    scale = 10 ** (len(str(n)) - 1)
    return n // scale * scale


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _where_sql(qs) -> tuple[str, list]:
    """The row filters of a queryset as SQL, for the plans' own statements."""
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        where, params = qs.query.where.as_sql(compiler, compiler.connection)
    except FullResultSet:
        return "", []
    except EmptyResultSet:
        return "FALSE", []
    return where, list(params)


class _Fts5Plan:
    """SQLite: walk the FTS5 index in rowid (= sort_key) order, newest first.

    FTS5 yields matches in descending rowid order by itself, so `LIMIT 50` stops
    after the first page instead of sorting every match; the filter columns are
    checked on the joined row (CROSS JOIN keeps the FTS table as the outer loop)."""

    def __init__(self, qs, expr: str, span: tuple[int, int] | None) -> None:
        self.expr = expr
        self.span = span
        self.where, self.params = _where_sql(qs)

    def _sql(self, columns: str, join: bool) -> tuple[str, list]:
        sql = f"SELECT {columns} FROM {FTS_TABLE}"
        if join:
            sql += (
                " CROSS JOIN archive_searchentry"
                f" ON archive_searchentry.sort_key = {FTS_TABLE}.rowid"
            )
        sql += f" WHERE {FTS_TABLE} MATCH %s"
        params: list = [self.expr]
        if self.span:
            sql += f" AND {FTS_TABLE}.rowid BETWEEN %s AND %s"
            params += list(self.span)
        if join and self.where:
            sql += f" AND ({self.where})"
            params += list(self.params)
        return sql, params

    def page(self, offset: int, limit: int, relevance: bool) -> list[tuple]:
        columns = ", ".join(f"archive_searchentry.{c}" for c in _HIT_COLUMNS)
        sql, params = self._sql(columns, join=True)
        order = f"{FTS_TABLE}.rank, " if relevance else ""
        sql += f" ORDER BY {order}{FTS_TABLE}.rowid DESC LIMIT %s OFFSET %s"
        rows = _fetch(sql, [*params, limit, offset])
        field = SearchEntry._meta.get_field("date")
        convert = connection.ops.get_db_converters(field.get_col(SearchEntry._meta.db_table))
        return [(t, i, k, _convert(d, convert, field)) for t, i, k, d in rows]

    def count(self, cap: int) -> int:
        # Without filters the full-text index alone answers; no table row is read.
        sql, params = self._sql("1", join=bool(self.where))
        return _fetch(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, cap])[0][0]

    def sample(self, n: int) -> list[tuple]:
        columns = ", ".join(f"archive_searchentry.{c}" for c in _FACET_COLUMNS)
        sql, params = self._sql(columns, join=True)
        return _fetch(f"{sql} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s", [*params, n])


def _convert(value, converters, field):
    for converter in converters:
        value = converter(value, field, connection)
    return value


def _facets(rows: list[tuple]) -> dict:
    """Count facet values in Python over already-fetched rows (one query, no GROUP BYs)."""
    tz = timezone.get_current_timezone()
    years = list(range(1990, timezone.now().year + 2))
    starts = [int(dt.datetime(y, 1, 1, tzinfo=tz).timestamp()) << 20 for y in years]
    counters: dict[str, Counter] = {k: Counter() for k in ("kind", "year", "area", "tone",
                                                          "outlet", "gps", "minors")}  # fmt: skip
    for kind, key, area, tone, outlet, gps, minors in rows:
        counters["kind"][kind] += 1
        if key is not None and key >= starts[0]:
            counters["year"][years[bisect.bisect_right(starts, key) - 1]] += 1
        counters["area"][area] += 1
        counters["tone"][tone] += 1
        counters["outlet"][outlet] += 1
        counters["gps"][gps] += 1
        counters["minors"][minors] += 1

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
