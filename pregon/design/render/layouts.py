"""The five institutional templates. Every layout is proportional to the canvas
so one definition serves every network size."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from pregon.design.render.brand import Brand, raster_logo
from pregon.design.render.text import Frame, TextBlock, TextDoesNotFit, draw_text


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    max_length: int
    required: bool = True
    multiline: bool = False
    help: str = ""


@dataclass
class Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    brand: Brand
    blocks: list[TextBlock] = field(default_factory=list)
    pairs: set[tuple[str, str, str]] = field(default_factory=set)

    @property
    def w(self) -> int:
        return self.image.width

    @property
    def h(self) -> int:
        return self.image.height

    @property
    def unit(self) -> int:
        return min(self.w, self.h)

    @property
    def landscape(self) -> bool:
        return self.w / self.h > 1.2

    def text(self, name: str, text: str, frame: Frame, colour: str, bg: str, **kw) -> None:
        try:
            block = draw_text(self.draw, name, text, frame, colour=colour, **kw)
        except TextDoesNotFit as exc:
            raise TextDoesNotFit(name) from exc
        if block:
            self.blocks.append(block)
            self.pairs.add((name, colour, bg))


def scaffold(c: Canvas) -> Frame:
    """Header (logo, administration), footer (motto, address, legend); the content frame."""
    b, u = c.brand, c.unit
    m, header_h, footer_h, bar = round(u * 0.06), round(u * 0.13), round(u * 0.15), round(u * 0.012)
    c.draw.rectangle((0, 0, c.w, header_h), fill=b.primary)
    c.draw.rectangle((0, c.h - footer_h - bar, c.w, c.h), fill=b.secondary)
    c.draw.rectangle((0, c.h - footer_h, c.w, c.h), fill=b.primary)
    x = m
    for art in (b.logo, b.coat_of_arms):
        if art:
            logo = raster_logo(art, round(header_h * 0.74))
            c.image.paste(logo, (x, round(header_h * 0.13)), logo)
            x += logo.width + round(m * 0.4)
    name_frame = Frame(
        x + round(m * 0.2), round(header_h * 0.2), c.w - m - x, round(header_h * 0.6)
    )
    c.text(
        "administracion",
        b.administration,
        name_frame,
        b.on_primary,
        b.primary,
        style="bold",
        max_size=round(u * 0.042),
        valign="middle",
        max_lines=2,
    )
    rows = Frame(m, c.h - footer_h + round(footer_h * 0.1), c.w - 2 * m, round(footer_h * 0.8))
    third = rows.h // 3
    for i, (name, value, style) in enumerate(
        (
            ("lema", b.motto, "bold"),
            ("domicilio", b.footer, "regular"),
            ("leyenda", b.legend, "italic"),
        )
    ):
        frame = Frame(rows.x, rows.y + i * third, rows.w, third)
        c.text(
            name,
            value,
            frame,
            b.on_primary,
            b.primary,
            style=style,
            max_size=round(u * 0.026),
            align="center",
            valign="middle",
        )
    top = header_h + m
    return Frame(m, top, c.w - 2 * m, c.h - footer_h - bar - m - top)


def split(frame: Frame, *shares: float, gap: int = 0) -> list[Frame]:
    """Cut a frame vertically into parts proportional to `shares`, with gaps."""
    usable = frame.h - gap * (len(shares) - 1)
    total, y, parts = sum(shares), frame.y, []
    for share in shares:
        h = int(usable * share / total)
        parts.append(Frame(frame.x, y, frame.w, h))
        y += h + gap
    return parts


def cover(photo: bytes, frame: Frame, focus: tuple[float, float]) -> Image.Image:
    """Crop the photo to fill `frame`, keeping the focal point as central as the edges allow."""
    image = Image.open(io.BytesIO(photo))
    image.draft("RGB", (frame.w, frame.h))  # JPEG: decode at reduced size, much faster
    image = image.convert("RGB")
    scale = max(frame.w / image.width, frame.h / image.height)
    cw, ch = frame.w / scale, frame.h / scale
    fx, fy = (min(1.0, max(0.0, v)) for v in focus)
    left = min(max(fx * image.width - cw / 2, 0), image.width - cw)
    top = min(max(fy * image.height - ch / 2, 0), image.height - ch)
    box = (round(left), round(top), round(left + cw), round(top + ch))
    return image.resize((frame.w, frame.h), Image.BILINEAR, box=box, reducing_gap=2.0)


def kicker(c: Canvas, label: str, frame: Frame) -> None:
    b = c.brand
    c.draw.rectangle(
        (
            frame.x,
            frame.y + frame.h - max(3, c.unit // 160),
            frame.x + c.unit // 8,
            frame.y + frame.h,
        ),
        fill=b.secondary,
    )
    c.text(
        "etiqueta",
        label,
        Frame(frame.x, frame.y, frame.w, frame.h - c.unit // 80),
        b.primary,
        b.background,
        style="bold",
        max_size=round(c.unit * 0.035),
    )


def aviso(c: Canvas, data: dict, photo: bytes | None) -> None:
    b, u = c.brand, c.unit
    label, title, body = split(scaffold(c), 0.1, 0.42, 0.48, gap=u // 40)
    kicker(c, data.get("etiqueta") or "AVISO", label)
    c.text(
        "titulo",
        data.get("titulo", ""),
        title,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.09),
        spacing=1.1,
    )
    c.text("texto", data.get("texto", ""), body, b.text, b.background, max_size=round(u * 0.045))


def campana(c: Canvas, data: dict, photo: bytes | None) -> None:
    b, u = c.brand, c.unit
    content = scaffold(c)
    m = content.x
    if c.landscape:
        pic = Frame(0, content.y - m, c.w // 2, content.h + 2 * m)
        text_area = Frame(c.w // 2 + m, content.y, c.w // 2 - 2 * m, content.h)
    else:
        pic = Frame(0, content.y - m, c.w, round((content.h + m) * 0.52))
        text_area = Frame(
            m, pic.y + pic.h + m, content.w, content.y + content.h - pic.y - pic.h - m
        )
    if photo:
        focus = (float(data.get("foco_x") or 0.5), float(data.get("foco_y") or 0.5))
        c.image.paste(cover(photo, pic, focus), (pic.x, pic.y))
    else:
        c.draw.rectangle(pic.box, fill=b.secondary)
    title, body = split(text_area, 0.45, 0.55, gap=u // 40)
    c.text(
        "titulo",
        data.get("titulo", ""),
        title,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.08),
        spacing=1.1,
    )
    c.text("texto", data.get("texto", ""), body, b.text, b.background, max_size=round(u * 0.045))


def evento(c: Canvas, data: dict, photo: bytes | None) -> None:
    b, u = c.brand, c.unit
    title, *rows, body = split(scaffold(c), 0.3, 0.13, 0.13, 0.13, 0.31, gap=u // 50)
    c.text(
        "titulo",
        data.get("titulo", ""),
        title,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.08),
        spacing=1.1,
    )
    for row, (key, label) in zip(
        rows, (("fecha", "Fecha"), ("hora", "Hora"), ("lugar", "Lugar")), strict=True
    ):
        label_w = round(row.w * 0.24)
        c.draw.rectangle((row.x, row.y, row.x + max(3, u // 120), row.y + row.h), fill=b.secondary)
        c.text(
            f"{key}_etiqueta",
            label,
            Frame(row.x + u // 40, row.y, label_w, row.h),
            b.primary,
            b.background,
            style="bold",
            max_size=round(u * 0.035),
            valign="middle",
        )
        value = Frame(row.x + label_w + u // 30, row.y, row.w - label_w - u // 30, row.h)
        c.text(
            key,
            data.get(key, ""),
            value,
            b.text,
            b.background,
            style="bold",
            max_size=round(u * 0.045),
            valign="middle",
        )
    c.text("texto", data.get("texto", ""), body, b.text, b.background, max_size=round(u * 0.04))


def cifra(c: Canvas, data: dict, photo: bytes | None) -> None:
    b, u = c.brand, c.unit
    number, text, source = split(scaffold(c), 0.45, 0.4, 0.15, gap=u // 40)
    c.text(
        "cifra",
        data.get("cifra", ""),
        number,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.3),
        align="center",
        valign="bottom",
        spacing=1.0,
    )
    c.text(
        "descripcion",
        data.get("descripcion", ""),
        text,
        b.text,
        b.background,
        style="bold",
        max_size=round(u * 0.055),
        align="center",
    )
    c.text(
        "fuente",
        data.get("fuente", ""),
        source,
        b.text,
        b.background,
        style="italic",
        max_size=round(u * 0.028),
        align="center",
        valign="bottom",
    )


def cita(c: Canvas, data: dict, photo: bytes | None) -> None:
    b, u = c.brand, c.unit
    mark, quote, author, role = split(scaffold(c), 0.2, 0.54, 0.13, 0.13, gap=u // 60)
    c.text(
        "comillas",
        "“",
        mark,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.2),
        spacing=1.0,
    )
    c.text(
        "cita",
        data.get("cita", ""),
        quote,
        b.text,
        b.background,
        style="italic",
        max_size=round(u * 0.065),
        valign="middle",
    )
    c.text(
        "autor",
        data.get("autor", ""),
        author,
        b.primary,
        b.background,
        style="bold",
        max_size=round(u * 0.045),
        valign="bottom",
    )
    c.text("cargo", data.get("cargo", ""), role, b.text, b.background, max_size=round(u * 0.035))


@dataclass(frozen=True)
class TemplateSpec:
    slug: str
    label: str
    description: str
    fields: tuple[FieldSpec, ...]
    draw: Callable[[Canvas, dict, bytes | None], None]
    photo: bool = False


TITLE = FieldSpec("titulo", "Título", 140)
BODY = FieldSpec("texto", "Texto", 500, required=False, multiline=True)

TEMPLATES: dict[str, TemplateSpec] = {
    t.slug: t
    for t in (
        TemplateSpec(
            "aviso",
            "Aviso",
            "Comunicado o aviso a la ciudadanía.",
            (
                FieldSpec("etiqueta", "Etiqueta", 30, required=False, help="Por omisión: AVISO."),
                TITLE,
                BODY,
            ),
            aviso,
        ),
        TemplateSpec(
            "campana",
            "Campaña",
            "Campaña con fotografía y punto focal.",
            (TITLE, BODY),
            campana,
            photo=True,
        ),
        TemplateSpec(
            "evento",
            "Evento",
            "Invitación con fecha, hora y lugar.",
            (
                TITLE,
                FieldSpec("fecha", "Fecha", 60),
                FieldSpec("hora", "Hora", 40),
                FieldSpec("lugar", "Lugar", 120),
                BODY,
            ),
            evento,
        ),
        TemplateSpec(
            "cifra",
            "Cifra",
            "Un dato destacado en grande.",
            (
                FieldSpec("cifra", "Cifra", 20),
                FieldSpec("descripcion", "Descripción", 160),
                FieldSpec("fuente", "Fuente", 120, required=False),
            ),
            cifra,
        ),
        TemplateSpec(
            "cita",
            "Cita",
            "Una frase con su autor.",
            (
                FieldSpec("cita", "Cita", 300, multiline=True),
                FieldSpec("autor", "Autor", 80),
                FieldSpec("cargo", "Cargo", 120, required=False),
            ),
            cita,
        ),
    )
}
