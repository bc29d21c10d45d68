"""The bulletins API: CRUD, workflow, PDF, the directory and distribution status."""

import pytest

from pregon.bulletins.models import MediaList

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Arranca el programa de bacheo",
    "dated": "2023-03-14",
    "balazos": ["Se atenderán 120 calles"],
    "body": "<p>Texto <script>x</script>del boletín.</p>",
    "category": "obra_publica",
}


def test_crud_and_workflow(api_client, jorge, mariana, pedro):
    writer, boss = api_client(jorge), api_client(mariana)
    created = writer.post("/api/v1/bulletins", NEW, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["label"] == "Boletín (sin número)" and "script" not in data["body"]
    pk = data["id"]
    bad = writer.patch(f"/api/v1/bulletins/{pk}", {"balazos": []}, content_type="application/json")
    assert bad.status_code == 422 and "balazos" in bad.content.decode()
    edited = writer.patch(
        f"/api/v1/bulletins/{pk}", {"title": "Arranca el bacheo"}, content_type="application/json"
    )
    assert edited.json()["title"] == "Arranca el bacheo"
    assert writer.post(f"/api/v1/bulletins/{pk}/submit").json()["status"] == "en_revision"
    assert writer.post(f"/api/v1/bulletins/{pk}/approve").status_code == 403
    approved = boss.post(f"/api/v1/bulletins/{pk}/approve").json()
    assert approved["label"] == "Boletín 001/2023" and approved["number"] == 1
    pdf = boss.get(f"/api/v1/bulletins/{pk}/pdf?paper=a4")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        api_client(pedro)
        .post("/api/v1/bulletins", NEW, content_type="application/json")
        .status_code
        == 403
    )
    assert api_client().get("/api/v1/bulletins").status_code == 401
    assert writer.delete(f"/api/v1/bulletins/{pk}").status_code == 422  # approved stays


def test_directory_and_distribution_status(api_client, mariana, approved_bulletin, smtp):
    client = api_client(mariana)
    media_list = client.post(
        "/api/v1/media-lists", {"name": "Medios locales"}, content_type="application/json"
    )
    assert media_list.status_code == 201
    list_id = media_list.json()["id"]
    contact = client.post(
        "/api/v1/media-contacts",
        {"outlet": "Diario", "person": "Ana", "email": "ana@diario.example", "lists": [list_id]},
        content_type="application/json",
    )
    assert contact.status_code == 201 and contact.json()["lists"] == [list_id]
    imported = client.post(
        "/api/v1/media-contacts/import",
        {"csv": "medio,nombre,correo,listas\nRadio,Luis,luis@radio.example,Medios locales\n"},
        content_type="application/json",
    )
    assert imported.json()["created"] == 1
    assert MediaList.objects.get(name="Medios locales").contacts.count() == 2
    bulletin = approved_bulletin()
    sent = client.post(
        f"/api/v1/bulletins/{bulletin.pk}/distributions",
        {"lists": [list_id]},
        content_type="application/json",
    )
    assert sent.status_code == 201
    status = client.get(f"/api/v1/distributions/{sent.json()['id']}").json()
    assert status["summary"]["total"] == 2
    assert {r["email"] for r in status["recipients"]} == {
        "ana@diario.example",
        "luis@radio.example",
    }
    bad = client.post(
        "/api/v1/media-contacts/import",
        {"csv": "medio,nombre,correo\nRadio,,x\n"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "Línea 2" in str(bad.json())


def test_openapi_document_is_valid_and_lists_bulletin_paths(client):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    for path in ("/api/v1/bulletins/{pk}/approve", "/api/v1/distributions/{pk}"):
        assert path in spec["paths"]
