"""Spanish text helpers: accent-insensitive matching and dates written out in Spanish.

Rules compare category slugs and names without caring about accents or case, so
"Obra pública", "obra_publica" and "OBRA PUBLICA" are the same category."""

import re

from pregon.core.spanish import fold

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


def category_slug(category: str) -> str:
    """'Obra pública' → 'obra_publica'; 'protección-civil' → 'proteccion_civil'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(category or "").strip()).strip("_")


def category_label(category: str) -> str:
    slug = category_slug(category)
    return CATEGORY_LABELS.get(slug, slug.replace("_", " ") or "sin categoría")
