"""`fecha` and `numero`: every template writes dates and numbers through
pregon.core.spanish (loaded as a builtin, no {% load %} needed)."""

from django import template
from django.utils import timezone

from pregon.core.spanish import format_date, format_number

register = template.Library()


@register.filter
def fecha(value, pattern: str = r"j \d\e F \d\e Y") -> str:
    """{{ activity.starts_at|fecha:"l j \\d\\e F, H:i" }} → «miércoles 7 de junio, 10:00»."""
    return format_date(value, pattern)


@register.filter
def numero(value, places=None) -> str:
    """{{ 1234|numero }} → «1,234»; {{ 12.345|numero:1 }} → «12.3»."""
    return format_number(value, None if places in (None, "") else int(places))


@register.simple_tag
def hoy(pattern: str = r"l j \d\e F \d\e Y") -> str:
    """Today's date, like {% now %} but in pregon.core.spanish's words."""
    return format_date(timezone.localtime(), pattern)
