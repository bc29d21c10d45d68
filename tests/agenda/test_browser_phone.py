"""On a phone-sized viewport the month, week and day views fit the screen (no sideways
scrolling) and the quick form is reachable. Set PREGON_SCREENSHOT_DIR to keep the
screenshots for a human look."""

import os
from pathlib import Path

import pytest

from tests.agenda.conftest import local

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("view", ["mes", "semana", "dia"])
def test_views_fit_a_phone(page, login, mariana, make_activity, view, tmp_path):
    make_activity(
        "Sesión ordinaria de Cabildo con transmisión en vivo y orden del día extenso",
        start=local(2023, 9, 14, 10),
        place="Sala de Cabildo, Palacio Municipal, Chapultepec, Estado de México",
        with_mayor=True,
        stream_url="https://www.facebook.com/ayuntamientochapultepec/videos/1234567890",
        type="cabildo_ordinaria",
    )
    make_activity("Entrega de apoyos", start=local(2023, 9, 14, 13), area="DESOC")
    make_activity("Torneo municipal de fútbol", start=local(2023, 9, 16, 9), area="IMCUFIDEC")
    page.set_viewport_size(PHONE)
    login(mariana)
    page.goto(f"/agenda/vista/{view}/?fecha=2023-09-14")
    page.get_by_role("link", name="Entrega de apoyos").first.wait_for()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{view}: {overflow}px de desplazamiento horizontal"
    chip = page.get_by_role("link", name="Entrega de apoyos").first.bounding_box()
    assert chip["x"] >= 0 and chip["x"] + chip["width"] <= PHONE["width"]
    page.get_by_role("button", name="Registrar", exact=True).scroll_into_view_if_needed()
    assert page.get_by_role("button", name="Registrar", exact=True).is_visible()
    folder = Path(os.environ.get("PREGON_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"agenda_{view}_telefono.png"), full_page=True)
