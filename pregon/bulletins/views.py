"""Internal pages (login): writing, approving, distributing, transmissions.
Thin: parse input, call one service, render or redirect."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.agenda.models import Activity
from pregon.archive.models import Asset
from pregon.bulletins import directory, distribution, live, selectors, services, tasks
from pregon.bulletins.forms import (
    BulletinForm,
    DistributionForm,
    ImportForm,
    PhotoForm,
    RecordingForm,
)
from pregon.bulletins.models import (
    Bulletin,
    BulletinPhoto,
    BulletinStatus,
    Distribution,
    DistributionRecipient,
    LiveTransmission,
    MediaList,
    ScheduledBroadcast,
)
from pregon.bulletins.pdf import PAPER_SIZES, bulletin_pdf, public_photo_path
from pregon.bulletins.text import dateline
from pregon.core.api_types import parse_id
from pregon.core.links import EACH, for_each
from pregon.core.page_cache import staff_page
from pregon.core.pagination import paginate


def _errors(exc: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _bulletin(request: HttpRequest, pk: int) -> Bulletin:
    return get_object_or_404(selectors.bulletins_for(request.user), pk=pk)


@access.require("bulletins.view_bulletin")
@staff_page
def bulletin_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    bulletins = selectors.bulletins_for(request.user)
    if status:
        bulletins = bulletins.filter(status=status)
    page = paginate(request, selectors.bulletin_rows(bulletins))
    link = for_each("bulletins:detail", EACH)
    context = {
        "bulletins": [selectors.bulletin_row(row, link) for row in page.items],
        "page": page,
        "status": status,
        "statuses": BulletinStatus.choices,
    }
    return render(request, "bulletins/list.html", context)


@access.require("bulletins.add_bulletin")
def bulletin_create(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.bulletin_create(author=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("bulletins:detail", bulletin.pk)
    return render(request, "bulletins/form.html", {"form": form})


@access.require("bulletins.change_bulletin")
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    form = BulletinForm(request.POST or None, instance=bulletin)
    if request.method == "POST" and form.is_valid():
        try:
            services.bulletin_update(bulletin=bulletin, user=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("bulletins:detail", bulletin.pk)
    return render(request, "bulletins/form.html", {"form": form, "bulletin": bulletin})


@access.require("bulletins.view_bulletin")
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    context = {
        "bulletin": bulletin,
        "dateline": dateline(bulletin.dated),
        "photos": bulletin.photos.select_related("asset"),
        "photo_form": PhotoForm(),
        "distributions": bulletin.distributions.all()[:20],
        # Buttons only for what the person may do (Consulta reads, it does not act).
        "can_edit": access.can(request.user, "bulletins.change_bulletin"),
        "can_approve": access.can(request.user, "bulletins.approve_bulletin"),
        "approval_refusal": services.approval_refusal(bulletin, request.user),
        "can_publish": access.can(request.user, "publishing.add_publication"),
        "can_distribute": access.can(request.user, "bulletins.distribute_bulletin"),
    }
    return render(request, "bulletins/detail.html", context)


ACTIONS = {
    "submit": (services.bulletin_submit, "Enviado a revisión."),
    "approve": (services.bulletin_approve, "Aprobado."),
    "return": (services.bulletin_return, "Devuelto a borrador."),
}


@require_POST
@access.require("bulletins.view_bulletin")
def bulletin_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    if action == "delete":
        services.bulletin_delete(bulletin=bulletin, user=request.user)
        messages.success(request, "Boletín eliminado.")
        return redirect("bulletins:list")
    if action == "publish":
        return _publish(request, bulletin)
    service, done = ACTIONS.get(action, (None, ""))
    if service is None:
        raise PermissionDenied("Acción desconocida.")
    try:
        bulletin = service(bulletin=bulletin, user=request.user)
    except (ValidationError, access.ApprovalRefused) as exc:
        messages.error(request, _errors(exc))
    else:
        label = f" {bulletin.label}." if action == "approve" else ""
        messages.success(request, done + label)
    return redirect("bulletins:detail", bulletin.pk)


def _publish(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    try:
        publication, problems = services.bulletin_publish(bulletin=bulletin, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("bulletins:detail", bulletin.pk)
    if problems:
        messages.warning(request, "Publicación creada. " + " ".join(problems))
    else:
        messages.success(request, "Publicación para portal y redes creada y aprobada.")
    return redirect("publishing:detail", publication.pk)


@access.require("bulletins.view_bulletin")
def bulletin_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    paper = request.GET.get("tamano", "carta")
    response = HttpResponse(bulletin_pdf(bulletin, paper if paper in PAPER_SIZES else "carta"))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = f'inline; filename="boletin-{bulletin.pk}.pdf"'
    return response


@require_POST
@access.require("bulletins.change_bulletin")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    form = PhotoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indique el número de la foto en el archivo.")
        return redirect("bulletins:detail", pk)
    asset = Asset.objects.filter(pk=form.cleaned_data["asset"]).first()
    try:
        if asset is None:
            raise ValidationError("No existe esa foto en el archivo.")
        services.photo_add(
            bulletin=bulletin,
            asset=asset,
            user=request.user,
            caption=form.cleaned_data["caption"],
            credit=form.cleaned_data["credit"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("bulletins:detail", pk)


@access.require("bulletins.view_bulletin")
def photo_image(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a bulletin the person may see, approved or not (the press room
    serves only approved ones): the same press-size JPEG without metadata."""
    photo = get_object_or_404(
        BulletinPhoto.objects.select_related("asset"), pk=photo_pk, bulletin=_bulletin(request, pk)
    )
    path = public_photo_path(photo)
    if path is None:
        raise Http404("Foto no disponible.")
    return FileResponse(open(path, "rb"), content_type="image/jpeg")


@require_POST
@access.require("bulletins.change_bulletin")
def photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    photo = get_object_or_404(BulletinPhoto, pk=photo_pk, bulletin=_bulletin(request, pk))
    try:
        services.photo_remove(photo=photo, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("bulletins:detail", pk)


@access.require("bulletins.distribute_bulletin")
def distribute(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    form = DistributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = distribution.distribution_create(
                bulletin=bulletin, lists=list(form.cleaned_data["lists"]), user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            tasks.enqueue_send(sent.pk)
            messages.success(
                request, "Envío en curso: el proceso de fondo manda un correo a cada contacto."
            )
            return redirect("bulletins:distribution", sent.pk)
    return render(request, "bulletins/distribute.html", {"bulletin": bulletin, "form": form})


@access.require("bulletins.view_bulletin")
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sent = get_object_or_404(Distribution.objects.select_related("bulletin"), pk=pk)
    _bulletin(request, sent.bulletin_id)
    visible = distribution.may_see_recipients(request.user)
    recipients = sent.recipients.select_related("contact") if visible else sent.recipients.none()
    context = {
        "distribution": sent,
        "summary": distribution.status_summary(sent),
        "recipients_visible": visible,
        "recipients": recipients,
        "uncertain": recipients.filter(status__in=["incierto", "fallido"]),
        "can_decide": access.can(request.user, "bulletins.approve_bulletin"),
    }
    return render(request, "bulletins/distribution.html", context)


@require_POST
@access.require("bulletins.approve_bulletin")
def recipient_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Coordinación checked with the outlet: send again, or it did arrive."""
    recipient = get_object_or_404(
        DistributionRecipient.objects.select_related("distribution"), pk=pk
    )
    _bulletin(request, recipient.distribution.bulletin_id)
    try:
        if action == "reenviar":
            distribution.recipient_resend(recipient=recipient, user=request.user)
            tasks.enqueue_send(recipient.distribution_id)
            messages.success(request, f"Se reenviará a {recipient.email}.")
        elif action == "entregado":
            distribution.recipient_mark_delivered(recipient=recipient, user=request.user)
            messages.success(request, f"{recipient.email} marcado como entregado.")
        else:
            raise ValidationError("Acción desconocida.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("bulletins:distribution", recipient.distribution_id)


@access.require("bulletins.view_mediacontact")
def media_directory(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.check(request.user, "bulletins.add_mediacontact")
        if form.is_valid():
            try:
                result = directory.import_contacts(
                    data=form.cleaned_data["file"].read(), user=request.user
                )
            except ValidationError as exc:
                for message in exc.messages[:50]:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    f"Importación correcta: {result.created} nuevos, "
                    f"{result.updated} actualizados.",
                )
                return redirect("bulletins:directory")
    query = request.GET.get("q", "").strip()[:200]
    list_id = parse_id(request.GET.get("lista"))
    contacts = selectors.contacts_search(query, list_id)
    page = Paginator(contacts, 50).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "list_id": list_id,
        "lists": MediaList.objects.annotate(n=Count("contacts")),
        "columns": directory.COLUMNS,
    }
    return render(request, "bulletins/directory.html", context)


@access.require("bulletins.view_livetransmission")
def transmissions(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    candidates = (
        Activity.objects.active()
        .filter(type__in=live.LIVE_TYPES, ends_at__gte=now - timedelta(days=30))
        .filter(~Q(stream_url="") | Q(broadcasts__isnull=False))
        .distinct()
        .select_related("transmission")
        .prefetch_related(
            Prefetch("broadcasts", ScheduledBroadcast.objects.select_related("account"))
        )
        .order_by("starts_at")[:100]
    )
    context = {"activities": candidates, "now": now, "recording_form": RecordingForm()}
    return render(request, "bulletins/transmissions.html", context)


@require_POST
@access.require("bulletins.add_livetransmission")
def transmission_prepare(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=activity_pk)
    try:
        live.transmission_prepare(activity=activity, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Anuncios creados y enviados a revisión.")
    return redirect("bulletins:transmissions")


@require_POST
@access.require("bulletins.change_livetransmission")
def transmission_recording(request: HttpRequest, pk: int) -> HttpResponse:
    transmission = get_object_or_404(LiveTransmission, pk=pk)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Revise el nombre de la sesión y el enlace.")
        return redirect("bulletins:transmissions")
    asset_id = form.cleaned_data["asset"]
    try:
        asset = Asset.objects.filter(pk=asset_id).first() if asset_id else None
        if asset_id and asset is None:
            raise ValidationError("No existe ese archivo.")
        live.transmission_attach_recording(
            transmission=transmission,
            user=request.user,
            session_name=form.cleaned_data["session_name"],
            asset=asset,
            url=form.cleaned_data["url"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Grabación agregada.")
    return redirect("bulletins:transmissions")
