"""Fit text into a box: the size steps down, lines wrap at word boundaries,
nothing overflows and nothing is cut."""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONTS = {
    "regular": FONTS_DIR / "Montserrat-Regular.ttf",
    "bold": FONTS_DIR / "Montserrat-Bold.ttf",
    "italic": FONTS_DIR / "Montserrat-Italic.ttf",
}
ABSOLUTE_MIN_SIZE = 8


class TextDoesNotFit(ValueError):
    """Raised when even the smallest legible size cannot hold the text."""


@dataclass(frozen=True)
class Frame:
    x: int
    y: int
    w: int
    h: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.x + self.w, self.y + self.h)

    def contains(self, bbox: tuple[int, int, int, int]) -> bool:
        x0, y0, x1, y1 = self.box
        return bbox[0] >= x0 and bbox[1] >= y0 and bbox[2] <= x1 and bbox[3] <= y1

    def inset(self, dx: int, dy: int | None = None) -> "Frame":
        dy = dx if dy is None else dy
        return Frame(self.x + dx, self.y + dy, max(1, self.w - 2 * dx), max(1, self.h - 2 * dy))


@dataclass
class TextBlock:
    """What the renderer drew for one field: tests assert `bbox` is inside `frame`."""

    name: str
    frame: Frame
    bbox: tuple[int, int, int, int]
    size: int
    lines: list[str] = field(default_factory=list)


@lru_cache(maxsize=1024)
def font(style: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: Spanish needs no complex shaping, and raqm is ~10× slower per measure.
    return ImageFont.truetype(str(FONTS[style]), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=65536)
def width_of(style: str, size: int, text: str) -> float:
    return font(style, size).getlength(text)


def wrap(text: str, style: str, size: int, width: int) -> list[str] | None:
    """Greedy wrap at spaces; None when a single word is wider than `width`.

    Words are never split: a broken Spanish word with a wrong hyphen reads worse
    than a smaller size, so the caller steps the size down instead. Widths are
    summed per word (cached across the size search); the caller leaves slack for
    the little kerning this ignores.
    """
    space = width_of(style, size, " ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_w = "", 0.0
        for word in paragraph.split():
            word_w = width_of(style, size, word)
            if word_w > width:
                return None
            if not current:
                current, current_w = word, word_w
            elif current_w + space + word_w <= width:
                current, current_w = f"{current} {word}", current_w + space + word_w
            else:
                lines.append(current)
                current, current_w = word, word_w
        lines.append(current)
    return lines


def _line_height(size: int, spacing: float) -> int:
    return max(1, round(size * spacing))


def block_height(lines: list[str], size: int, style: str, spacing: float) -> int:
    ascent, descent = font(style, size).getmetrics()
    return (len(lines) - 1) * _line_height(size, spacing) + ascent + descent


def fit(
    text: str, frame: Frame, style: str, max_size: int, spacing: float = 1.15, max_lines: int = 0
) -> tuple[int, list[str]]:
    """The largest size ≤ max_size at which `text` wraps inside `frame` (binary search)."""
    low, high, best = ABSOLUTE_MIN_SIZE, max(ABSOLUTE_MIN_SIZE, max_size), None
    while low <= high:
        size = (low + high) // 2
        # A little slack on the right: italic overhangs and rounding of x.
        lines = wrap(text, style, size, frame.w - 2 - size // 12)
        fits = (
            lines is not None
            and block_height(lines, size, style, spacing) <= frame.h
            and (not max_lines or len(lines) <= max_lines)
        )
        if fits:
            best, low = (size, lines), size + 1
        else:
            high = size - 1
    if best is None:
        raise TextDoesNotFit(text)
    return best


def draw_text(
    draw: ImageDraw.ImageDraw,
    name: str,
    text: str,
    frame: Frame,
    *,
    style: str = "regular",
    max_size: int = 48,
    colour: str = "#000000",
    align: str = "left",
    valign: str = "top",
    spacing: float = 1.15,
    max_lines: int = 0,
) -> TextBlock | None:
    """Fit and draw `text` in `frame`; returns the ink bounding box actually drawn."""
    text = " ".join(text.split(" ")).strip()
    if not text:
        return None
    size, lines = fit(text, frame, style, max_size, spacing, max_lines)
    face = font(style, size)
    height = block_height(lines, size, style, spacing)
    top = (
        frame.y + {"top": 0, "middle": (frame.h - height) // 2, "bottom": frame.h - height}[valign]
    )
    boxes = []
    for i, line in enumerate(lines):
        if not line:
            continue
        width = face.getlength(line)
        x = frame.x + {"left": 0, "center": (frame.w - width) / 2, "right": frame.w - width}[align]
        ink_left = face.getbbox(line)[0]
        x = max(x, frame.x - ink_left)  # glyphs like a bold "A" start left of the pen
        y = top + i * _line_height(size, spacing)
        draw.text((x, y), line, font=face, fill=colour)
        boxes.append(draw.textbbox((x, y), line, font=face))
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return TextBlock(name, frame, bbox, size, lines)
