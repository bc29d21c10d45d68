"""The brand as plain values the renderer needs (built from the active BrandKit)."""

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

import pyvips
from PIL import Image

from pregon.core.images import is_svg, sanitize_svg
from pregon.design.contrast import contrast_ratio

DEFAULT_LOGO_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"
viewBox="0 0 240 240">
<path d="M120 8 L222 44 V120 C222 176 176 214 120 232 C64 214 18 176 18 120 V44 Z"
 fill="#ffffff" stroke="#b38e5d" stroke-width="10"/>
<path d="M120 40 L190 64 V118 C190 158 158 186 120 200 C82 186 50 158 50 118 V64 Z" fill="#7a1f3d"/>
<circle cx="120" cy="112" r="34" fill="#b38e5d"/>
<path d="M86 170 Q120 136 154 170 Z" fill="#ffffff"/>
</svg>"""


@dataclass(frozen=True)
class Brand:
    administration: str = "H. Ayuntamiento de Chapultepec 2022–2024"
    motto: str = "Municipio limpio, ordenado y en paz"
    footer: str = (
        "Independencia No. 300, Colonia Centro, Chapultepec, Estado de México, C.P. 52240"
        " | Teléfono (722) 263 0855"
    )
    legend: str = "2024. Año del Bicentenario de la Erección del Estado Libre y Soberano de México."
    primary: str = "#7a1f3d"
    secondary: str = "#b38e5d"
    text: str = "#1f1f1f"
    background: str = "#ffffff"
    logo: bytes | None = DEFAULT_LOGO_SVG
    coat_of_arms: bytes | None = None

    @property
    def on_primary(self) -> str:
        """White or the text colour, whichever reads better on the primary colour."""
        white = contrast_ratio("#ffffff", self.primary)
        return "#ffffff" if white >= contrast_ratio(self.text, self.primary) else self.text


def raster_logo(data: bytes, height: int) -> Image.Image:
    """The logo as RGBA at `height` pixels (SVG rasterised by libvips, PNG by Pillow)."""
    return _raster_logo(hashlib.sha256(data).hexdigest(), data, height).copy()


@lru_cache(maxsize=64)
def _raster_logo(digest: str, data: bytes, height: int) -> Image.Image:
    if is_svg(data):
        data = sanitize_svg(data)  # also artwork stored before uploads were sanitised
        probe = pyvips.Image.svgload_buffer(data)
        image = pyvips.Image.svgload_buffer(data, scale=height / max(1, probe.height))
        pil = Image.open(io.BytesIO(image.write_to_buffer(".png"))).convert("RGBA")
    else:
        pil = Image.open(io.BytesIO(data)).convert("RGBA")
    width = max(1, round(pil.width * height / max(1, pil.height)))
    return pil.resize((width, height), Image.LANCZOS)
