"""The JSON API at /api/v1/: bearer tokens (or the web session), Spanish errors.
Each app contributes a `router` in its own `api.py`."""

import json
from importlib import import_module

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from pregon.accounts.models import ApiToken
from pregon.core.api_types import ERROR_MEANINGS, ErrorOut

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


class UnsupportedBody(Exception):
    """A body that says it is not JSON (text/plain, a form...) where JSON is expected."""


class JsonOnly(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        kind = request.content_type or ""
        if kind != "application/json" and not kind.endswith("+json"):
            raise UnsupportedBody(kind)
        return json.loads(request.body)


ERROR_SCHEMA = "ErrorOut"


class PregonAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts: list) -> NinjaValidationError:
        """ninja drops what was sent; keep whether it was null, to say so in Spanish."""
        nulls = [
            problem.get("input", "") is None
            for context in error_contexts
            for problem in context.pydantic_validation_error.errors(include_url=False)
        ]
        exc = super().validation_error_from_error_contexts(error_contexts)
        for problem, was_null in zip(exc.errors, nulls, strict=False):
            problem["null"] = was_null
        return exc

    def get_openapi_schema(self, **kwargs) -> OpenAPISchema:
        """Every operation declares the errors it can answer, with the error schema."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        shape = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(shape.pop("$defs", {}))
        components[ERROR_SCHEMA] = shape
        for path in schema["paths"].values():
            for operation in path.values():
                _declare_errors(operation)
        return schema


def _declare_errors(operation: dict) -> None:
    codes = [404, 409, 422]
    if operation.get("security"):
        codes += [401, 403]
    body = operation.get("requestBody", {}).get("content", {})
    if body:
        codes += [413]
    if "application/json" in body:  # multipart uploads are not parsed as JSON
        codes += [400, 415]
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
    responses = operation.setdefault("responses", {})
    for code in sorted(codes):
        responses.setdefault(
            code,
            {"description": ERROR_MEANINGS[code], "content": {"application/json": {"schema": ref}}},
        )


api = PregonAPI(
    title="Pregón API",
    version="1",
    description="API de Pregón. Autenticación: `Authorization: Bearer <token>` "
    "(obtenga uno con `pregon token <usuario>`). Las listas aceptan `limit` (1–500) y "
    "`offset` y responden `{items, total, limit, offset}`; los errores responden "
    "`{detail, errors}` en español.",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
    parser=JsonOnly(),
)


def _error(request: HttpRequest, status: int, detail: str | None = None):
    return api.create_response(request, {"detail": detail or ERROR_MEANINGS[status]}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    if isinstance(exc, ExpiredToken):
        when = timezone.localtime(exc.token.expires_at).strftime("%d/%m/%Y %H:%M")
        return _error(
            request,
            401,
            f"El token {exc.token.prefix}… venció el {when}. Cree uno nuevo en "
            "«Tokens de API» o con `pregon token <usuario>`.",
        )
    return _error(request, 401)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    message = str(exc) or "No tiene permiso para realizar esta acción."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja wraps a body it could not read in a 400; say which problem it was."""
    cause = exc.__cause__
    if isinstance(cause, UnsupportedBody):
        return _error(request, 415)
    if isinstance(cause, RequestDataTooBig):
        return _error(request, 413)
    if isinstance(cause, ValueError):
        return _error(request, 400, "El cuerpo no es JSON válido.")
    return _error(request, exc.status_code, ERROR_MEANINGS.get(exc.status_code, str(exc)))


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return _error(request, 413)


@api.exception_handler(SuspiciousOperation)
def malformed(request, exc):
    return _error(request, 400)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    """A unique value taken or a reference gone between the check and the write."""
    return _error(request, 409)


@api.exception_handler(DataError)
def out_of_range(request, exc):
    return _error(request, 422, "Algún valor está fuera del rango que se puede guardar.")


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
    if kind.endswith("_type") and error.get("null"):
        return "No admite null; omita el dato para dejarlo como está."
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
