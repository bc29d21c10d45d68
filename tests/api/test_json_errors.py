"""Under /api/ every answer is JSON, also when Django itself refuses the request:
a wrong method, a body over the size limit, a body that is not JSON."""

import json

import pytest

from pregon.surveys.models import Survey


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def test_wrong_method_is_json_with_allow(api_client, mariana):
    response = api_client(mariana).put("/api/v1/publications")
    assert response.status_code == 405
    assert _json(response)["detail"] == "Método no permitido en esta dirección."
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_unknown_api_address_is_json(api_client, mariana):
    response = api_client(mariana).get("/api/v1/no-existe")
    assert response.status_code == 404 and _json(response)["detail"] == "No encontrado."


def test_oversized_body_is_a_json_413(api_client, mariana, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"title": "x" * 20_000, "slug": "grande"})
    response = api_client(mariana).post("/api/v1/surveys", body, content_type="application/json")
    assert response.status_code == 413
    assert _json(response)["detail"] == "El cuerpo de la solicitud es demasiado grande."
    assert not Survey.objects.exists()


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded"])
def test_non_json_body_is_refused_with_415(api_client, mariana, kind):
    body = json.dumps({"title": "Encuesta", "slug": "por-texto"})
    response = api_client(mariana).post("/api/v1/surveys", body, content_type=kind)
    assert response.status_code == 415
    assert "application/json" in _json(response)["detail"]
    assert not Survey.objects.exists()


def test_broken_json_is_a_spanish_400(api_client, mariana):
    response = api_client(mariana).post(
        "/api/v1/surveys", '{"title": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert _json(response)["detail"] == "El cuerpo no es JSON válido."


def test_web_pages_keep_their_html_errors(client, mariana):
    client.force_login(mariana)
    response = client.get("/no-existe/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
