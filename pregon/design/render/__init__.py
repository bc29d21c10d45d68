"""Render institutional pieces with Pillow: `render_piece(template, data, size, brand)`."""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from pregon.design.contrast import check_contrast
from pregon.design.render.brand import Brand
from pregon.design.render.layouts import TEMPLATES, Canvas, FieldSpec, TemplateSpec
from pregon.design.render.text import Frame, TextBlock, TextDoesNotFit

SIZES: dict[str, str] = {
    "1080x1080": "Instagram cuadrado",
    "1080x1350": "Instagram vertical",
    "1200x630": "Facebook y vista previa de enlaces",
    "1600x900": "X",
    "1080x1920": "Historias",
}

__all__ = [
    "SIZES",
    "TEMPLATES",
    "Brand",
    "FieldSpec",
    "Frame",
    "Rendered",
    "TemplateSpec",
    "TextBlock",
    "TextDoesNotFit",
    "parse_size",
    "render_piece",
]


@dataclass
class Rendered:
    image: Image.Image
    blocks: list[TextBlock]
    warnings: list[str]
    min_contrast: float | None = None  # the weakest text/background pair drawn

    def png(self, compress_level: int = 6) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "PNG", compress_level=compress_level)
        return out.getvalue()


def parse_size(value: str) -> tuple[int, int]:
    """'1080x1350' → (1080, 1350); only the network sizes we design for."""
    if value not in SIZES:
        raise ValueError(f"Tamaño «{value}» no válido; use uno de: {', '.join(SIZES)}.")
    w, h = value.split("x")
    return int(w), int(h)


def render_piece(
    template: str, data: dict, size: tuple[int, int], brand: Brand, photo: bytes | None = None
) -> Rendered:
    """Draw one piece. Raises KeyError for an unknown template and TextDoesNotFit
    (with the field name as message) when a text cannot fit even at the smallest size."""
    spec = TEMPLATES[template]
    image = Image.new("RGB", size, brand.background)
    canvas = Canvas(image, ImageDraw.Draw(image), brand)
    try:
        spec.draw(canvas, data, photo if spec.photo else None)
    except TextDoesNotFit as exc:
        raise TextDoesNotFit(_field_label(spec, canvas, exc)) from exc
    warnings = []
    ratios = []
    for pair in sorted({(fg, bg) for _, fg, bg in canvas.pairs}):
        result = check_contrast(*pair, where="Texto")
        ratios.append(result.ratio)
        if not result.ok:
            warnings.append(result.message)
    return Rendered(image, canvas.blocks, warnings, min(ratios, default=None))


def _field_label(spec: TemplateSpec, canvas: Canvas, exc: TextDoesNotFit) -> str:
    labels = {f.name: f.label for f in spec.fields}
    label = labels.get(str(exc), str(exc))
    return (
        f"El campo «{label}» no cabe en {canvas.w}×{canvas.h} ni con la letra más pequeña; "
        "acórtelo."
    )
