"""Spanish text helpers shared by every app: month names, dates written out in
Spanish (independent of the system locale) and accent-insensitive folding."""

import unicodedata
from datetime import date

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


def spanish_date(day: date) -> str:
    """5 de junio de 2023."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def spanish_range(start: date, end: date) -> str:
    """'3 de abril al 4 de junio de 2023' (the year once when both share it)."""
    if start.year == end.year:
        return f"{start.day} de {MONTHS[start.month - 1]} al {spanish_date(end)}"
    return f"{spanish_date(start)} al {spanish_date(end)}"


def fold_char(char: str) -> str:
    """One character without accents, lower case; always exactly one character
    so offsets in the folded text are offsets in the original."""
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """`text` without accents and in lower case, with the same length."""
    return "".join(fold_char(c) for c in text)
