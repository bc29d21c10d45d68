"""Pages: thin views that parse input, call one service and render or redirect."""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.agenda.models import Activity
from pregon.archive.models import Asset
from pregon.archive.selectors import visible_area_ids
from pregon.archive.services import IngestError
from pregon.core import redirects
from pregon.publishing import compliance, composer, media_links, selectors, services, tasks
from pregon.publishing.channels import registry
from pregon.publishing.forms import (
    ChannelAccountForm,
    MarkPublishedForm,
    PublicationForm,
    ScheduleForm,
)
from pregon.publishing.models import (
    ChannelAccount,
    Delivery,
    PublicationMedia,
    PublicationStatus,
)
from pregon.publishing.validation import effective_text, variant_problems


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@access.require("publishing.view_publication")
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    # The compliance rules as they stand now, with matched public servants' names,
    # and each channel's preview as the composer draws it.
    panels = {row.account.pk: row.panel for row in composer.state_for(publication).channels}
    variants = [
        {
            "variant": check.variant,
            "problems": variant_problems(check.variant),
            "verdict": check.verdict,
            "deliveries": list(check.variant.deliveries.all()),
            "panel": panels.get(check.variant.account_id),
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
            "approval_refusal": services.approval_refusal(publication, request.user),
        },
    )


def get_object_or_404_scoped(request: HttpRequest, pk: int):
    try:
        return selectors.publication_detail(request.user, pk)
    except selectors.Publication.DoesNotExist as exc:
        raise Http404("No existe esa publicación.") from exc


@access.require("publishing.add_publication")
def publication_create(request: HttpRequest) -> HttpResponse:
    return _compose(request, None)


@access.require("publishing.change_publication")
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404_scoped(request, pk)
    if not publication.is_editable:
        messages.error(request, "Esta publicación ya no se puede editar.")
        return redirect("publishing:detail", pk)
    return _compose(request, publication)


def _compose(request: HttpRequest, publication) -> HttpResponse:
    """The composer: one page writes, illustrates, checks and sends to review."""
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method != "POST":
        return _composer_page(request, form, composer.state_for(publication))
    state = composer.state_from_post(request.POST, publication, request.user)
    if form.is_valid():
        submit = request.POST.get("accion") == "enviar"
        try:
            saved = services.publication_compose(
                publication=publication,
                user=request.user,
                fields=form.cleaned_data,
                media=composer.composed_media(state),
                variants=composer.variant_specs(state),
                submit=submit,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _saved_message(publication, submit))
            return redirect("publishing:detail", saved.pk)
    return _composer_page(request, form, state)


def _saved_message(publication, submitted: bool) -> str:
    if submitted:
        return "Guardada y enviada a revisión."
    return "Cambios guardados." if publication else "Publicación guardada como borrador."


def _composer_page(request: HttpRequest, form, state) -> HttpResponse:
    publication = state.publication
    context = {
        "form": form,
        "state": state,
        "publication": publication,
        "can_submit": publication is None or publication.status == PublicationStatus.BORRADOR,
        "archive_items": _archive_items(publication.activity_id if publication else None, ""),
    }
    return render(request, "publishing/compose.html", context)


def _archive_items(activity_id: int | None, q: str) -> list[composer.ArchiveChoice]:
    return [composer.archive_choice(a) for a in selectors.archive_images(activity_id, q)]


@require_POST
@access.require("publishing.add_publication")
def compose_check(request: HttpRequest) -> HttpResponse:
    """htmx: every channel's check, counter and preview for what the page holds now
    (unticked channels are emptied). Debounced by the page; nothing is saved."""
    publication = None
    if request.POST.get("publication", "").isdigit():
        publication = get_object_or_404_scoped(request, int(request.POST["publication"]))
    state = composer.state_from_post(request.POST, publication, request.user)
    return render(request, "publishing/_compose_checks.html", {"state": state})


@require_POST
@access.require("publishing.add_publication")
def compose_upload(request: HttpRequest) -> HttpResponse:
    """htmx: photos and videos dropped in the composer go into the archive and come
    back as items of the page's media list (attached when the publication is saved)."""
    items, errors = [], []
    activity = _activity_for(request.POST.get("activity", ""))
    for upload in request.FILES.getlist("archivo"):
        try:
            asset = services.composer_upload(
                upload=upload, user=request.user, activity=activity, area=request.user.area
            )
        except ValidationError as exc:
            errors.append(_errors(exc))
        else:
            items.append(composer.from_asset(asset))
    if not items and not errors:
        errors.append("Elija una imagen o un video.")
    return _media_items_response(request, items, errors)


def _activity_for(raw: str):
    return Activity.objects.filter(pk=raw).first() if raw.isdigit() else None


def _media_items_response(request: HttpRequest, items: list, errors: list[str]) -> HttpResponse:
    present = set(request.POST.getlist("media"))
    fresh = [i for i in items if i and i.token not in present]
    errors += [f"«{i.name}» ya está en la publicación." for i in items if i and i.token in present]
    context = {"items": fresh, "errors": errors}
    response = render(request, "publishing/_compose_media_added.html", context)
    # After the new items are in the page, so the re-check includes them.
    response["HX-Trigger-After-Settle"] = "composer-media"
    return response


@access.require("publishing.add_publication")
def compose_archive(request: HttpRequest) -> HttpResponse:
    """htmx: the archive's photos and videos for the composer's picker (thumbnails)."""
    activity = request.GET.get("activity", "")
    q = request.GET.get("archivo", "")
    items = _archive_items(int(activity) if activity.isdigit() else None, q)
    return render(request, "publishing/_compose_archive.html", {"archive_items": items})


@require_POST
@access.require("publishing.add_publication")
def compose_pick(request: HttpRequest) -> HttpResponse:
    """htmx: one archive item added to the composer's media list."""
    assets = Asset.objects.all()
    areas = visible_area_ids(request.user)
    if areas is not None:
        assets = assets.filter(area_id__in=areas)
    asset = get_object_or_404(assets, pk=request.POST.get("asset") or 0)
    item = composer.from_asset(asset)
    errors = [] if item else [f"«{asset}» no es una imagen ni un video que pueda publicarse."]
    return _media_items_response(request, [item], errors)


@access.require("publishing.view_publication")
def media_image(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """A publication's photo (thumbnail or preview) for the calendar and the composer,
    with the publication's own visibility rules."""
    media = _media_scoped(request, pk)
    if size not in ("miniatura", "vista"):
        raise Http404("Tamaño desconocido.")
    if media.asset_id:
        field = media.asset.thumbnail if size == "miniatura" else media.asset.preview
    else:
        field = None if media.is_video else media.file
    if not field:
        raise Http404("Sin imagen.")
    return FileResponse(field.open("rb"), content_type="image/jpeg" if media.asset_id else None)


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
    prev, next_ = _neighbours(view, anchor)
    context = {
        "days": days,
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
    captions = services.media_public_captions(media)
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
    try:
        return services.media_public_path(media).open("rb")
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
        tasks.enqueue_settle(delivery)
        messages.success(request, "Se comprobará en la red en unos segundos.")
    else:
        raise Http404


@access.require("publishing.view_channelaccount")
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = ChannelAccount.objects.all()
    connect = [(reverse(url), words) for url, words in registry.connect_buttons()]
    return render(request, "publishing/accounts.html", {"accounts": accounts, "connect": connect})


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
