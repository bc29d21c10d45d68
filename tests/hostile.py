"""The worst inputs people can send, built on the fly (shared by the tests and
benchmarks/upload_limits.py): decompression bombs, huge SVGs, the 190,000-row
metrics export, a gzip hiding a 1 GiB line, endless iCalendar rules."""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

METRICS_HEADER = "Post ID,Page ID,Publish time,Permalink,Reach,Reactions,Comments,Shares"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A real 1-bit PNG of `width`×`height` white pixels: a few hundred KB on disk,
    gigabytes once decoded."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(1)
    parts = [packer.compress(row * 500) for _ in range(height // 500)]
    parts.append(packer.compress(row * (height % 500)) + packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def huge_svg(size: int = 60_000) -> bytes:
    """An SVG logo declaring `size`×`size` pixels (the outage of issue 14)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><rect width="{size}" height="{size}" fill="#7a1f3d"/>'
        f'<circle cx="{size // 2}" cy="{size // 2}" r="{size // 3}" fill="#b38e5d"/></svg>'
    ).encode()


def metrics_csv(rows: int = 190_000, bad_line: int | None = None) -> bytes:
    """A Meta Business Suite export (Facebook) of `rows` posts, 19.7 MB for 190,000;
    `bad_line` (a line number of the file) gets a reach that is not a number."""
    lines = [METRICS_HEADER]
    for i in range(rows):
        reach = "muchos" if bad_line == i + 2 else str(1000 + i % 5000)
        post = 700000 + i
        lines.append(
            f"1002003004_{post},1002003004,01/{1 + i % 28:02d}/2023 {i % 24:02d}:00,"
            f"https://facebook.com/1002003004/posts/{post},{reach},{i % 300},{i % 40},{i % 25}"
        )
    return ("\n".join(lines) + "\n").encode()


WEBLOG_LINE = (
    '203.0.113.{n} - - [05/Aug/2023:10:{m:02d}:00 -0600] "GET /tramites/predial HTTP/1.1" '
    '200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/118.0"\n'
)


def gzip_long_line(path: Path, line_bytes: int = 1 << 30) -> Path:
    """A gzip log: valid lines, then one line of `line_bytes` (1 GiB: about 1 MB
    compressed), then more valid lines."""
    with gzip.open(path, "wb", compresslevel=9) as out:
        for n in range(300):
            out.write(WEBLOG_LINE.format(n=n % 250, m=n % 60).encode())
        piece = b"A" * (8 << 20)
        for _ in range(line_bytes // len(piece)):
            out.write(piece)
        out.write(b"\n")
        for n in range(10):
            out.write(WEBLOG_LINE.format(n=n, m=n).encode())
    return path


def ics_with_rule(rule: str) -> bytes:
    """A calendar with one ordinary event and, on line 12, a series with `rule`."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Prueba//ES\r\n"
        "BEGIN:VEVENT\r\nUID:normal@prueba\r\nDTSTAMP:20230801T120000Z\r\n"
        "DTSTART:20230805T100000\r\nSUMMARY:Sesión de cabildo\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:serie@prueba\r\n"
        f"RRULE:{rule}\r\n"
        "DTSTAMP:20230801T120000Z\r\nDTSTART:20230805T100000\r\n"
        "SUMMARY:Serie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


# The brand-kit form as a person fills it, for the logo upload tests.
KIT_FORM = {
    "administration": "H. Ayuntamiento de Chapultepec 2022–2024",
    "motto": "Municipio limpio, ordenado y en paz",
    "footer": "Independencia No. 300, Colonia Centro, Chapultepec",
    "legend": "2024. Año del Bicentenario.",
    "color_primary": "#7a1f3d",
    "color_secondary": "#b38e5d",
    "color_text": "#1f1f1f",
    "color_background": "#ffffff",
    "font_family": "montserrat",
}
