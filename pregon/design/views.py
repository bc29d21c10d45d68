"""Design views: brand kit, template editor with live preview, exports and flyers."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.core.stored import stored_file_response
from pregon.design import selectors, services
from pregon.design.flyer import flyer_pdf
from pregon.design.forms import BrandKitForm, FlyerForm, PhotoForm, piece_data, piece_form_class
from pregon.design.models import BrandKit, RenderedPiece
from pregon.design.render import TEMPLATES, TemplateSpec, TextDoesNotFit

VIEW, MAKE, BRAND = "design.view_renderedpiece", "design.add_renderedpiece", "design.add_brandkit"
ATTACH = "design.attach_renderedpiece"


def _spec(slug: str) -> TemplateSpec:
    if slug not in TEMPLATES:
        raise Http404("No existe esa plantilla.")
    return TEMPLATES[slug]


@access.require(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "templates": TEMPLATES.values(),
        "kit": BrandKit.objects.active(),
        **_pieces_context(request, 12),
    }
    return render(request, "design/index.html", context)


@access.require(VIEW)
def piece_image(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_file_response(get_object_or_404(RenderedPiece, pk=pk).image)


@access.require(VIEW)
def brand_logo(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_file_response(get_object_or_404(BrandKit, pk=pk).logo)


@access.require(BRAND)
def brand_kit(request: HttpRequest) -> HttpResponse:
    active = services.brandkit_default(request.user)
    form = BrandKitForm(
        request.POST or None,
        request.FILES or None,
        instance=BrandKit(**{f: getattr(active, f) for f in services.KIT_FIELDS}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            kit = services.brandkit_create(
                user=request.user,
                values=form.cleaned_data,
                logo=request.FILES.get("logo"),
                coat=request.FILES.get("coat_of_arms"),
            )
        except services.DesignError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Kit de marca guardado como versión {kit.version}.")
            for warning in form.contrast_warnings():
                messages.warning(request, warning)
            return redirect("design:brand_kit")
    context = {"form": form, "active": active, "history": selectors.kits_history()}
    return render(request, "design/brand_kit.html", context)


@require_POST
@access.require(BRAND)
def brand_kit_activate(request: HttpRequest, pk: int) -> HttpResponse:
    kit = services.brandkit_activate(kit=get_object_or_404(BrandKit, pk=pk), user=request.user)
    messages.success(request, f"Se activó la versión {kit.version} del kit de marca.")
    return redirect("design:brand_kit")


@access.require(MAKE)
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    form = piece_form_class(spec)(initial={"size": "1080x1350"})
    context = {"spec": spec, "form": form, "flyer_form": FlyerForm(), "photo_form": PhotoForm()}
    return render(request, "design/editor.html", context)


@access.require(MAKE)
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx fragment: errors and contrast warnings, plus the PNG preview URL."""
    spec = _spec(slug)
    form = piece_form_class(spec)(request.POST or request.GET)
    context = {"form": form, "spec": spec}
    if not any(form.data.get(f.name, "").strip() for f in spec.fields):
        context["empty"] = True
    elif form.is_valid():
        query = urlencode({k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"})
        kit = services.brandkit_default(request.user)
        try:
            rendered = services.render_with_kit(
                slug,
                piece_data(spec, form.cleaned_data),
                form.cleaned_data["size"],
                kit,
                form.cleaned_data.get("foto"),
            )
            context |= {
                "warnings": rendered.warnings,
                "png_url": reverse("design:preview_png", args=[slug]) + "?" + query,
            }
        except TextDoesNotFit as exc:
            context["fit_error"] = str(exc)
    return render(request, "design/_preview.html", context)


@access.require(MAKE)
def preview_png(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    form = piece_form_class(spec)(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    kit = services.brandkit_default(request.user)
    try:
        rendered = services.render_with_kit(
            slug,
            piece_data(spec, form.cleaned_data),
            form.cleaned_data["size"],
            kit,
            form.cleaned_data.get("foto"),
        )
    except TextDoesNotFit as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    response = HttpResponse(rendered.png(compress_level=1), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@access.require(MAKE)
def photo_upload(request: HttpRequest) -> HttpResponse:
    form = PhotoForm(request.POST, request.FILES)
    context: dict = {}
    if not form.is_valid():
        context["error"] = "Elija una fotografía."
    else:
        try:
            context["photo"] = services.photo_upload(
                upload=form.cleaned_data["foto_archivo"], user=request.user
            )
        except services.DesignError as exc:
            context["error"] = str(exc)
    response = render(request, "design/_photo.html", context)
    if "photo" in context:
        response["HX-Trigger-After-Swap"] = "fotoLista"
    return response


@require_POST
@access.require(MAKE)
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Render every network size, keep them as pieces, download a zip."""
    spec = _spec(slug)
    form = piece_form_class(spec)(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    try:
        _, zipped = services.pieces_export(
            template=slug,
            data=piece_data(spec, form.cleaned_data),
            user=request.user,
            photo=form.cleaned_data.get("foto"),
        )
    except TextDoesNotFit as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    response = HttpResponse(zipped, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{slug}-todos-los-tamanos.zip"'
    return response


@require_POST
@access.require(MAKE)
def flyer(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    form, flyer_form = piece_form_class(spec)(request.POST), FlyerForm(request.POST)
    if not (form.is_valid() and flyer_form.is_valid()):
        errors = form.errors.as_text() + flyer_form.errors.as_text()
        return HttpResponse(errors, status=400, content_type="text/plain")
    data = piece_data(spec, form.cleaned_data)
    verdict = services.flyer_verdict(
        template=slug, data=data, category=flyer_form.cleaned_data["category"], user=request.user
    )
    if verdict.blocked:
        context = {"spec": spec, "verdict": verdict}
        return render(request, "design/flyer_blocked.html", context, status=409)
    pdf = flyer_pdf(
        template=slug,
        data=data,
        url=flyer_form.cleaned_data["url"],
        kit=services.brandkit_default(request.user),
        layout=flyer_form.cleaned_data["layout"],
        photo=form.cleaned_data.get("foto"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="volante-{slug}.pdf"'
    return response


def _pieces_context(request: HttpRequest, limit: int) -> dict:
    context: dict = {"pieces": selectors.pieces_recent(limit)}
    if access.can(request.user, ATTACH) and access.can(request.user, "publishing.view_publication"):
        context["publications"] = selectors.attachable_publications(request.user)[:30]
    return context


@access.require(VIEW)
def pieces(request: HttpRequest) -> HttpResponse:
    return render(request, "design/pieces.html", _pieces_context(request, 60))


@require_POST
@access.require(ATTACH)
def piece_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the piece's PNG becomes an image of the chosen publication."""
    piece = get_object_or_404(RenderedPiece, pk=pk)
    choices = selectors.attachable_publications(request.user)
    publication = choices.filter(pk=request.POST.get("publicacion") or 0).first()
    if publication is None:
        messages.error(request, "Elija una publicación que todavía admita imágenes.")
        return redirect("design:pieces")
    try:
        services.piece_attach(piece=piece, publication=publication, user=request.user)
    except services.DesignError as exc:
        messages.error(request, str(exc))
        return redirect("design:pieces")
    messages.success(request, f"Pieza {piece.size} adjunta a «{publication.title}».")
    return redirect("design:pieces")
