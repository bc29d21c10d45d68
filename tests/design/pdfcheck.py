"""Just enough PDF reading for tests: page boxes and embedded images (no PDF library here)."""

import re
import shutil
import subprocess
import zlib

import pytest


def streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """(dictionary, decoded data) of every Flate stream in the file."""
    found = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        start = match.end()
        end = pdf.index(b"endstream", start)
        raw = pdf[start:end].rstrip(b"\r\n")
        try:
            found.append((match.group(1), zlib.decompress(raw)))
        except zlib.error:
            found.append((match.group(1), raw))
    return found


def media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    text = pdf + b"".join(data for _, data in streams(pdf))
    return [
        tuple(float(v) for v in m.group(1).split())
        for m in re.finditer(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", text)
    ]


def _unfilter(data: bytes, width: int, height: int, bpp: int) -> bytes:
    """Undo PNG row predictors (/Predictor 15)."""
    stride, out, prev = width * bpp, bytearray(), bytearray(width * bpp)
    for y in range(height):
        kind, row = (
            data[y * (stride + 1)],
            bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + a) & 255
            elif kind == 2:
                row[i] = (row[i] + b) & 255
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += row
        prev = row
    return bytes(out)


def images(pdf: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, grey bytes) of each RGB or grey image XObject."""
    found = []
    for head, data in streams(pdf):
        if b"/Subtype /Image" not in head and b"/Subtype/Image" not in head:
            continue
        width = int(re.search(rb"/Width (\d+)", head).group(1))
        height = int(re.search(rb"/Height (\d+)", head).group(1))
        bpp = 3 if b"DeviceRGB" in head else 1
        if b"/Predictor" in head:
            data = _unfilter(data, width, height, bpp)
        found.append((width, height, data[::bpp]))
    return found


def qr_modules(width: int, grey: bytes, scale: int, border: int) -> list[list[int]]:
    """Sample the centre of every module of a QR image drawn at `scale` with `border`."""
    count = width // scale - 2 * border
    return [
        [
            1
            if grey[((border + r) * scale + scale // 2) * width + (border + c) * scale + scale // 2]
            < 128
            else 0
            for c in range(count)
        ]
        for r in range(count)
    ]


def pdf_text(pdf: bytes) -> str:
    """The text a reader sees, by poppler's pdftotext (skipped when it is not installed)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()
