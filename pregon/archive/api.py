"""Archive API: upload into the ingest queue, read assets, one search."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from pregon.accounts import access
from pregon.accounts.models import Area
from pregon.archive import search, selectors, tasks
from pregon.archive.models import Asset, IngestItem
from pregon.core.api_types import Id, Month, Offset, Year

router = Router(tags=["Archivo"])
# A search page counts and facets its matches: fewer at a time than a plain list.
SearchLimit = Annotated[int, Field(ge=1, le=200)]


class AssetOut(Schema):
    id: int
    kind: str
    original_name: str
    title: str
    caption: str
    credit: str
    keywords: list
    mime_type: str
    sha256: str
    size: int
    width: int | None
    height: int | None
    duration: float | None
    captured_at: str | None
    camera: str
    gps_lat: float | None
    gps_lon: float | None
    activity_id: int | None
    area_id: int | None
    contains_minors: bool
    public_use_blocked: bool
    has_captions: bool
    no_captions_reason: str
    status: str


def _asset_out(asset: Asset) -> dict:
    computed = {"captured_at", "has_captions"}
    data = {name: getattr(asset, name) for name in AssetOut.model_fields if name not in computed}
    data["captured_at"] = asset.captured_at.isoformat() if asset.captured_at else None
    data["has_captions"] = bool(asset.captions)
    return data


class UploadOut(Schema):
    id: int
    nombre: str
    estado: str
    mensaje: str
    archivo: int | None
    duplicado_de: int | None


def _upload_out(item: IngestItem) -> dict:
    return {
        "id": item.pk,
        "nombre": item.original_name,
        "estado": item.status,
        "mensaje": item.message,
        "archivo": item.asset_id,
        "duplicado_de": item.duplicate_of_id,
    }


@router.post("/archive/uploads", response={202: UploadOut}, summary="Subir un archivo al archivo")
def upload(
    request: HttpRequest,
    archivo: UploadedFile = File(...),  # noqa: B008 (django-ninja declares inputs this way)
    area: str = Form(""),  # noqa: B008
    lote: str = Form(""),  # noqa: B008
):
    """The file is checked and processed by the background worker; poll its status."""
    access.check(request.auth, "archive.add_asset")
    area_obj = request.auth.area
    if area:
        found = Area.objects.filter(short_name=area).first()
        if found and access.can_act_for_area(request.auth, found.pk):
            area_obj = found
    item = tasks.queue_upload(
        uploaded_file=archivo, batch=lote or uuid.uuid4().hex, user=request.auth, area=area_obj
    )
    item.refresh_from_db()
    return Status(202, _upload_out(item))


@router.get("/archive/uploads/{item_id}", response=UploadOut, summary="Estado de una subida")
def upload_status(request: HttpRequest, item_id: Id):
    access.check(request.auth, "archive.add_asset")
    return _upload_out(get_object_or_404(IngestItem, pk=item_id, created_by=request.auth))


@router.get("/archive/assets/{asset_id}", response=AssetOut, summary="Un archivo del acervo")
def asset_detail(request: HttpRequest, asset_id: Id):
    access.check(request.auth, "archive.view_asset")
    qs = Asset.objects.all()
    areas = selectors.visible_area_ids(request.auth)
    if areas is not None:
        qs = qs.filter(area_id__in=areas)
    return _asset_out(get_object_or_404(qs, pk=asset_id))


class SearchOut(Schema):
    """The list envelope of every other endpoint, plus the facets."""

    items: list[dict]
    total: int
    limit: int
    offset: int
    # True when "total" is a lower bound (more matches than were counted).
    total_minimo: bool
    facetas_aproximadas: bool
    facetas: dict[str, list[list]]


@router.get("/search", response=SearchOut, summary="Buscar en archivo y hemeroteca")
def search_endpoint(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    year: Year | None = None,
    month: Month | None = None,
    area: Id | None = None,
    activity: Id | None = None,
    campaign: Id | None = None,
    tone: str = "",
    outlet: str = "",
    gps: str = "",
    minors: str = "",
    orden: str = "recientes",
    limit: SearchLimit = 50,
    offset: Offset = 0,
) -> dict:
    """Spanish full text: accents and plurals don't matter, `"frase"` and `prefijo*` work."""
    access.check(request.auth, "archive.view_asset")
    filters = dict(kind=kind, year=year, month=month, area=area, activity=activity,
                   campaign=campaign, tone=tone, outlet=outlet, gps=gps, minors=minors)  # fmt: skip
    results = search.run(
        q,
        filters,
        order=orden,
        limit=limit,
        offset=offset,
        visible_areas=selectors.visible_area_ids(request.auth),
    )
    return {
        "items": [search.hit_dict(h) for h in results.hits],
        "total": results.total,
        "limit": limit,
        "offset": offset,
        "total_minimo": results.capped,
        "facetas_aproximadas": results.facets_sampled,
        "facetas": {k: [[str(a), n] for a, n in v] for k, v in results.facets.items()},
    }
