from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.accounts.models import Area
from pregon.core.api_types import Page

router = Router(tags=["Cuenta y áreas"])


class AreaOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    roles: list[str]
    area: AreaOut | None


@router.get("/me", response=MeOut, summary="La persona autenticada")
def me(request: HttpRequest) -> dict:
    user = request.auth
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "area": user.area,
    }


@router.get("/areas", response=list[AreaOut], summary="Áreas de la administración")
@paginate(Page)
def areas(request: HttpRequest):
    access.check(request.auth, "accounts.view_area")
    return Area.objects.filter(is_active=True)
