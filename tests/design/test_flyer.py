"""Flyers: letter (and half-letter two-up) PDFs whose QR encodes the chosen URL."""

import re
from collections import Counter

import pytest
import segno

from pregon.design import services
from pregon.design.flyer import QR_SCALE, flyer_pdf, qr_matrix
from tests.design.conftest import SHORT
from tests.design.pdfcheck import images, media_boxes, pdf_text, qr_modules, streams

URL = "https://chapultepec.gob.mx/encuestas/alumbrado-2024"


@pytest.fixture
def kit(db, diseno):
    return services.brandkit_default(diseno)


def qr_in(pdf: bytes) -> list[list[int]]:
    squares = [(w, g) for w, h, g in images(pdf) if w == h and w % QR_SCALE == 0]
    assert squares, "the PDF must embed the QR image"
    width, grey = squares[0]
    return qr_modules(width, grey, QR_SCALE, border=4)


def test_letter_flyer_has_letter_pages_and_a_qr_for_the_url(kit) -> None:
    pdf = flyer_pdf(template="evento", data=SHORT, url=URL, kit=kit, layout="carta")
    assert pdf.startswith(b"%PDF")
    boxes = media_boxes(pdf)
    assert boxes and all(b[2:] == (612.0, 792.0) for b in boxes)  # 8.5 × 11 in
    modules = qr_in(pdf)
    # Made here with segno itself, not with the product's helper: the QR of the URL.
    assert modules == [list(row) for row in segno.make(URL, error="m", micro=False).matrix]
    assert modules != [list(row) for row in qr_matrix(URL + "x")]
    text = " ".join(pdf_text(pdf).split())
    assert SHORT["titulo"] in text and SHORT["lugar"] in text and SHORT["fecha"] in text


def test_half_letter_two_up_is_a_landscape_letter_sheet_with_two_qrs(kit) -> None:
    pdf = flyer_pdf(template="aviso", data=SHORT, url=URL, kit=kit, layout="media")
    boxes = media_boxes(pdf)
    assert boxes and all(b[2:] == (792.0, 612.0) for b in boxes)
    assert " ".join(pdf_text(pdf).split()).count(SHORT["titulo"]) == 2  # two copies
    assert qr_in(pdf) == [list(row) for row in qr_matrix(URL)]
    # WeasyPrint embeds an image once and draws it once per copy.
    drawn = Counter(name for _, data in streams(pdf) for name in re.findall(rb"/(\w+) Do", data))
    assert drawn and set(drawn.values()) == {2}


def test_longest_texts_step_the_type_down_until_nothing_overflows(kit, long_data, monkeypatch):
    from pregon.design import flyer

    args = {"template": "evento", "data": long_data, "url": URL, "kit": kit, "layout": "media"}
    monkeypatch.setattr(flyer, "TYPE_STEPS", {"media": flyer.TYPE_STEPS["media"][:1]})
    assert flyer.overflows(flyer.flyer_document(**args))  # the roomy size does not fit
    monkeypatch.undo()
    document = flyer.flyer_document(**args)
    assert len(document.pages) == 1 and not flyer.overflows(document)
