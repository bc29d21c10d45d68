"""Campaigns: Coordinación lists, creates and edits them; each shows its activities;
the API offers the same with the same permissions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pregon.agenda import services
from pregon.agenda.models import Campaign
from pregon.core.models import AuditEntry
from tests.agenda.conftest import local

JSON = "application/json"


@pytest.fixture
def salud(db):
    return Campaign.objects.create(
        name="Jornadas de Salud 2023",
        description="Vacunación y detección oportuna.",
        starts_on=date(2023, 3, 1),
        ends_on=date(2023, 5, 31),
    )


def test_coordinacion_creates_and_edits_from_the_pages(client, mariana):
    client.force_login(mariana)
    listing = client.get("/agenda/campanas/").content.decode()
    assert 'href="/agenda/campanas/nueva/"' in listing
    response = client.post(
        "/agenda/campanas/nueva/",
        {
            "name": "Protección Civil en tu colonia",
            "description": "Simulacros y pláticas.",
            "starts_on": "2023-09-01",
            "ends_on": "2023-09-30",
        },
    )
    campaign = Campaign.objects.get(name="Protección Civil en tu colonia")
    assert response.url == f"/agenda/campanas/{campaign.pk}/"
    assert AuditEntry.objects.filter(verb="agenda.campaign_created").exists()
    client.post(
        f"/agenda/campanas/{campaign.pk}/editar/",
        {"name": campaign.name, "description": "Otra", "starts_on": "2023-09-02", "ends_on": ""},
    )
    campaign.refresh_from_db()
    assert (campaign.description, campaign.starts_on, campaign.ends_on) == (
        "Otra",
        date(2023, 9, 2),
        None,
    )


def test_bad_dates_are_refused_with_a_message(client, mariana, salud):
    client.force_login(mariana)
    response = client.post(
        f"/agenda/campanas/{salud.pk}/editar/",
        {"name": salud.name, "starts_on": "2023-05-01", "ends_on": "2023-04-01"},
    )
    assert response.status_code == 200
    assert "La fecha de fin no puede ser anterior a la de inicio." in response.content.decode()
    salud.refresh_from_db()
    assert salud.starts_on == date(2023, 3, 1)
    with pytest.raises(ValidationError):
        services.campaign_create(
            user=mariana, name="X", starts_on=date(2023, 2, 1), ends_on=date(2023, 1, 1)
        )


def test_campaign_page_lists_its_activities(client, mariana, ricardo, salud, make_activity):
    make_activity("Vacunación en San Isidro", start=local(2023, 3, 4, 9), campaign=salud)
    make_activity("Feria de la salud", start=local(2023, 3, 11, 9), campaign=salud, area="SMDIF")
    make_activity("Sin campaña", start=local(2023, 3, 5, 9))
    client.force_login(mariana)
    page = client.get(f"/agenda/campanas/{salud.pk}/").content.decode()
    assert "Vacunación en San Isidro" in page and "Feria de la salud" in page
    assert "Sin campaña" not in page
    assert "Actividades de la campaña (2)" in page
    # An Enlace sees the campaign but only his area's activities; he cannot edit it.
    client.force_login(ricardo)
    page = client.get(f"/agenda/campanas/{salud.pk}/").content.decode()
    assert "Vacunación en San Isidro" in page and "Feria de la salud" not in page
    assert "Editar campaña" not in page
    assert client.get("/agenda/campanas/nueva/").status_code == 403
    assert client.post(f"/agenda/campanas/{salud.pk}/editar/", {"name": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.campaign_create(user=ricardo, name="Propia")


def test_nav_links_to_campaigns(client, mariana):
    client.force_login(mariana)
    assert 'href="/agenda/campanas/"' in client.get("/agenda/").content.decode()


def test_campaign_api(api_client, mariana, ricardo, salud, make_activity):
    make_activity("Vacunación", start=local(2023, 3, 4, 9), campaign=salud)
    api = api_client(mariana)
    listed = api.get("/api/v1/campaigns").json()["items"]
    assert [(c["name"], c["activity_count"]) for c in listed] == [("Jornadas de Salud 2023", 1)]
    created = api.post(
        "/api/v1/campaigns",
        content_type=JSON,
        data={"name": "Deporte para todos", "starts_on": "2023-06-01", "ends_on": "2023-08-31"},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = api.patch(
        f"/api/v1/campaigns/{pk}", content_type=JSON, data={"description": "Ligas municipales"}
    )
    assert patched.json()["description"] == "Ligas municipales"
    bad = api.patch(f"/api/v1/campaigns/{pk}", content_type=JSON, data={"ends_on": "2023-01-01"})
    assert bad.status_code == 422
    assert "anterior a la de inicio" in bad.json()["errors"]["ends_on"][0]
    detail = api.get(f"/api/v1/campaigns/{salud.pk}").json()
    assert [a["title"] for a in detail["activities"]] == ["Vacunación"]
    assert (
        api_client(ricardo)
        .post("/api/v1/campaigns", content_type=JSON, data={"name": "X"})
        .status_code
        == 403
    )


def test_activity_api_refuses_unknown_campaign(api_client, mariana, salud, area_factory):
    area_factory("OPDU")
    api = api_client(mariana)
    body = {
        "title": "Arranque",
        "starts_at": "2023-03-02T10:00:00-06:00",
        "ends_at": "2023-03-02T11:00:00-06:00",
        "area": "OPDU",
    }
    bad = api.post("/api/v1/activities", content_type=JSON, data={**body, "campaign": "Inventada"})
    assert bad.status_code == 422
    assert bad.json()["errors"]["campaign"] == ["No existe la campaña «Inventada»."]
    assert not Campaign.objects.filter(name="Inventada").exists()
    ok = api.post("/api/v1/activities", content_type=JSON, data={**body, "campaign": salud.name})
    assert ok.json()["campaign"] == salud.name
