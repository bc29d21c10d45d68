"""Reads for the archive pages and API."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import Area, User
from pregon.archive import search
from pregon.archive.models import Asset, AssetKind, Clipping, MediaType, SearchEntry, Tone
from pregon.core.links import EACH, for_each
from pregon.core.spanish import MONTHS_SHORT


def visible_area_ids(user: User) -> list[int] | None:
    """None means every area; an Enlace sees only their own area's assets."""
    if access.sees_all_areas(user):
        return None
    return [user.area_id] if user.area_id else []


def run_search(user: User, params: Mapping[str, str]) -> search.Results:
    filters = {k: params.get(k) for k in search.FILTERS}
    try:
        page = max(int(params.get("pagina") or 1), 1)
    except ValueError:
        page = 1
    return search.run(
        params.get("q", ""),
        filters,
        order=params.get("orden") or "recientes",
        limit=48,
        offset=(page - 1) * 48,
        visible_areas=visible_area_ids(user),
        attach=False,
    )


KIND_LABELS = dict(AssetKind.choices)
TONE_LABELS = dict(Tone.choices)


def result_cards(hits: list[search.Hit]) -> list[dict[str, Any] | None]:
    """The search page's cards as plain values, in the hits' order: two narrow queries
    instead of whole assets and clippings, the links written from the archive's URL.
    None where the object is gone (the index can lag a deletion)."""
    links = _CardLinks()
    by_type: dict[str, list[int]] = {SearchEntry.ASSET: [], SearchEntry.CLIPPING: []}
    for hit in hits:
        by_type.setdefault(hit.object_type, []).append(hit.object_id)
    assets = {
        row["pk"]: row
        for row in Asset.objects.filter(pk__in=by_type[SearchEntry.ASSET]).values(
            "pk", "kind", "title", "original_name", "caption", "alt_text", "thumbnail"
        )
    }
    clips = {
        row["pk"]: row
        for row in Clipping.objects.filter(pk__in=by_type[SearchEntry.CLIPPING]).values(
            "pk", "headline", "outlet", "date", "tone"
        )
    }
    cards: list[dict[str, Any] | None] = []
    for hit in hits:
        if hit.object_type == SearchEntry.ASSET:
            asset = assets.get(hit.object_id)
            cards.append(asset and _asset_card(asset, hit, links))
        else:
            clip = clips.get(hit.object_id)
            cards.append(clip and _clipping_card(clip, links))
    return cards


class _CardLinks:
    def __init__(self) -> None:
        self.asset = for_each("archive:detail", EACH)
        self.thumbnail = for_each("archive:derivative", EACH, "miniatura")
        self.clipping = for_each("archive:clipping_detail", EACH)


def _asset_card(row: Mapping[str, Any], hit: search.Hit, links: _CardLinks) -> dict[str, Any]:
    # The same text as str(asset), get_kind_display and the `fecha:"j M Y"` filter.
    pk = row["pk"]
    return {
        "asset": True,
        "pk": str(pk),  # as printed: no number formatting per card
        "url": links.asset(pk),
        "thumbnail": links.thumbnail(pk) if row["thumbnail"] else "",
        "alt": row["alt_text"] or row["caption"] or row["original_name"],
        "title": row["title"] or row["original_name"],
        "kind": KIND_LABELS.get(row["kind"], row["kind"]),
        "date": _day(hit.date),
    }


def _clipping_card(row: Mapping[str, Any], links: _CardLinks) -> dict[str, Any]:
    return {
        "asset": False,
        "url": links.clipping(row["pk"]),
        "headline": row["headline"],
        "outlet": row["outlet"],
        "date": _day(row["date"]),
        "tone": row["tone"],
        "tone_label": TONE_LABELS.get(row["tone"], row["tone"]),
    }


def areas() -> list[Mapping[str, Any]]:
    """Every area by name, once for both the filter (active ones) and the facet names."""
    return list(Area.objects.values("pk", "short_name", "is_active"))


def area_facet(
    counts: list[tuple[int, int]], areas: list[Mapping[str, Any]]
) -> list[tuple[str, int]]:
    names = {a["pk"]: a["short_name"] for a in areas}
    return [(names.get(i, str(i)), n) for i, n in counts]


def synthesis(day: dt.date) -> dict[str, Any]:
    """The day's clippings grouped by media type, with tone marks and totals."""
    clips = list(Clipping.objects.filter(date=day).order_by("media_type", "outlet", "id"))
    groups: OrderedDict = OrderedDict()
    for mt in MediaType:
        items = [c for c in clips if c.media_type == mt.value]
        if items:
            groups[mt.label] = items
    tones = {t.label: sum(1 for c in clips if c.tone == t.value) for t in Tone}
    value = sum((c.ad_value or Decimal(0) for c in clips), Decimal(0))
    return {
        "day": day,
        "groups": groups,
        "total": len(clips),
        "tones": tones,
        "ad_value": value,
        "own": sum(1 for c in clips if c.is_own_bulletin),
    }


def _day(value: dt.date | dt.datetime | None) -> str:
    """«2 mar. 2026», the text of the `fecha:"j M Y"` filter, without building a
    DateFormat per card (a third of the cards' cost)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year:04d}"
