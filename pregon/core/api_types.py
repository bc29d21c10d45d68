"""Bounded types every API endpoint uses for ids, counts, dates and pages, so that no
value a client sends can overflow the database or the calendar (an id beyond a 64-bit
integer, a year 474582, a negative offset) and every refusal is a 422 in Spanish."""

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import AfterValidator

# SQLite's INTEGER and PostgreSQL's bigint (every primary key here) are 64-bit signed.
ID_MAX = 2**63 - 1
# PositiveIntegerField is a 32-bit integer on PostgreSQL.
COUNT_MAX = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2999
PAGE_DEFAULT, PAGE_MAX = 100, 500
OFFSET_MAX = 10**9

Id = Annotated[int, Field(ge=1, le=ID_MAX, description="Identificador (número entero positivo).")]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Month = Annotated[int, Field(ge=1, le=12)]
Limit = Annotated[int, Field(ge=1, le=PAGE_MAX, description="Cuántos elementos devolver.")]
Days = Annotated[int, Field(ge=0, le=366, description="Días (0 a 366).")]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX, description="Cuántos elementos saltar.")]


# What each error status means, said once: the OpenAPI document, the API's handlers and
# the middleware that turns Django's HTML errors under /api/ into JSON all use it.
ERROR_MEANINGS = {
    400: "La solicitud está mal formada.",
    401: "Se requiere autenticación: envíe un token válido.",
    403: "No tiene permiso para realizar esta acción.",
    404: "No encontrado.",
    405: "Método no permitido en esta dirección.",
    409: "Entra en conflicto con el estado actual o con otro registro.",
    413: "El cuerpo de la solicitud es demasiado grande.",
    415: "El cuerpo debe ser JSON (Content-Type: application/json).",
    422: "Datos inválidos.",
    429: "Demasiadas solicitudes; intente más tarde.",
    500: "Ocurrió un error en el servidor; ya quedó registrado.",
}


def _within_years(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"El año debe estar entre {FIRST_YEAR} y {LAST_YEAR}.")
    return value


_YEARS = f"Año entre {FIRST_YEAR} y {LAST_YEAR}."
Day = Annotated[date, AfterValidator(_within_years), Field(description=_YEARS)]
Moment = Annotated[datetime, AfterValidator(_within_years), Field(description=_YEARS)]


def parse_id(raw: str | None) -> int | None:
    """An id from a query string or form (web views): None unless it is one that a
    database row could have, so a lookup never overflows."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


class Problem(Schema):
    campo: str
    problema: str


class ErrorOut(Schema):
    """Every 4xx answer: a Spanish `detail`; invalid input also lists `errors`, either
    per field (`campo`, `problema`) or as messages per field name."""

    detail: str
    errors: list[Problem] | dict[str, list[str] | str] | None = None


class Page(PaginationBase):
    """`limit`/`offset` with bounds on every list; the answer says the total."""

    class Input(Schema):
        limit: Limit = PAGE_DEFAULT
        offset: Offset = 0

    class Output(Schema):
        items: list[Any]
        total: int
        limit: int
        offset: int

    @staticmethod
    def _stable(items: QuerySet | list) -> QuerySet | list:
        """Pages of a query only add up to the whole when the order has no ties."""
        if not isinstance(items, QuerySet):
            return items
        ordering = list(items.query.order_by) or list(items.model._meta.ordering)
        return items.order_by(*ordering, "pk")

    def paginate_queryset(
        self, queryset: QuerySet | list, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict:
        start, limit = pagination.offset, pagination.limit
        queryset = self._stable(queryset)
        return {
            "items": list(queryset[start : start + limit]),
            "total": self._items_count(queryset),
            "limit": limit,
            "offset": start,
        }
