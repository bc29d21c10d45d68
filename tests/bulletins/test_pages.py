"""Internal pages: who sees what, the form, the home panel."""

import pytest
from django.test import Client

from pregon.bulletins.models import Bulletin

pytestmark = pytest.mark.django_db


def test_write_submit_and_see_in_home_panel(jorge, mariana, area_factory):
    client = Client()
    client.force_login(jorge)
    response = client.post(
        "/boletines/nuevo/",
        {
            "kind": "boletin",
            "dated": "2023-08-05",
            "title": "Arranca la campaña de descacharrización",
            "body": "<p>Texto</p>",
            "balazo_1": "Se recolectarán 40 toneladas",
            "category": "salud",
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and bulletin.balazos == ["Se recolectarán 40 toneladas"]
    assert "Arranca la campaña" in client.get("/").content.decode()
    client.post(f"/boletines/{bulletin.pk}/submit/")
    boss = Client()
    boss.force_login(mariana)
    home = boss.get("/").content.decode()
    assert "Boletines por aprobar" in home and "Arranca la campaña" in home


def test_form_errors_are_shown(jorge):
    client = Client()
    client.force_login(jorge)
    page = client.post("/boletines/nuevo/", {"kind": "boletin", "title": "", "body": ""})
    assert page.status_code == 200 and "Este campo es obligatorio" in page.content.decode()


def test_permissions(pedro, ricardo, make_bulletin, mariana):
    bulletin = make_bulletin()
    anonymous = Client()
    assert anonymous.get("/boletines/").status_code == 302
    reader = Client()
    reader.force_login(pedro)
    assert reader.get(f"/boletines/{bulletin.pk}/").status_code == 200
    assert reader.get("/boletines/nuevo/").status_code == 403
    assert reader.post(f"/boletines/{bulletin.pk}/submit/").status_code == 403
    enlace = Client()
    enlace.force_login(ricardo)
    assert enlace.get(f"/boletines/{bulletin.pk}/").status_code == 404  # other area
    assert enlace.get("/boletines/transmisiones/").status_code == 200
