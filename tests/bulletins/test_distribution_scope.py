"""Who a bulletin went to is press-directory data: a role that may read bulletins but
not the directory (Diseño, an Enlace) sees how many were sent, never the journalists'
addresses, on the page and in the API — scoped like /media-contacts."""

import pytest

from pregon.bulletins import distribution


@pytest.fixture
def sent(approved_bulletin, press_list, mariana):
    return distribution.distribution_create(
        bulletin=approved_bulletin(), lists=[press_list("Medios locales", 3)], user=mariana
    )


@pytest.fixture
def dario(person):
    """Darío is Diseño: reads bulletins, not the press directory."""
    return person("dario", "diseno", area="COMSOC", first_name="Darío")


def test_api_hides_addresses_from_roles_without_the_directory(api_client, dario, sent):
    reader = api_client(dario)
    assert reader.get("/api/v1/media-contacts").status_code == 403
    response = reader.get(f"/api/v1/distributions/{sent.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["recipients"] == [] and data["recipients_visible"] is False
    assert data["summary"]["total"] == 3
    assert "@medios.example" not in response.content.decode()


def test_api_shows_addresses_to_who_reads_the_directory(api_client, mariana, pedro, sent):
    for user in (mariana, pedro):  # Coordinación and Consulta read the directory
        data = api_client(user).get(f"/api/v1/distributions/{sent.pk}").json()
        assert data["recipients_visible"] is True
        assert len(data["recipients"]) == 3 and "@medios.example" in data["recipients"][0]["email"]


def test_page_hides_addresses(client, dario, mariana, sent):
    client.force_login(dario)
    page = client.get(f"/boletines/envios/{sent.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "@medios.example" not in content and "Diario 0" not in content
    assert "solo los ven quienes pueden consultar el directorio" in content
    client.force_login(mariana)
    assert (
        "periodista0@medios.example" in client.get(f"/boletines/envios/{sent.pk}/").content.decode()
    )
