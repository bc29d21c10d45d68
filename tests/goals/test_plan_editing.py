"""Another municipality's plan is configured through forms, not coded."""

from django.test import Client

from pregon.core.models import AuditEntry
from pregon.goals.models import Indicator, Plan


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_coordinacion_configures_a_plan(mariana):
    c = client_for(mariana)
    response = c.post(
        "/metas/planes/nuevo/",
        {
            "municipality": "Tenango del Valle",
            "year": 2024,
            "title": "Plan 2024",
            "objectives": "x",
        },
    )
    plan = Plan.objects.get(municipality="Tenango del Valle")
    assert response.status_code == 302
    data = {
        "code": "V1",
        "name": "Visitas a trámites",
        "formula_kind": "count",
        "numerator": "portal_visits",
        "denominator": "",
        "filters": '{"purpose": "tramites"}',
        "frequency": "monthly",
        "target": "1000",
        "unit": "visitas",
        "order": 0,
    }
    assert c.post(f"/metas/planes/{plan.pk}/indicadores/nuevo/", data).status_code == 302
    indicator = Indicator.objects.get(plan=plan, code="V1")
    assert indicator.filters == {"purpose": "tramites"}
    assert AuditEntry.objects.filter(verb="goals.indicator_created").exists()
    page = c.get(f"/metas/planes/{plan.pk}/").content.decode()
    assert "Visitas a trámites" in page and "purpose=tramites" in page
    data["target"] = "1200"
    c.post(f"/metas/planes/{plan.pk}/indicadores/{indicator.pk}/", data)
    indicator.refresh_from_db()
    assert indicator.target == 1200
    c.post(f"/metas/planes/{plan.pk}/indicadores/{indicator.pk}/eliminar/")
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_invalid_indicator_explains_and_saves_nothing(mariana):
    plan = Plan.objects.create(municipality="M", year=2024, title="P")
    data = {
        "code": "R1",
        "name": "Cobertura",
        "formula_kind": "ratio",
        "numerator": "activities_published",
        "denominator": "",
        "filters": '{"colonia": "Centro"}',
        "frequency": "annual",
        "target": "80",
        "order": 0,
    }
    response = client_for(mariana).post(f"/metas/planes/{plan.pk}/indicadores/nuevo/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "necesita denominador" in errors["denominator"][0]
    assert "Filtro desconocido: colonia" in errors["filters"][0]
    assert not Indicator.objects.exists()


def test_growth_needs_a_baseline(mariana):
    plan = Plan.objects.create(municipality="M", year=2024, title="P")
    data = {
        "code": "G1",
        "name": "Seguidores",
        "formula_kind": "growth",
        "numerator": "followers",
        "filters": "{}",
        "frequency": "annual",
        "target": "10",
        "order": 0,
    }
    response = client_for(mariana).post(f"/metas/planes/{plan.pk}/indicadores/nuevo/", data)
    assert "línea base" in response.context["form"].errors["baseline"][0]


def test_readers_cannot_edit(pedro, ricardo):
    plan = Plan.objects.create(municipality="M", year=2024, title="P")
    for user in (pedro, ricardo):
        c = client_for(user)
        assert c.get(f"/metas/planes/{plan.pk}/editar/").status_code == 403
        assert c.post(f"/metas/planes/{plan.pk}/indicadores/nuevo/", {}).status_code == 403
        assert c.post(f"/metas/planes/{plan.pk}/editar/", {"title": "Otro"}).status_code == 403
    plan.refresh_from_db()
    assert plan.title == "P" and not plan.indicators.exists()
    page = client_for(pedro).get(f"/metas/planes/{plan.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Editar plan" not in html and "Agregar indicador" not in html


def test_followers_baseline_says_which_accounts_it_covers(mariana):
    plan = Plan.objects.create(municipality="M", year=2024, title="P")
    data = {
        "code": "A1",
        "name": "Seguidores",
        "formula_kind": "growth",
        "numerator": "followers",
        "filters": "{}",
        "frequency": "semiannual",
        "target": "10",
        "baseline": "6900",
        "order": 0,
    }
    url = f"/metas/planes/{plan.pk}/indicadores/nuevo/"
    errors = client_for(mariana).post(url, data).context["form"].errors
    assert "qué cuentas cubre" in errors["baseline_scope"][0]
    errors = client_for(mariana).post(url, {**data, "baseline_scope": "una"}).context["form"].errors
    assert "Elija la cuenta" in errors["baseline_account"][0]
    data.update(baseline_scope="institucional", baseline_date="2024-01-01")
    assert client_for(mariana).post(url, data).status_code == 302
    saved = Indicator.objects.get(plan=plan, code="A1")
    assert saved.baseline_scope == "institucional" and str(saved.baseline_date) == "2024-01-01"
