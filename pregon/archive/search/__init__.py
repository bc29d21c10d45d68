"""One Spanish search over assets and clippings, on SQLite FTS5 or PostgreSQL.

Both backends index text that `normalize()` has already folded: lowercase,
vowel accents removed (ñ kept, so «año» ≠ «ano»), and a small Spanish
singular/plural folding. Queries go through the same function, so the two
backends match the same documents; the engines only do exact token matching.

`text` folds and parses, `index` keeps the index in step, `plans` runs a search
on each backend, `query` puts it together. The names below are what the rest of
Pregón (and migration 0004) uses, so they stay importable from here.
"""

from pregon.archive.search.index import (
    FTS_TABLE,
    filter_tokens,
    index_asset,
    index_clipping,
    rebuild,
    sort_key,
    unindex,
)
from pregon.archive.search.query import FILTERS, Hit, Results, hit_dict, run
from pregon.archive.search.text import normalize

__all__ = [
    "FILTERS",
    "FTS_TABLE",
    "Hit",
    "Results",
    "filter_tokens",
    "hit_dict",
    "index_asset",
    "index_clipping",
    "normalize",
    "rebuild",
    "run",
    "sort_key",
    "unindex",
]
