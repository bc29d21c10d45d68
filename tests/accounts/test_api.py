import json

from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

from pregon.accounts.models import ApiToken


def test_me_with_bearer_token(api_client, ricardo):
    response = api_client(ricardo).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "ricardo"
    assert body["roles"] == ["Enlace de área"]
    assert body["area"]["short_name"] == "OPDU"


def test_areas_listed(api_client, pedro, area_factory):
    area_factory("SMDIF", "Sistema Municipal DIF")
    area_factory("OBSOLETA", "Dirección suprimida", is_active=False)
    response = api_client(pedro).get("/api/v1/areas")
    assert response.status_code == 200
    names = {a["short_name"]: a["name"] for a in response.json()["items"]}
    assert names["SMDIF"] == "Sistema Municipal DIF"
    assert "CONT" in names  # Pedro's own area
    assert "OBSOLETA" not in names  # an area no longer in use is not offered


def test_token_command_prints_usable_token_and_revoke_works(client, mariana, capsys):
    call_command("token", "mariana")
    raw = capsys.readouterr().out.strip()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert ApiToken.objects.filter(digest=ApiToken.hash(raw)).exists()
    assert raw not in json.dumps(list(ApiToken.objects.values("prefix", "digest")))
    call_command("token", "--revoke", raw[:12])
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401


def test_unknown_token_rejected(client, db):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer pgn_nada"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Se requiere autenticación: envíe un token válido."


def test_inactive_user_token_rejected(api_client, jorge):
    c = api_client(jorge)
    jorge.is_active = False
    jorge.save()
    assert c.get("/api/v1/me").status_code == 401


def test_openapi_document_validates(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert "/api/v1/me" in spec["paths"] and "/api/v1/areas" in spec["paths"]


def test_api_validation_errors_in_spanish(api_client, mariana):
    client = api_client(mariana)
    bad = client.get("/api/v1/activities", {"start": "ayer"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["detail"] == "Datos inválidos."
    assert body["errors"] == [
        {"campo": "query.start", "problema": "Debe ser una fecha y hora (AAAA-MM-DDTHH:MM)."}
    ]
    # An unknown API path answers JSON like every other API error; pages stay HTML.
    missing = client.get("/api/v1/no-existe")
    assert missing.status_code == 404 and missing.json() == {"detail": "No encontrado."}
    page = client.get("/no-existe/")
    assert page.status_code == 404 and "Página no encontrada" in page.content.decode()


def test_api_problems_in_spanish_for_each_kind(api_client, mariana):
    from pregon.api import _problem

    assert _problem({"type": "missing"}) == "Falta este dato."
    assert _problem({"type": "string_too_long", "ctx": {"max_length": 200}}) == (
        "Debe tener como máximo 200 caracteres."
    )
    assert _problem({"type": "greater_than_equal", "ctx": {"ge": 1}}) == (
        "Debe ser mayor o igual que 1."
    )
    assert _problem({"type": "enum", "ctx": {"expected": "'a' o 'b'"}}) == (
        "Valor no permitido; use uno de: 'a' o 'b'."
    )
    assert _problem({"type": "something_new", "msg": "English text"}) == "Valor no válido."
    # Through the API: a missing required field in a body.
    created = api_client(mariana).post(
        "/api/v1/publications", {"text": "Sin título"}, content_type="application/json"
    )
    assert created.status_code == 422
    assert {"campo": "body.payload.title", "problema": "Falta este dato."} in (
        created.json()["errors"]
    )


def test_token_page_creates_once_and_revokes(client, jorge):
    client.force_login(jorge)
    response = client.post("/cuenta/tokens/", {"name": "tablero"})
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert raw not in client.get("/cuenta/tokens/").content.decode()  # shown only once
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    token = ApiToken.objects.get(user=jorge)
    client.post(f"/cuenta/tokens/{token.pk}/revocar/")
    assert Client().get("/api/v1/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(client, jorge, pedro):
    token, _ = ApiToken.issue(pedro, "suyo")
    client.force_login(jorge)
    assert client.post(f"/cuenta/tokens/{token.pk}/revocar/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
