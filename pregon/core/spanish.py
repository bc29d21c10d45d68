"""Spanish (es-MX) writing of dates and numbers, shared by every app and every
template (the `fecha` and `numero` filters), independent of the system locale,
plus accent-insensitive folding.

Days and months are lowercase in Spanish («lunes 7 de diciembre de 2026»),
abbreviations carry their period («mié.», «sáb.», «dic.»), integers have no
decimals and thousands are grouped with commas («1,234», as written in Mexico)."""

import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import DateFormat

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
MONTHS_SHORT = tuple(
    f"{m[:3]}." if m != "septiembre" else "sep." for m in MONTHS
)  # ene., feb., …, sep., …, dic.
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
WEEKDAYS_SHORT = ("lun.", "mar.", "mié.", "jue.", "vie.", "sáb.", "dom.")


def spanish_date(day: date) -> str:
    """5 de junio de 2023."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def spanish_range(start: date, end: date) -> str:
    """'3 de abril al 4 de junio de 2023' (the year once when both share it)."""
    if start.year == end.year:
        return f"{start.day} de {MONTHS[start.month - 1]} al {spanish_date(end)}"
    return f"{spanish_date(start)} al {spanish_date(end)}"


class SpanishDateFormat(DateFormat):
    """Django's date format letters, with Spanish names written as Spanish writes them."""

    def l(self) -> str:  # noqa: E743 - Django's letter for the weekday
        return WEEKDAYS[self.data.weekday()]

    def D(self) -> str:
        return WEEKDAYS_SHORT[self.data.weekday()]

    def F(self) -> str:
        return MONTHS[self.data.month - 1]

    def E(self) -> str:
        return MONTHS[self.data.month - 1]

    def M(self) -> str:
        return MONTHS_SHORT[self.data.month - 1]

    def N(self) -> str:
        return MONTHS_SHORT[self.data.month - 1]

    def b(self) -> str:
        return MONTHS[self.data.month - 1][:3]

    def a(self) -> str:
        return "a. m." if self.data.hour < 12 else "p. m."

    def A(self) -> str:
        return self.a()


def format_date(value: date | datetime | None, pattern: str = r"j \d\e F \d\e Y") -> str:
    """`value` written with Django's format letters (`l j \\d\\e F` → «lunes 7 de
    diciembre»); aware datetimes in the local time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return SpanishDateFormat(value).format(pattern)


def format_number(value: int | float | Decimal | str | None, places: int | None = None) -> str:
    """1234 → «1,234»; 647.00 → «647»; 12.345 with places=1 → «12.3». Without
    `places` a whole number has no decimals and any other shows at most two."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is None:
        places = 0 if number == number.to_integral_value() else 2
        text = f"{number:,.{places}f}"
        return text.rstrip("0").rstrip(".") if places else text
    return f"{number:,.{places}f}"


def fold_char(char: str) -> str:
    """One character without accents, lower case; always exactly one character
    so offsets in the folded text are offsets in the original."""
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """`text` without accents and in lower case, with the same length."""
    return "".join(fold_char(c) for c in text)
