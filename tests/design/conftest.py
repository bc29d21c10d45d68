"""Fixtures for the design app: a designer persona, texts and a test photo."""

import io

import pytest
from PIL import Image, ImageDraw

SHORT = {
    "etiqueta": "AVISO",
    "titulo": "Vacunación antirrábica",
    "texto": "Acude con tu mascota.",
    "fecha": "Sábado 12 de octubre",
    "hora": "9:00 h",
    "lugar": "DIF municipal",
    "cifra": "98%",
    "descripcion": "de calles con alumbrado",
    "fuente": "Servicios Públicos",
    "cita": "Juntos avanzamos.",
    "autor": "Laura Amalia González Martínez",
    "cargo": "Presidenta Municipal",
}

_WORDS = (
    "La Dirección de Desarrollo Social del Ayuntamiento invita a toda la ciudadanía "
    "a participar en la jornada extraordinaria de inscripción a los programas sociales "
    "municipales, que se llevará a cabo en las delegaciones y subdelegaciones, con "
    "atención personalizada, sin intermediarios y completamente gratuita; consulte "
    "requisitos, horarios y documentación necesaria en las oficinas del Palacio Municipal "
    "o comuníquese a la línea de atención ciudadana, donde con gusto le orientaremos."
)


def long_text(limit: int) -> str:
    """Real Spanish words up to `limit` characters (the field's maximum)."""
    text = ""
    while len(text) < limit:
        text = f"{text} {_WORDS}".strip()
    return text[:limit].rsplit(" ", 1)[0]


@pytest.fixture
def long_data():
    from pregon.design.render import TEMPLATES

    data = {}
    for spec in TEMPLATES.values():
        for f in spec.fields:
            data[f.name] = long_text(f.max_length)
    data["cifra"] = "$1,234,567,890.00"
    data["etiqueta"] = "COMUNICADO URGENTE"
    data["autor"] = "Laura Amalia González Martínez, Presidenta Municipal de Chapultepec"[:80]
    return data


@pytest.fixture
def diseno(person):
    """Fernanda is Diseño: she keeps the brand and makes the pieces."""
    return person("fernanda", "diseno", area="COMSOC", first_name="Fernanda")


def make_photo(width: int = 1600, height: int = 1000, dot: tuple[float, float] = (0.85, 0.5)):
    """A grey JPEG with a red disc at `dot` (fractions): where the focal point is."""
    image = Image.new("RGB", (width, height), (120, 130, 140))
    draw = ImageDraw.Draw(image)
    cx, cy, r = dot[0] * width, dot[1] * height, min(width, height) * 0.08
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(230, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def photo_jpeg() -> bytes:
    return make_photo()
