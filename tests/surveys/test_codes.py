"""Invitation codes: generate N, export CSV, printable QR sheet, flyer QR."""

import csv
import io
import xml.etree.ElementTree as ET

from django.test import Client
from django.urls import reverse

from pregon.surveys.models import InvitationCode
from pregon.surveys.services import CODE_ALPHABET


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_generate_export_and_print_codes(survey, mariana):
    client = client_for(mariana)
    client.post(reverse("surveys:codes", args=[survey.pk]), {"count": 12})
    codes = list(InvitationCode.objects.filter(survey=survey))
    assert len(codes) == 12 and len({c.code for c in codes}) == 12
    assert all(len(c.code) == 8 and set(c.code) <= set(CODE_ALPHABET) for c in codes)
    export = client.get(reverse("surveys:codes_csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["código", "usado", "enlace"] and len(rows) == 13
    assert rows[1][2].endswith(f"/encuestas/r/{survey.slug}/?codigo={rows[1][0].replace('-', '')}")
    sheet = client.get(reverse("surveys:codes_sheet", args=[survey.pk])).content.decode()
    assert sheet.count("<svg") == 12
    InvitationCode.objects.filter(pk=codes[0].pk).update(used=True)
    sheet = client.get(reverse("surveys:codes_sheet", args=[survey.pk])).content.decode()
    assert sheet.count("<svg") == 11  # only unused codes are printed


def test_code_count_is_bounded(survey, mariana):
    client = client_for(mariana)
    page = client.post(reverse("surveys:codes", args=[survey.pk]), {"count": 0})
    assert page.status_code == 200
    assert "Asegúrese de que este valor sea mayor o igual a 1." in page.content.decode()
    page = client.post(reverse("surveys:codes", args=[survey.pk]), {"count": 5001})
    assert "Asegúrese de que este valor sea menor o igual a 5000." in page.content.decode()
    assert not InvitationCode.objects.exists()


def test_flyer_qr_is_a_valid_svg(survey, pedro):
    response = client_for(pedro).get(reverse("surveys:flyer_qr", args=[survey.pk]))
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert response["Content-Type"] == "image/svg+xml"
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title.endswith(f"/encuestas/r/{survey.slug}/")


def test_qr_sheet_as_pdf(survey, mariana):
    from pregon.surveys.services import codes_generate

    codes_generate(survey=survey, count=4, user=None)
    response = client_for(mariana).get(reverse("surveys:codes_sheet_pdf", args=[survey.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-64:]
    assert b"/Type /Page" in _inflated(response.content)


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) decompressed."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)
