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


class ExpiredToken(AuthenticationError):
    """A real token past its date: said plainly, so its owner knows to make a new one."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__()
        self.token = token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.unrevoked()
            .select_related("user")
            .filter(digest=ApiToken.hash(token))
            .first()
        )
        if found is None:
            return None
        if found.is_expired:
            raise ExpiredToken(found)
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
    message = "Se requiere autenticación: envíe un token válido."
    if isinstance(exc, ExpiredToken):
        when = timezone.localtime(exc.token.expires_at).strftime("%d/%m/%Y %H:%M")
        message = (
            f"El token {exc.token.prefix}… venció el {when}. Cree uno nuevo en "
            "«Tokens de API» o con `pregon token <usuario>`."
        )
    return api.create_response(request, {"detail": message}, status=401)


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


# Pydantic's error types, said in Spanish (its own messages are English).
PROBLEMS = {
    "missing": "Falta este dato.",
    "string_type": "Debe ser texto.",
    "int_type": "Debe ser un número entero.",
    "int_parsing": "Debe ser un número entero.",
    "float_type": "Debe ser un número.",
    "float_parsing": "Debe ser un número.",
    "bool_type": "Debe ser verdadero o falso.",
    "bool_parsing": "Debe ser verdadero o falso.",
    "date_type": "Debe ser una fecha (AAAA-MM-DD).",
    "date_parsing": "Debe ser una fecha (AAAA-MM-DD).",
    "date_from_datetime_parsing": "Debe ser una fecha (AAAA-MM-DD).",
    "datetime_type": "Debe ser una fecha y hora (AAAA-MM-DDTHH:MM).",
    "datetime_parsing": "Debe ser una fecha y hora (AAAA-MM-DDTHH:MM).",
    "datetime_from_date_parsing": "Debe ser una fecha y hora (AAAA-MM-DDTHH:MM).",
    "list_type": "Debe ser una lista.",
    "dict_type": "Debe ser un objeto.",
    "model_type": "Debe ser un objeto.",
    "json_invalid": "El cuerpo no es JSON válido.",
    "url_parsing": "Debe ser una dirección web (https://…).",
    "url_scheme": "Debe ser una dirección web (https://…).",
    "extra_forbidden": "Este dato no se admite.",
}


def _problem(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in PROBLEMS:
        return PROBLEMS[kind]
    if kind in ("enum", "literal_error"):
        return f"Valor no permitido; use uno de: {ctx.get('expected', '')}."
    if kind == "string_too_short":
        return f"Debe tener al menos {ctx.get('min_length')} caracteres."
    if kind == "string_too_long":
        return f"Debe tener como máximo {ctx.get('max_length')} caracteres."
    bounds = {
        "greater_than_equal": ("mayor o igual", "ge"),
        "greater_than": ("mayor", "gt"),
        "less_than_equal": ("menor o igual", "le"),
        "less_than": ("menor", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"Debe ser {words} que {ctx.get(key)}."
    if kind == "value_error":  # our own validators already speak Spanish
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    return "Valor no válido."


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    errors = [
        {"campo": ".".join(str(p) for p in e.get("loc", [])), "problema": _problem(e)}
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
