from datetime import date

from django import template

from pregon.core.spanish import format_number

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table cell in es-MX style: 1,234 and 12.5; "—" when there is no figure."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else 1)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return isodate(value)
    return str(value)


@register.filter
def isodate(value: str) -> str:
    """ "2023-06-30" → "30/06/2023" (how dates are written in Mexico)."""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value or "—"


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def index(values: list, i: int):
    return values[i] if 0 <= i < len(values) else None
