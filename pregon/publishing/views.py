"""Pages: thin views that parse input, call one service and render or redirect."""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.core import redirects
from pregon.core.pagination import paginate
from pregon.publishing import compliance, media_links, selectors, services, tasks
from pregon.publishing.forms import (
    ChannelAccountForm,
    MarkPublishedForm,
    MediaForm,
    PublicationForm,
    ScheduleForm,
)
from pregon.publishing.models import (
    ChannelAccount,
    Delivery,
    DeliveryStatus,
    PublicationMedia,
    PublicationStatus,
)
from pregon.publishing.validation import (
    MediaValues,
    effective_text,
    media_values,
    problems_for,
    variant_problems,
)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@access.require("publishing.view_publication")
def publication_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    publications = selectors.publication_rows(request.user)
    if status:
        publications = publications.filter(status=status)
    page = paginate(request, publications)
    context = {
        "publications": page.items,
        "page": page,
        "status": status,
        "statuses": PublicationStatus.choices,
    }
    return render(request, "publishing/list.html", context)


@access.require("publishing.view_publication")
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    # The compliance rules as they stand now, with matched public servants' names.
    variants = [
        {
            "variant": check.variant,
            "problems": variant_problems(check.variant),
            "verdict": check.verdict,
            "deliveries": list(check.variant.deliveries.all()),
        }
        for check in compliance.publication_checks(publication)
    ]
    return render(
        request,
        "publishing/detail.html",
        {
            "publication": publication,
            "variants": variants,
            "schedule_form": ScheduleForm(
                initial={
                    "when": publication.scheduled_at
                    and timezone.localtime(publication.scheduled_at)
                }
            ),
            "media_form": MediaForm(),
            "approval_refusal": services.approval_refusal(publication, request.user),
        },
    )


def get_object_or_404_scoped(request: HttpRequest, pk: int):
    try:
        return selectors.publication_detail(request.user, pk)
    except selectors.Publication.DoesNotExist as exc:
        raise Http404("No existe esa publicación.") from exc


def _variants_from_post(post) -> dict:
    """Checkbox `channel_<id>`, textarea `text_<id>`, checkboxes `media_<id>`."""
    variants = {}
    for account in selectors.active_accounts():
        if post.get(f"channel_{account.pk}"):
            variants[account.pk] = {
                "text": post.get(f"text_{account.pk}", ""),
                "media": [int(m) for m in post.getlist(f"media_{account.pk}") if m.isdigit()],
            }
    return variants


def _editor_context(form, publication=None, post=None) -> dict:
    chosen = {v.account_id: v for v in publication.variants.all()} if publication else {}
    rows = []
    for account in selectors.active_accounts():
        variant = chosen.get(account.pk)
        checked = bool(post.get(f"channel_{account.pk}")) if post else variant is not None
        text = post.get(f"text_{account.pk}", "") if post else (variant.text if variant else "")
        media_ids = {m.pk for m in variant.media.all()} if variant else set()
        rows.append({"account": account, "checked": checked, "text": text, "media_ids": media_ids})
    media = list(publication.media.all()) if publication else []
    return {"form": form, "publication": publication, "rows": rows, "media": media}


def _archive_context(request: HttpRequest, publication) -> dict:
    q = request.GET.get("archivo", "")
    return {"archive_q": q, "archive_images": selectors.archive_images(publication, q)}


@access.require("publishing.add_publication")
def publication_create(request: HttpRequest) -> HttpResponse:
    form = PublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(
                author=request.user, variants=_variants_from_post(request.POST), **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "Publicación guardada como borrador.")
            return redirect("publishing:detail", publication.pk)
    return render(request, "publishing/edit.html", _editor_context(form, post=request.POST or None))


@access.require("publishing.change_publication")
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    if not publication.is_editable:
        messages.error(request, "Esta publicación ya no se puede editar.")
        return redirect("publishing:detail", pk)
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(
                publication=publication,
                user=request.user,
                variants=_variants_from_post(request.POST),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "Cambios guardados.")
            return redirect("publishing:detail", pk)
    context = _editor_context(form, publication, post=request.POST or None)
    context.update(_archive_context(request, publication))
    return render(request, "publishing/edit.html", context)


@require_POST
@access.require("publishing.change_publication")
def media_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an image or a video that is already in the archive."""
    from pregon.archive.models import Asset

    publication = get_object_or_404_scoped(request, pk)
    asset = get_object_or_404(Asset, pk=request.POST.get("asset") or 0)
    try:
        services.media_attach_asset(
            publication=publication,
            asset=asset,
            alt_text=request.POST.get("alt_text", "").strip(),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if asset.kind == "video":
            messages.success(request, f"Video «{asset}» agregado desde el archivo.")
        else:
            messages.success(request, f"Imagen «{asset}» agregada desde el archivo.")
    return redirect("publishing:edit", pk)


@require_POST
@access.require("publishing.change_publication")
def media_add(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    form = MediaForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Elija una imagen.")
        return redirect("publishing:detail", pk)
    try:
        services.media_add(  # decodes the image before its own short transaction
            publication=publication,
            upload=form.cleaned_data["file"],
            alt_text=form.cleaned_data["alt_text"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Imagen agregada.")
    return redirect("publishing:edit", pk)


@require_POST
@access.require("publishing.view_publication")
def validate(request: HttpRequest) -> HttpResponse:
    """htmx: live per-network check and preview while writing one variant."""
    account = get_object_or_404(ChannelAccount, pk=request.POST.get("account"))
    text = request.POST.get(f"text_{account.pk}", "").strip() or request.POST.get("text", "")
    link = request.POST.get("link", "")
    ids = [int(m) for m in request.POST.getlist(f"media_{account.pk}") if m.isdigit()]
    media_rows = list(selectors.media_for(request.user, ids))
    media: list[MediaValues] = [media_values(m) for m in media_rows]
    problems = problems_for(account.kind, text, link, media)
    context = {
        "account": account,
        "text": text,
        "link": link,
        "problems": problems,
        "media": media_rows,
    }
    return render(request, "publishing/_validation.html", context)


_ACTIONS = {
    "enviar": (services.publication_submit, "Enviada a revisión."),
    "aprobar": (services.publication_approve, "Aprobada."),
    "cancelar": (services.publication_cancel, "Cancelada; no saldrá en ningún canal."),
}


@require_POST
@access.require("publishing.change_publication")
def publication_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    if action not in _ACTIONS:
        raise Http404
    service, done = _ACTIONS[action]
    try:
        service(publication=publication, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, done)
    return redirect("publishing:detail", pk)


@require_POST
@access.require("publishing.schedule_publication")
def publication_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indique fecha y hora válidas.")
        return redirect("publishing:detail", pk)
    try:
        services.publication_schedule(
            publication=publication, user=request.user, when=form.cleaned_data["when"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Programada.")
    return redirect("publishing:detail", pk)


@require_POST
@access.require("publishing.delete_publication")
def publication_delete(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    try:
        services.publication_delete(publication=publication, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("publishing:detail", pk)
    messages.success(request, "Publicación eliminada.")
    return redirect("publishing:list")


@access.require("publishing.view_publication")
def publication_calendar(request: HttpRequest) -> HttpResponse:
    view = "semana" if request.GET.get("vista") == "semana" else "mes"
    try:
        anchor = date.fromisoformat(request.GET.get("fecha", ""))
    except ValueError:
        anchor = timezone.localdate()
    days = selectors.calendar_days(request.user, view, anchor)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    prev, next_ = _neighbours(view, anchor)
    context = {
        "weeks": weeks,
        "view": view,
        "anchor": anchor,
        "prev": prev,
        "next": next_,
        "can_move": access.can(request.user, "publishing.schedule_publication"),
    }
    return render(request, "publishing/calendar.html", context)


def _neighbours(view: str, anchor: date) -> tuple[date, date]:
    if view == "semana":
        return anchor - timedelta(days=7), anchor + timedelta(days=7)
    first = anchor.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1), (first + timedelta(days=32)).replace(day=1)


@require_POST
@access.require("publishing.schedule_publication")
def publication_move(request: HttpRequest, pk: int) -> JsonResponse:
    """Drag and drop in the calendar: same time of day, another date."""
    publication = get_object_or_404_scoped(request, pk)
    try:
        day = date.fromisoformat(request.POST.get("fecha", ""))
    except ValueError:
        return JsonResponse({"error": "Fecha inválida."}, status=400)
    current = timezone.localtime(publication.scheduled_at or timezone.now())
    when = timezone.make_aware(
        datetime.combine(day, current.time().replace(second=0, microsecond=0))
    )
    try:
        services.publication_move(publication=publication, user=request.user, when=when)
    except ValidationError as exc:
        return JsonResponse({"error": _errors(exc)}, status=400)
    return JsonResponse({"ok": True, "scheduled_at": when.isoformat()})


@access.require("publishing.view_delivery")
def today(request: HttpRequest) -> HttpResponse:
    queue = selectors.today_queue(request.user)
    held = selectors.held_deliveries(request.user)
    return render(request, "publishing/today.html", {"queue": queue, "held": held})


@access.require("publishing.view_delivery")
def delivery_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    page = paginate(request, selectors.deliveries_for(request.user, status))
    context = {
        "deliveries": page.items,
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
    }
    return render(request, "publishing/deliveries.html", context)


def _delivery_scoped(request: HttpRequest, pk: int) -> Delivery:
    return get_object_or_404(selectors.deliveries_for(request.user), pk=pk)


@access.require("publishing.view_delivery")
def manual_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy-ready text and the images to download, for channels without an API."""
    delivery = _delivery_scoped(request, pk)
    variant = delivery.variant
    context = {
        "delivery": delivery,
        "text": effective_text(variant),
        "link": variant.publication.link,
        "media": list(variant.media.all()) or list(variant.publication.media.all()),
        "form": MarkPublishedForm(),
    }
    return render(request, "publishing/package.html", context)


@access.require("publishing.view_delivery")
def media_download(request: HttpRequest, pk: int) -> FileResponse:
    media = _media_scoped(request, pk)
    return FileResponse(_public_file(media), as_attachment=True, filename=_sent_name(media))


@access.require("publishing.view_delivery")
def media_captions(request: HttpRequest, pk: int) -> FileResponse:
    """A video's Spanish subtitles as SRT, for the person who posts it by hand."""
    media = _media_scoped(request, pk)
    captions = media.public_captions()
    if captions is None:
        raise Http404("Este video no tiene subtítulos.")
    name = f"{Path(_sent_name(media)).stem}.es.srt"
    return FileResponse(captions[1].open("rb"), as_attachment=True, filename=name)


def _media_scoped(request: HttpRequest, pk: int) -> PublicationMedia:
    visible = PublicationMedia.objects.filter(
        publication__in=selectors.publications_for(request.user)
    )
    return get_object_or_404(visible.select_related("asset"), pk=pk)


def _sent_name(media: PublicationMedia) -> str:
    """The downloaded file is named after what it is: the public copy is a JPEG (or
    an MP4 for a video) whatever the original was."""
    stem = Path(media.original_name or "archivo").stem
    if media.is_video:
        return f"{stem}.mp4"
    return f"{stem}.{services.IMAGE_EXTENSIONS.get(media.sent_mime_type, 'bin')}"


def _public_file(media: PublicationMedia):
    """The file a network (or a person posting by hand) gets: the archive's public
    derivative; a 404 if the archive forbids public use (minors, rights)."""
    from pregon.archive.services import IngestError

    try:
        return media.public_path().open("rb")
    except IngestError as exc:
        raise Http404(exc.message) from exc


@require_POST
@access.require("publishing.settle_delivery")
def delivery_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    delivery = _delivery_scoped(request, pk)
    try:
        _run_delivery_action(request, delivery, action)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(redirects.safe_next(request, "publishing:deliveries"))


def _run_delivery_action(request: HttpRequest, delivery: Delivery, action: str) -> None:
    if action == "marcar":
        form = MarkPublishedForm(request.POST)
        if not form.is_valid():
            raise ValidationError("Escriba la dirección (URL) de la publicación.")
        services.delivery_mark_published(
            delivery=delivery, user=request.user, url=form.cleaned_data["url"]
        )
        messages.success(request, "Marcada como publicada.")
    elif action == "reintentar":
        services.delivery_retry(delivery=delivery, user=request.user)
        messages.success(request, "Se enviará de nuevo en unos segundos.")
    elif action == "descartar":
        services.delivery_give_up(delivery=delivery, user=request.user)
        messages.success(request, "Envío cerrado como fallido.")
    elif action == "comprobar":
        services.delivery_recheck(delivery=delivery, user=request.user)
        messages.success(request, "Se comprobará en la red en unos segundos.")
    else:
        raise Http404


@access.require("publishing.view_channelaccount")
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = ChannelAccount.objects.all()
    return render(request, "publishing/accounts.html", {"accounts": accounts})


@access.require("publishing.change_channelaccount")
def account_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    account = get_object_or_404(ChannelAccount, pk=pk) if pk else ChannelAccount()
    form = ChannelAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_save(
                account=form.save(commit=False),
                user=request.user,
                credentials=form.cleaned_data["credentials_json"].strip() or None,
            )
        except ValidationError as exc:
            form.add_error("credentials_json", exc)
        else:
            messages.success(request, "Canal guardado.")
            return redirect("publishing:accounts")
    return render(
        request,
        "publishing/account_edit.html",
        {
            "form": form,
            "account": account,
            "has_credentials": bool(account.pk and account.credentials),
        },
    )


@require_POST
@access.require("publishing.change_channelaccount")
def account_test(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(ChannelAccount, pk=pk)
    transaction.on_commit(lambda: tasks.test_connection.enqueue(account.pk))
    messages.success(request, f"Probando la conexión con {account.name}…")
    return redirect("publishing:accounts")


def public_media(request: HttpRequest, token: str) -> FileResponse:
    """No login: a signed, expiring link so a network can fetch the image."""
    try:
        media_id = media_links.unsign(token)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise Http404("Enlace vencido o no válido.") from exc
    media = get_object_or_404(PublicationMedia.objects.select_related("asset"), pk=media_id)
    return FileResponse(_public_file(media), content_type=media.sent_mime_type)
