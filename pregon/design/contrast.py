"""WCAG 2.x contrast between two colours, with a suggestion when a pair fails.

Other apps (compliance) call `check_contrast(fg, bg)`; it takes plain hex strings
and imports nothing from the domain.
"""

from dataclasses import dataclass

AA_NORMAL = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#7a1f3d' or '7A1F3D' or '#fff' → (122, 31, 61). Raises ValueError in Spanish."""
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ValueError(f"«{colour}» no es un color hexadecimal válido (ejemplo: #7a1f3d).")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = parse_hex(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG contrast ratio, from 1.0 (same colour) to 21.0 (black on white)."""
    la, lb = relative_luminance(fg), relative_luminance(bg)
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def _mix(rgb: tuple[int, int, int], target: int, t: float) -> tuple[int, int, int]:
    return tuple(round(c + (target - c) * t) for c in rgb)  # type: ignore[return-value]


def suggest_colour(fg: str, bg: str, minimum: float = AA_NORMAL) -> str:
    """The colour closest to `fg` (same hue, darker or lighter) that reaches `minimum` on `bg`.

    We move toward black when the background is light and toward white when it is
    dark, in small steps, so the suggestion keeps the brand hue as far as possible.
    """
    rgb = parse_hex(fg)
    target = 0 if relative_luminance(bg) > 0.18 else 255
    for step in range(1, 101):
        candidate = to_hex(_mix(rgb, target, step / 100))
        if contrast_ratio(candidate, bg) >= minimum:
            return candidate
    return "#000000" if target == 0 else "#ffffff"


@dataclass(frozen=True)
class ContrastCheck:
    fg: str
    bg: str
    ratio: float
    ok: bool
    suggestion: str | None
    message: str


def check_contrast(fg: str, bg: str, minimum: float = AA_NORMAL, where: str = "") -> ContrastCheck:
    """Check a text colour on a background against WCAG AA (4.5:1 by default).

    Returns a ContrastCheck whose `message` is a Spanish warning (empty when ok)
    and whose `suggestion` is a nearby colour that passes.
    """
    ratio = contrast_ratio(fg, bg)
    if ratio >= minimum:
        return ContrastCheck(fg, bg, round(ratio, 2), True, None, "")
    suggestion = suggest_colour(fg, bg, minimum)
    place = f"{where}: " if where else ""
    message = (
        f"{place}el contraste entre {fg} y el fondo {bg} es {ratio:.2f}:1, menor que "
        f"{minimum:g}:1 (WCAG AA). Sugerencia: use {suggestion}."
    )
    return ContrastCheck(fg, bg, round(ratio, 2), False, suggestion, message)
