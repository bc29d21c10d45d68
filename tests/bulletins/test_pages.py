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
    assert not Bulletin.objects.exists()


def test_permissions(pedro, ricardo, jorge, make_bulletin, mariana):
    bulletin = make_bulletin()
    writer = Client()
    writer.force_login(jorge)
    draft = writer.get(f"/boletines/{bulletin.pk}/").content.decode()
    assert "Enviar a revisión" in draft and ">Editar</a>" in draft and "Agregar foto" in draft
    anonymous = Client()
    assert anonymous.get("/boletines/").status_code == 302
    reader = Client()
    reader.force_login(pedro)
    detail = reader.get(f"/boletines/{bulletin.pk}/").content.decode()
    assert f"<h1>{bulletin.title}</h1>" in detail
    # Consulta reads: no buttons for actions it would be refused.
    assert "Enviar a revisión" not in detail and ">Editar</a>" not in detail
    assert "Agregar foto" not in detail
    assert reader.get("/boletines/nuevo/").status_code == 403
    assert reader.post(f"/boletines/{bulletin.pk}/submit/").status_code == 403
    enlace = Client()
    enlace.force_login(ricardo)
    assert enlace.get(f"/boletines/{bulletin.pk}/").status_code == 404  # other area
    transmissions = enlace.get("/boletines/transmisiones/").content.decode()
    assert "<h1>Transmisiones en vivo</h1>" in transmissions


def test_list_rows_read_as_the_model_does(jorge, mariana, make_bulletin, approved_bulletin):
    """The list prints plain values, not instances: the same label, state and date."""
    approved = approved_bulletin("Aprobado <con> marcas", kind="comunicado")
    draft = make_bulletin("Borrador sin área")
    Bulletin.objects.filter(pk=draft.pk).update(area=None)
    client = Client()
    client.force_login(mariana)
    page = client.get("/boletines/").content.decode()
    approved.refresh_from_db()
    assert f"<td>{approved.label}</td>" in page and "Comunicado (sin número)" not in page
    assert f'<a href="/boletines/{approved.pk}/">Aprobado &lt;con&gt; marcas</a>' in page
    assert '<span class="badge">Aprobado</span>' in page and "<td>05/08/2023</td>" in page
    assert "<td>Boletín (sin número)</td>" in page and "<td>—</td>" in page
    assert '<span class="badge">Borrador</span>' in page
