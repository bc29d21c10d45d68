"""Design API: the templates and sizes, the contrast check, and the pieces."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from pregon.accounts import access
from pregon.design.contrast import check_contrast
from pregon.design.render import SIZES, TEMPLATES
from pregon.design.selectors import pieces_recent

router = Router(tags=["Diseño"])


class FieldOut(Schema):
    name: str
    label: str
    max_length: int
    required: bool


class TemplateOut(Schema):
    slug: str
    label: str
    photo: bool
    fields: list[FieldOut]


class ContrastIn(Schema):
    fg: str
    bg: str


class ContrastOut(Schema):
    ratio: float
    ok: bool
    suggestion: str | None
    message: str


class PieceOut(Schema):
    id: int
    template: str
    size: str
    image_url: str
    asset_id: int | None
    created_at: str


@router.get("/design/templates", response=list[TemplateOut], summary="Plantillas y campos")
def templates(request: HttpRequest) -> list[dict]:
    access.check(request.auth, "design.view_renderedpiece")
    return [
        {
            "slug": t.slug,
            "label": t.label,
            "photo": t.photo,
            "fields": [f.__dict__ for f in t.fields],
        }
        for t in TEMPLATES.values()
    ]


@router.get("/design/sizes", response=dict[str, str], summary="Tamaños de las redes")
def sizes(request: HttpRequest) -> dict:
    access.check(request.auth, "design.view_renderedpiece")
    return SIZES


@router.post(
    "/design/contrast",
    response={200: ContrastOut, 422: dict},
    summary="Contraste WCAG AA (4.5:1) con sugerencia",
)
def contrast(request: HttpRequest, body: ContrastIn):
    access.check(request.auth, "design.view_renderedpiece")
    try:
        result = check_contrast(body.fg, body.bg)
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, result.__dict__)


@router.get("/design/pieces", response=list[PieceOut], summary="Piezas recientes")
def pieces(request: HttpRequest) -> list[dict]:
    access.check(request.auth, "design.view_renderedpiece")
    return [
        {
            "id": p.pk,
            "template": p.template,
            "size": p.size,
            "image_url": p.image.url,
            "asset_id": p.asset_id,
            "created_at": p.created_at.isoformat(),
        }
        for p in pieces_recent(50)
    ]
