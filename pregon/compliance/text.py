"""Spanish text helpers: accent-insensitive matching and dates written out in Spanish.

Rules compare category slugs and names without caring about accents or case, so
"Obra pública", "obra_publica" and "OBRA PUBLICA" are the same category."""

import re
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

# The category slugs publishing, bulletins and design use, with their Spanish names.
CATEGORY_LABELS = {
    "salud": "salud",
    "educacion": "educación",
    "proteccion_civil": "protección civil",
    "seguridad_publica": "seguridad pública",
    "obra_publica": "obra pública",
    "cultura": "cultura",
    "deporte": "deporte",
    "tramites_servicios": "trámites y servicios",
    "institucional": "institucional",
    "otro": "otro",
    "autoridades_electorales": "información de autoridades electorales",
}


def fold_char(char: str) -> str:
    """One character without accents, lower case; always exactly one character
    so offsets in the folded text are offsets in the original."""
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """`text` without accents and in lower case, with the same length."""
    return "".join(fold_char(c) for c in text)


def category_slug(category: str) -> str:
    """'Obra pública' → 'obra_publica'; 'protección-civil' → 'proteccion_civil'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(category or "").strip()).strip("_")


def category_label(category: str) -> str:
    slug = category_slug(category)
    return CATEGORY_LABELS.get(slug, slug.replace("_", " ") or "sin categoría")


def spanish_date(day: date) -> str:
    """5 de junio de 2023."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def spanish_range(start: date, end: date) -> str:
    """'3 de abril al 4 de junio de 2023' (the year once when both share it)."""
    if start.year == end.year:
        return f"{start.day} de {MONTHS[start.month - 1]} al {spanish_date(end)}"
    return f"{spanish_date(start)} al {spanish_date(end)}"
