# ruff: noqa: S608
# (interpolated SQL is constants and WHERE clauses compiled by Django's ORM; user
# words are bound parameters reduced to [a-z0-9ñ] by normalize() and fold()).
"""Keeping SearchEntry (and SQLite's FTS5 table) in step with assets and clippings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from pregon.archive.models import Asset, Clipping, SearchEntry
from pregon.archive.search.text import WORD, fold, normalize

FTS_TABLE = "archive_search_fts"


def index_asset(asset: Asset) -> None:
    parts = [asset.title, asset.caption, asset.original_name, asset.alt_text, asset.credit,
             asset.place, asset.camera, " ".join(asset.keywords or []),
             " ".join(asset.people or [])]  # fmt: skip
    if asset.activity:  # no query when activity_id is empty
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


def sort_key(date: dt.datetime | None, object_type: str, object_id: int) -> int:
    """Newest-first key: epoch second in the high bits, object id in the low 20 bits."""
    seconds = int(date.timestamp()) if date else 0
    low = (object_id * 2 + (object_type == SearchEntry.CLIPPING)) & 0xFFFFF
    return (seconds << 20) | low


def _free_key(key: int, entry_pk: int | None) -> int:
    # Two objects of the same second whose ids share the low bits: take the next key.
    others = SearchEntry.objects.all()
    if entry_pk is not None:
        others = others.exclude(pk=entry_pk)
    while others.filter(sort_key=key).exists():
        key += 1
    return key


def _upsert(object_type: str, object_id: int, text: str, **columns: Any) -> None:
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
TOKEN_FILTERS = {"kind": "kind", "area": "area_id", "activity": "activity_id",
                  "campaign": "campaign_id", "tone": "tone", "gps": "has_gps",
                  "minors": "contains_minors"}  # fmt: skip


def filter_token(name: str, value: object) -> str:
    if isinstance(value, bool):
        value = int(value)
    return f"0x{name}x{''.join(WORD.findall(fold(str(value))))}"


def filter_tokens(entry: SearchEntry) -> str:
    tokens = []
    for name, column in TOKEN_FILTERS.items():
        value = getattr(entry, column)
        if value not in (None, ""):
            tokens.append(filter_token(name, value))
    return " ".join(tokens)


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
