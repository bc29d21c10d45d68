"""Design API: the templates and sizes, the contrast check, and the pieces."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pregon.accounts import access
from pregon.core.api_types import ErrorOut, Page
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

    @staticmethod
    def resolve_image_url(obj) -> str:
        return obj.image.url

    @staticmethod
    def resolve_created_at(obj) -> str:
        return obj.created_at.isoformat()


@router.get("/design/templates", response=list[TemplateOut], summary="Plantillas y campos")
@paginate(Page)
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
    response={200: ContrastOut, 422: ErrorOut},
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
@paginate(Page)
def pieces(request: HttpRequest):
    access.check(request.auth, "design.view_renderedpiece")
    return pieces_recent(None)
