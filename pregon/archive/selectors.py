"""Reads for the archive pages and API."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pregon.accounts import access
from pregon.accounts.models import Area, User
from pregon.archive import search
from pregon.archive.models import Clipping, MediaType, Tone


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
    )


def area_facet(counts: list[tuple[int, int]]) -> list[tuple[str, int]]:
    names = dict(Area.objects.filter(pk__in=[i for i, _ in counts]).values_list("pk", "short_name"))
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
