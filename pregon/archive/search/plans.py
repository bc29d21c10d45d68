# ruff: noqa: S608
# (interpolated SQL is constants and WHERE clauses compiled by Django's ORM; user
# words are bound parameters reduced to [a-z0-9ñ] by normalize() and fold()).
"""How a search runs: the ORM for filters only, FTS5 on SQLite, a walk or GIN on
PostgreSQL. Each plan gives a page of hits, a capped count and a facet sample."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Field, QuerySet

from pregon.archive.models import SearchEntry
from pregon.archive.search.index import FTS_TABLE
from pregon.archive.search.text import Query, tsquery


class Plan(Protocol):
    """What `query.run` asks of a plan."""

    def page(self, offset: int, limit: int, relevance: bool) -> list[tuple[Any, ...]]: ...

    def count(self, cap: int) -> int: ...

    def sample(self, n: int) -> list[tuple[Any, ...]]: ...


HIT_COLUMNS = ("object_type", "object_id", "kind", "date")
FACET_COLUMNS = ("kind", "sort_key", "area_id", "tone", "outlet", "has_gps", "contains_minors")


class OrmPlan:
    """Filters only: the ORM query ordered newest-first by sort_key; the count stops
    at the cap and the facets are counted over the newest matches."""

    def __init__(self, qs: QuerySet[SearchEntry]) -> None:
        self.qs = qs

    def page(self, offset: int, limit: int, relevance: bool) -> list[tuple]:
        return list(self.qs.values_list(*HIT_COLUMNS)[offset : offset + limit])

    def count(self, cap: int) -> int:
        return self.qs.order_by()[:cap].count()

    def sample(self, n: int) -> list[tuple]:
        return list(self.qs.values_list(*FACET_COLUMNS)[:n])


class PgPlan:
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

    def __init__(self, qs: QuerySet[SearchEntry], query: Query, want: int, sample: int) -> None:
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
_PG_COLUMNS = ", ".join(HIT_COLUMNS + FACET_COLUMNS[1:])  # hit + facet columns, once


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


def _where_sql(qs: QuerySet[SearchEntry]) -> tuple[str, list[Any]]:
    """The row filters of a queryset as SQL, for the plans' own statements."""
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        where, params = qs.query.where.as_sql(compiler, compiler.connection)
    except FullResultSet:
        return "", []
    except EmptyResultSet:
        return "FALSE", []
    return where, list(params)


class Fts5Plan:
    """SQLite: walk the FTS5 index in rowid (= sort_key) order, newest first.

    FTS5 yields matches in descending rowid order by itself, so `LIMIT 50` stops
    after the first page instead of sorting every match; the filter columns are
    checked on the joined row (CROSS JOIN keeps the FTS table as the outer loop)."""

    def __init__(self, qs: QuerySet[SearchEntry], expr: str, span: tuple[int, int] | None) -> None:
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
        columns = ", ".join(f"archive_searchentry.{c}" for c in HIT_COLUMNS)
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
        columns = ", ".join(f"archive_searchentry.{c}" for c in FACET_COLUMNS)
        sql, params = self._sql(columns, join=True)
        return _fetch(f"{sql} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s", [*params, n])


def _convert(value: Any, converters: list[Any], field: Field[Any, Any]) -> Any:
    for converter in converters:
        value = converter(value, field, connection)
    return value
