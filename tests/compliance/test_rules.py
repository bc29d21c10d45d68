"""Minors, accessibility, the report window and how verdicts combine."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pregon.compliance.models import ElectoralPeriod, GovernmentReport
from pregon.compliance.rules import (
    check_alt_text,
    check_contrast,
    check_minors,
    check_report_window,
    check_video_captions,
)
from pregon.compliance.verdict import Verdict, combine, flag
from tests.compliance.conftest import mx


def test_minors_without_consent_or_blur_are_blocked():
    verdict = check_minors(contains_minors=True, has_consent=False, has_blurred=False)
    assert verdict.blocked and verdict.rules == ("menores",)
    assert "consentimiento" in verdict.message
    assert check_minors(True, has_consent=True, has_blurred=False).allowed
    assert check_minors(True, has_consent=False, has_blurred=True).allowed
    assert check_minors(False, False, False).allowed


def test_missing_alt_text_blocks_approval_and_names_the_images():
    verdict = check_alt_text(["Vista de la obra", "", None, "   "])
    assert verdict.blocked
    assert verdict.message == "Falta texto alternativo en las imágenes 2, 3, 4."
    assert check_alt_text(["Foto", "Otra"]).allowed
    assert check_alt_text([]).allowed
    assert check_alt_text([""]).message == "Falta texto alternativo en la imagen 1."


def test_videos_need_captions_or_a_reason():
    assert check_video_captions(True).allowed and not check_video_captions(True).messages
    missing = check_video_captions(False)
    assert missing.blocked and missing.rules == ("subtitulos",)
    assert missing.message == (
        "El video no tiene subtítulos ni motivo registrado (agréguelos en el archivo)."
    )
    reasoned = check_video_captions(False, "Video sin diálogos, solo música")
    assert reasoned.allowed and not reasoned.blocked
    assert reasoned.message == "El video va sin subtítulos: Video sin diálogos, solo música"


def test_contrast_below_4_5_blocks():
    assert check_contrast(4.49).blocked
    assert check_contrast(4.49).message == "Contraste insuficiente: 4.49:1 (mínimo 4.5:1)."
    assert check_contrast(4.5).allowed and not check_contrast(4.5).messages


def test_combine_takes_the_worst_and_keeps_every_message():
    combined = combine(Verdict(), flag("ojo", "promocion_personal"), check_contrast(2.0))
    assert combined.blocked
    assert combined.rules == ("promocion_personal", "contraste")
    assert combined.messages == ("ojo", "Contraste insuficiente: 2.00:1 (mínimo 4.5:1).")
    assert combine().allowed


@pytest.mark.django_db
def test_report_window_is_7_days_before_to_5_after():
    GovernmentReport.objects.create(date=date(2023, 12, 8))
    assert check_report_window(mx(2023, 12, 1)).allowed
    assert check_report_window(mx(2023, 12, 13)).allowed
    assert check_report_window(mx(2023, 11, 30)).blocked
    assert check_report_window(mx(2023, 12, 14)).blocked
    assert "territorio del municipio" in check_report_window(mx(2023, 12, 8)).message


@pytest.mark.django_db
def test_report_window_never_overlaps_a_veda(veda_2023):
    report = GovernmentReport(date=date(2023, 6, 8))  # window 1–13 June touches the veda
    with pytest.raises(ValidationError) as err:
        report.full_clean()
    assert "se traslapa con la veda «Proceso electoral local" in str(err.value)
    GovernmentReport(date=date(2023, 6, 12)).full_clean()  # window starts 5 June: fine
    GovernmentReport.objects.create(date=date(2023, 12, 8))
    period = ElectoralPeriod(
        name="Extraordinaria", scope="local", start=date(2023, 12, 10), end=date(2023, 12, 20)
    )
    with pytest.raises(ValidationError, match="ventana del informe"):
        period.full_clean()
