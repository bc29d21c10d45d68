"""The public press room (no login): list, detail, PDF, press-size photos, agenda,
sitemap and unsubscribe. The veda rule (compliance) is applied by the selectors."""

import re

from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pregon.accounts.models import Area
from pregon.bulletins import distribution, selectors, sharing
from pregon.bulletins.models import BulletinPhoto
from pregon.bulletins.pdf import PAPER_SIZES, brand, bulletin_pdf, public_photo_path
from pregon.bulletins.services import public_url
from pregon.bulletins.text import dateline, plain_text
from pregon.compliance.rules import press_room_notice
from pregon.core.links import EACH, for_each
from pregon.core.public_cache import public_page
from pregon.core.spanish import spanish_date
from pregon.publishing.models import Category

PAGE_SIZE = 20


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@public_page()
def press_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    year, area = _int(request.GET.get("anio")), _int(request.GET.get("area"))
    category = request.GET.get("categoria", "")
    category = category if category in Category.values else ""
    bulletins = selectors.press_room(q=q, year=year, category=category, area=area)
    page = max(1, _int(request.GET.get("pagina")) or 1)
    items = list(bulletins[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    context = {
        "bulletins": items[:PAGE_SIZE],
        "page": page,
        "has_next": len(items) > PAGE_SIZE,
        "q": q,
        "year": year,
        "category": category,
        "area": area,
        "years": selectors.press_room_years(),
        "categories": Category.choices,
        "areas": Area.objects.filter(bulletins__status="aprobado").distinct().order_by("name"),
        "notice": press_room_notice(),
        "live": selectors.live_now(),
        "brand": brand(),
    }
    return render(request, "bulletins/press/list.html", context)


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def press_brand_css(request: HttpRequest) -> HttpResponse:
    """The brand kit's colour for the press room header, as a stylesheet from our
    own origin (the Content-Security-Policy allows no inline style attributes)."""
    primary = brand().primary
    colour = primary if HEX_COLOUR.match(primary or "") else "#7a1f3d"
    css = (
        f".press-head {{ border-bottom: 4px solid {colour}; }}\n.press-adm {{ color: {colour}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _public_or_404(pk: int):
    bulletin = selectors.public_bulletin(pk)
    if bulletin is None:
        raise Http404("Boletín no disponible.")
    return bulletin


@public_page()
def press_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _public_or_404(pk)
    photos = [p for p in bulletin.photos.select_related("asset") if public_photo_path(p)]
    context = {
        "bulletin": bulletin,
        "dateline": dateline(bulletin.dated),
        "photos": photos,
        "summary": " ".join(bulletin.balazos) or plain_text(bulletin.body)[:200],
        "canonical": public_url(reverse("bulletins:press_detail", args=[pk]), request),
        "image": public_url(reverse("bulletins:press_og_image", args=[pk]), request),
        "live": selectors.live_now(),
        "brand": brand(),
    }
    return render(request, "bulletins/press/detail.html", context)


def press_og_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The 1200×630 picture shown with a shared link (first photo or brand card)."""
    bulletin = _public_or_404(pk)
    response = HttpResponse(sharing.og_image(bulletin), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def press_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _public_or_404(pk)
    paper = request.GET.get("tamano", "carta")
    response = HttpResponse(bulletin_pdf(bulletin, paper if paper in PAPER_SIZES else "carta"))
    response["Content-Type"] = "application/pdf"
    name = f"{bulletin.get_kind_display()}-{bulletin.number:03d}-{bulletin.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def press_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The press-size JPEG, without metadata (no GPS), of a public bulletin's photo."""
    photo = BulletinPhoto.objects.select_related("asset").filter(pk=pk).first()
    if photo is None or selectors.public_bulletin(photo.bulletin_id) is None:
        raise Http404("Foto no disponible.")
    path = public_photo_path(photo)
    if path is None:
        raise Http404("Foto no disponible.")
    name = f"boletin-{photo.bulletin_id}-foto-{photo.pk}.jpg"
    return FileResponse(
        open(path, "rb"),
        content_type="image/jpeg",
        as_attachment="descargar" in request.GET,
        filename=name,
    )


@public_page()
def press_agenda(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "activities": selectors.public_agenda(now),
        "live": selectors.live_now(now),
        "recordings": selectors.recordings(),
        "brand": brand(),
        "today": spanish_date(timezone.localdate()),
    }
    return render(request, "bulletins/press/agenda.html", context)


@public_page()
def press_sitemap(request: HttpRequest) -> HttpResponse:
    """A sitemap index (sitemaps.org): one sitemap per year of bulletins, so the first
    render after a publish draws this short list, and each year's page its own
    hundreds of addresses, not every bulletin of every year in one document."""
    years = (
        selectors.press_room()
        .order_by()
        .values("year")
        .annotate(lastmod=Max("updated_at"))
        .order_by("-year")
    )
    sitemaps = [
        (
            public_url(reverse("bulletins:press_sitemap_year", args=[row["year"]]), request),
            _lastmod(row["lastmod"]),
        )
        for row in years
    ]
    return render(
        request,
        "bulletins/press/sitemap_index.xml",
        {"sitemaps": sitemaps},
        content_type="application/xml",
    )


@public_page()
def press_sitemap_year(request: HttpRequest, year: int) -> HttpResponse:
    """One year's bulletins (and the press room's list of that year); the newest year's
    sitemap also holds the press room's front page."""
    rows = list(selectors.press_room(year=year).values_list("pk", "updated_at"))
    if not rows:
        raise Http404("Sin boletines públicos ese año.")
    press_list = reverse("bulletins:press_list")
    urls = [(public_url(f"{press_list}?anio={year}", request), "")]
    if year == max(selectors.press_room_years()):
        urls.insert(0, (public_url(press_list, request), ""))
    detail = for_each("bulletins:press_detail", EACH)  # a year holds hundreds
    urls += [(public_url(detail(pk), request), _lastmod(when)) for pk, when in rows]
    return render(
        request, "bulletins/press/sitemap.xml", {"urls": urls}, content_type="application/xml"
    )


def _lastmod(when) -> str:
    return timezone.localtime(when).date().isoformat() if when else ""


# The signed token is the authority; mail clients post one-click unsubscribes (RFC 8058).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = distribution.contact_for_token(token)
    if contact is None:
        return render(request, "bulletins/press/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        distribution.unsubscribe(contact)
    return render(request, "bulletins/press/unsubscribe.html", {"contact": contact})
