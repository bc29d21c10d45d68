"""WCAG contrast: the figures of the spec and a suggestion that really passes."""

import pytest

from pregon.design.contrast import check_contrast, contrast_ratio, parse_hex


def test_known_ratios() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#7a1f3d") == contrast_ratio("#7a1f3d", "#ffffff")


def test_brand_pairs_pass() -> None:
    assert check_contrast("#ffffff", "#7a1f3d").ok
    assert check_contrast("#1f1f1f", "#ffffff").ok


@pytest.mark.parametrize(
    "fg,bg", [("#b38e5d", "#ffffff"), ("#777777", "#ffffff"), ("#7a1f3d", "#401020")]
)
def test_failing_pair_warns_and_suggests_a_passing_colour(fg, bg) -> None:
    result = check_contrast(fg, bg, where="Título")
    assert not result.ok
    assert result.message.startswith("Título: el contraste")
    assert "4.5:1" in result.message and result.suggestion in result.message
    assert contrast_ratio(result.suggestion, bg) >= 4.5


def test_bad_colour_is_explained_in_spanish() -> None:
    with pytest.raises(ValueError, match="«rojo» no es un color hexadecimal"):
        parse_hex("rojo")
    assert parse_hex("#fff") == (255, 255, 255)
