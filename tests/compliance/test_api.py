"""/api/v1/compliance/: the check endpoint and the rule records."""

import json

import pytest

from pregon.compliance.models import CommunicationExpense, ElectoralPeriod, PublicServant

pytestmark = pytest.mark.django_db


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_check_blocks_obra_publica_and_flags_the_mayor(api_client, jorge, veda_2023, mayor):
    client = api_client(jorge)
    body = {
        "category": "obra_publica",
        "when": "2023-05-10T10:00:00-06:00",
        "text": "Laura Amalia supervisó el bacheo",
        "institutional": True,
    }
    data = post(client, "/api/v1/compliance/check", body).json()
    assert data["allowed"] is False and data["severity"] == "block"
    assert data["rules"] == ["veda", "promocion_personal"]
    assert data["until"] == "2023-06-05"
    assert data["periods"] == ["Proceso electoral local Estado de México 2023"]
    assert data["matches"][0]["matched_text"] == "Laura Amalia"


def test_check_after_the_veda_only_flags(api_client, pedro, veda_2023, mayor):
    body = {
        "category": "salud",
        "when": "2023-06-05T09:00:00-06:00",
        "text": "La presidenta municipal visitó el centro de salud",
    }
    data = post(api_client(pedro), "/api/v1/compliance/check", body).json()
    assert data["allowed"] is True and data["severity"] == "flag"
    assert data["matches"][0]["servant"] == "Laura Amalia González Martínez"


def test_check_with_bad_input_gets_a_spanish_422(api_client, jorge):
    response = post(api_client(jorge), "/api/v1/compliance/check", {"category": "salud"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Datos inválidos."


def test_anyone_reads_periods_and_servants(api_client, ricardo, veda_2023, mayor):
    client = api_client(ricardo)
    assert client.get("/api/v1/compliance/periods").json()["items"][0]["start"] == "2023-04-03"
    servants = client.get("/api/v1/compliance/servants").json()["items"]
    assert servants[0]["aliases"] == ["Laura Amalia", "la presidenta municipal"]


def test_only_coordinacion_writes(api_client, mariana, ricardo):
    period = {"name": "Veda 2024", "scope": "local", "start": "2024-04-15", "end": "2024-06-02"}
    assert post(api_client(ricardo), "/api/v1/compliance/periods", period).status_code == 403
    assert not ElectoralPeriod.objects.exists()
    response = post(api_client(mariana), "/api/v1/compliance/periods", period)
    assert response.status_code == 201
    stored = ElectoralPeriod.objects.get()
    assert (stored.name, str(stored.start), str(stored.end)) == (
        "Veda 2024",
        "2024-04-15",
        "2024-06-02",
    )
    servant = {"name": "Ana Ruiz", "title": "Regidora", "aliases": ["la regidora"]}
    assert post(api_client(mariana), "/api/v1/compliance/servants", servant).status_code == 201
    assert PublicServant.objects.get().alias_list == ["la regidora"]
    pk = ElectoralPeriod.objects.get().pk
    assert api_client(ricardo).delete(f"/api/v1/compliance/periods/{pk}").status_code == 403
    assert api_client(mariana).delete(f"/api/v1/compliance/periods/{pk}").status_code == 204
    assert not ElectoralPeriod.objects.exists()


def test_invalid_period_is_refused_in_spanish(api_client, mariana):
    period = {"name": "Mal", "scope": "local", "start": "2024-06-02", "end": "2024-04-15"}
    response = post(api_client(mariana), "/api/v1/compliance/periods", period)
    assert response.status_code == 422
    assert response.json()["errors"]["end"] == ["El fin no puede ser anterior al inicio."]
    period = {"name": "Mal", "scope": "marciano", "start": "2024-04-02", "end": "2024-04-15"}
    assert post(api_client(mariana), "/api/v1/compliance/periods", period).status_code == 422
    assert not ElectoralPeriod.objects.exists()


def test_expenses_read_for_consulta_write_for_coordinacion(api_client, mariana, pedro, ricardo):
    expense = {
        "campaign": "Vacunación",
        "media_type": "radio",
        "supplier": "Radio Local",
        "procurement_method": "adjudicacion",
        "amount": "1500.25",
        "start_date": "2023-02-01",
        "end_date": "2023-02-28",
    }
    assert post(api_client(pedro), "/api/v1/compliance/expenses", expense).status_code == 403
    assert post(api_client(mariana), "/api/v1/compliance/expenses", expense).status_code == 201
    assert str(CommunicationExpense.objects.get().amount) == "1500.25"
    assert (
        api_client(pedro).get("/api/v1/compliance/expenses").json()["items"][0]["amount"]
        == "1500.25"
    )
    assert api_client(ricardo).get("/api/v1/compliance/expenses").status_code == 403
