"""The JSON API at /api/v1/: bearer tokens (or the web session), Spanish errors.
Each app contributes a `router` in its own `api.py`."""

from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from pregon.accounts.models import ApiToken

APPS_WITH_API = [
    "accounts",
    "agenda",
    "publishing",
    "archive",
    "bulletins",
    "design",
    "analytics",
    "surveys",
    "goals",
    "reports",
    "compliance",
]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(digest=ApiToken.hash(token))
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found.user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


api = NinjaAPI(
    title="Pregón API",
    version="1",
    description="API de Pregón. Autenticación: `Authorization: Bearer <token>` "
    "(obtenga uno con `pregon token <usuario>`).",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Se requiere autenticación: envíe un token válido."}, status=401
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    message = str(exc) or "No tiene permiso para realizar esta acción."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "No encontrado."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": "Datos inválidos.", "errors": errors}, status=422
    )


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    errors = [
        {"campo": ".".join(str(p) for p in e.get("loc", [])), "problema": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Datos inválidos.", "errors": errors}, status=422
    )


@api.get("/", auth=None, summary="Raíz de la API", tags=["API"])
def root(request: HttpRequest) -> dict:
    return {"name": "Pregón", "version": "1", "openapi": "/api/v1/openapi.json"}


for _app in APPS_WITH_API:
    api.add_router("/", import_module(f"pregon.{_app}.api").router)
