"""Archive pages: search, upload with progress, detail, hemeroteca, síntesis."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.accounts.models import Area
from pregon.archive import search, selectors, services, tasks
from pregon.archive.forms import AssetEditForm, ClippingForm
from pregon.archive.models import Asset, AssetKind, Clipping, IngestItem, MediaType, Tone
from pregon.core.api_types import parse_id
from pregon.core.audit import log_action
from pregon.core.page_cache import staff_page
from pregon.core.pdf import html_to_pdf


def _asset(request: HttpRequest, pk: int) -> Asset:
    qs = Asset.objects.select_related("activity", "area", "campaign")
    areas = selectors.visible_area_ids(request.user)
    if areas is not None:
        qs = qs.filter(area_id__in=areas)
    return get_object_or_404(qs, pk=pk)


@access.require("archive.view_asset")
@staff_page
def index(request: HttpRequest) -> HttpResponse:
    results = selectors.run_search(request.user, request.GET)
    facets = results.facets
    areas = selectors.areas()
    context = {
        "results": results,
        "cards": selectors.result_cards(results.hits),
        "q": request.GET.get("q", ""),
        "params": request.GET,
        "facets": facets,
        "area_facet": selectors.area_facet(facets.get("area", []), areas),
        "kinds": AssetKind.choices + [("nota", "Nota de prensa")],
        "tones": Tone.choices,
        "areas": [a for a in areas if a["is_active"]],
    }
    template = (
        "archive/_results.html" if request.headers.get("HX-Request") else "archive/index.html"
    )
    return render(request, template, context)


@access.require("archive.add_asset")
def upload(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "archive/upload.html",
        {"batch": uuid.uuid4().hex, "areas": Area.objects.filter(is_active=True)},
    )


@require_POST
@access.require("archive.add_asset")
def upload_file(request: HttpRequest) -> JsonResponse:
    """One file per request so the browser can show per-file progress."""
    uploaded = request.FILES.get("archivo")
    if uploaded is None:
        return JsonResponse({"error": "No se recibió ningún archivo."}, status=400)
    area = _area_for(request)
    item = tasks.queue_upload(
        uploaded_file=uploaded,
        batch=request.POST.get("lote") or uuid.uuid4().hex,
        user=request.user,
        area=area,
    )
    return JsonResponse({"id": item.pk, "nombre": item.original_name, "estado": item.status})


def _area_for(request: HttpRequest) -> Area | None:
    pk = parse_id(request.POST.get("area"))
    if pk and access.can_act_for_area(request.user, pk):
        return Area.objects.filter(pk=pk).first()
    return request.user.area


@access.require("archive.add_asset")
def upload_status(request: HttpRequest) -> JsonResponse:
    items = IngestItem.objects.filter(batch=request.GET.get("lote", ""), created_by=request.user)
    return JsonResponse(
        {
            "archivos": [
                {
                    "id": i.pk,
                    "nombre": i.original_name,
                    "estado": i.status,
                    "estado_texto": i.get_status_display(),
                    "mensaje": i.message,
                    "archivo": i.asset_id,
                    "duplicado_de": i.duplicate_of_id,
                }
                for i in items
            ]
        }
    )


@access.require("archive.view_asset")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    form = AssetEditForm(instance=asset)
    if request.method == "POST":
        access.check(request.user, "archive.change_asset")
        form = AssetEditForm(request.POST, instance=asset)
        if form.is_valid():
            form.save()
            search.index_asset(asset)
            log_action(
                asset, "archive.edit", user=request.user, data=form.cleaned_data.get("title")
            )
            messages.success(request, "Datos del archivo guardados.")
            return redirect("archive:detail", pk=asset.pk)
    return render(
        request,
        "archive/detail.html",
        {
            "asset": asset,
            "form": form,
            "similar": services.near_duplicates(asset),
            "can_edit": access.can(request.user, "archive.change_asset"),
        },
    )


@access.require("archive.view_asset")
def derivative(request: HttpRequest, pk: int, size: str) -> FileResponse:
    asset = _asset(request, pk)
    field = {"miniatura": asset.thumbnail, "vista": asset.preview}.get(size)
    if not field:
        raise Http404("Sin imagen derivada.")
    return FileResponse(field.open("rb"), content_type="image/jpeg")


@access.require("archive.view_asset")
def original(request: HttpRequest, pk: int) -> FileResponse:
    asset = _asset(request, pk)
    log_action(asset, "archive.download", user=request.user)
    return FileResponse(
        asset.original.open("rb"),
        as_attachment=True,
        filename=asset.original_name,
        content_type=asset.mime_type or "application/octet-stream",
    )


@require_POST
@access.require("archive.change_asset")
def captions_upload(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    upload = request.FILES.get("subtitulos")
    if upload is None:
        messages.error(request, "Elija un archivo de subtítulos (.srt o .vtt).")
    else:
        try:
            services.asset_set_captions(asset=asset, upload=upload, user=request.user)
        except services.IngestError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Subtítulos guardados.")
    return redirect("archive:detail", pk=asset.pk)


@access.require("archive.view_asset")
def captions_file(request: HttpRequest, pk: int) -> FileResponse:
    asset = _asset(request, pk)
    if not asset.captions:
        raise Http404("Sin subtítulos.")
    return FileResponse(asset.captions.open("rb"), content_type="text/vtt; charset=utf-8")


@access.require("archive.view_clipping")
def clippings(request: HttpRequest) -> HttpResponse:
    form = ClippingForm(initial={"date": timezone.localdate()})
    if request.method == "POST":
        access.check(request.user, "archive.add_clipping")
        form = ClippingForm(request.POST, request.FILES)
        if _save_clipping(request, form):
            messages.success(request, "Nota registrada en la hemeroteca.")
            return redirect("archive:clippings")
    recent = Clipping.objects.all()[:50]
    return render(
        request,
        "archive/clippings.html",
        {
            "form": form,
            "clippings": recent,
            "can_add": access.can(request.user, "archive.add_clipping"),
        },
    )


def _save_clipping(request: HttpRequest, form: ClippingForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.clipping_save(
            form=form, user=request.user, capture_file=form.cleaned_data.get("capture_file")
        )
    except services.IngestError as exc:
        form.add_error("capture_file", f"Captura rechazada: {exc.message}")
        return False
    return True


@access.require("archive.view_clipping")
def clipping_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clip = get_object_or_404(Clipping.objects.select_related("capture"), pk=pk)
    can_edit = access.can(request.user, "archive.change_clipping")
    return render(request, "archive/clipping_detail.html", {"clip": clip, "can_edit": can_edit})


@access.require("archive.change_clipping")
def clipping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    clip = get_object_or_404(Clipping, pk=pk)
    initial = {"topics_text": ", ".join(clip.topics or [])}
    form = ClippingForm(instance=clip, initial=initial)
    if request.method == "POST":
        form = ClippingForm(request.POST, request.FILES, instance=clip, initial=initial)
        if _save_clipping(request, form):
            messages.success(request, "Nota actualizada.")
            return redirect("archive:clipping_detail", pk=clip.pk)
    return render(request, "archive/clipping_form.html", {"form": form, "clip": clip})


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("fecha", ""))
    except ValueError:
        return timezone.localdate()


@access.require("archive.view_clipping")
def synthesis(request: HttpRequest) -> HttpResponse:
    data = selectors.synthesis(_day(request))
    return render(request, "archive/synthesis.html", {**data, "media_types": MediaType})


@access.require("archive.view_clipping")
def synthesis_pdf(request: HttpRequest) -> HttpResponse:
    data = selectors.synthesis(_day(request))
    html = render_to_string("archive/synthesis_pdf.html", data, request=request)
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"sintesis-{data['day'].isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
