"""Priority: explained scores, tiers from data, audited overrides, the queue."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pregon.agenda import services
from pregon.agenda.models import Campaign, PriorityRule, PriorityRuleSet, Tier
from pregon.core.models import AuditEntry
from tests.agenda.conftest import local


def _labels(activity) -> dict:
    return {t["label"]: t["points"] for t in activity.priority_terms}


def test_score_is_the_sum_of_the_terms_that_apply(make_activity):
    campaign = Campaign.objects.create(name="Jornadas de Salud")
    activity = make_activity(
        "Inauguración de clínica",
        start=local(2023, 5, 10, 11),
        type="inauguracion_obra",
        with_mayor=True,
        expected_attendance=600,
        public_interest=True,
        campaign=campaign,
    )
    assert _labels(activity) == {
        "Con la Presidenta Municipal": 40,
        "Tipo: Inauguración de obra": 30,
        "Asistencia esperada de 100 personas o más": 10,
        "Asistencia esperada de 500 personas o más": 10,
        "Interés público": 20,
        "Parte de una campaña": 10,
        "Primera de su tipo en el mes": 10,
    }
    assert activity.priority_score == 130
    assert activity.tier == Tier.A


def test_novelty_only_for_the_first_of_its_type_in_the_month(make_activity):
    first = make_activity("Primera", start=local(2023, 5, 3, 10), type="gira")
    second = make_activity("Segunda", start=local(2023, 5, 20, 10), type="gira")
    other_month = make_activity("Junio", start=local(2023, 6, 1, 10), type="gira")
    first.refresh_from_db()
    assert "Primera de su tipo en el mes" in _labels(first)
    assert "Primera de su tipo en el mes" not in _labels(second)
    assert "Primera de su tipo en el mes" in _labels(other_month)
    assert (first.priority_score, second.priority_score) == (30, 20)
    assert second.tier == Tier.C and first.tier == Tier.B


def test_private_work_meeting_is_tier_c(make_activity):
    meeting = make_activity("Reunión", type="reunion_trabajo", is_public=False)
    assert meeting.tier == Tier.C


def test_override_needs_a_reason_and_is_audited(mariana, make_activity):
    activity = make_activity("Reunión", type="reunion_trabajo")
    with pytest.raises(ValidationError):
        services.override_priority(activity=activity, tier="A", reason="  ", user=mariana)
    services.override_priority(
        activity=activity, tier="A", reason="Anuncio de programa estatal", user=mariana
    )
    activity.refresh_from_db()
    assert activity.tier == Tier.A and activity.priority_tier == Tier.C
    entry = AuditEntry.objects.get(verb="agenda.priority_overridden")
    assert entry.actor == mariana
    assert entry.data == {"from": "C", "to": "A", "reason": "Anuncio de programa estatal"}


def test_only_coordinacion_overrides(ricardo, jorge, make_activity):
    activity = make_activity("Obra")
    for user in (ricardo, jorge):
        with pytest.raises(PermissionDenied):
            services.override_priority(activity=activity, tier="A", reason="x", user=user)


def test_override_through_the_page(client, mariana, make_activity):
    activity = make_activity("Reunión", type="reunion_trabajo")
    client.force_login(mariana)
    response = client.post(
        f"/agenda/actividad/{activity.pk}/prioridad/", {"tier": "B", "reason": "Tema sensible"}
    )
    assert response.status_code == 302
    page = client.get(f"/agenda/actividad/{activity.pk}/").content.decode()
    assert "Ajuste manual a nivel B: Tema sensible" in page
    assert "Prioridad: nivel B" in page


def test_coordinacion_edits_rules_in_the_ui_and_everything_is_rescored(
    client, mariana, make_activity
):
    activity = make_activity("Torneo", type="evento_publico", area="IMCUFIDEC")
    assert activity.priority_score == 25  # type 15 + novelty 10
    rule_set = PriorityRuleSet.objects.get(is_active=True)
    rules = list(rule_set.rules.all())
    client.force_login(mariana)
    data = {
        "name": rule_set.name,
        "tier_a_min": 50,
        "tier_b_min": 20,
        "rules-TOTAL_FORMS": len(rules) + 1,
        "rules-INITIAL_FORMS": len(rules),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for i, rule in enumerate(rules):
        data.update(
            {
                f"rules-{i}-id": rule.pk,
                f"rules-{i}-criterion": rule.criterion,
                f"rules-{i}-value": rule.value,
                f"rules-{i}-points": rule.points,
            }
        )
    new = len(rules)
    data.update(
        {
            f"rules-{new}-criterion": "area",
            f"rules-{new}-value": "IMCUFIDEC",
            f"rules-{new}-points": 30,
        }
    )
    response = client.post("/agenda/jerarquizacion/reglas/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.priority_score == 55
    assert activity.tier == Tier.A
    assert _labels(activity)["Área: IMCUFIDEC"] == 30
    assert AuditEntry.objects.filter(verb="agenda.rules_changed", actor=mariana).exists()


def test_rules_page_is_read_only_for_others(client, jorge, ricardo):
    rule_set = PriorityRuleSet.objects.get(is_active=True)
    before = (list(rule_set.rules.values_list("criterion", "value", "points")), rule_set.tier_a_min)
    attempt = {
        "name": rule_set.name,
        "tier_a_min": 1,
        "tier_b_min": 0,
        "rules-TOTAL_FORMS": 1,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
        "rules-0-criterion": "area",
        "rules-0-value": "OPDU",
        "rules-0-points": 90,
    }
    for user in (ricardo, jorge):
        client.force_login(user)
        assert client.get("/agenda/jerarquizacion/reglas/").status_code == 403
        assert client.post("/agenda/jerarquizacion/reglas/", attempt).status_code == 403
    rule_set.refresh_from_db()
    after = (list(rule_set.rules.values_list("criterion", "value", "points")), rule_set.tier_a_min)
    assert after == before
    assert not PriorityRule.objects.filter(value="OPDU", points=90).exists()


def test_queue_orders_by_tier_then_date(client, mariana, make_activity):
    now = timezone.now()
    low_early = make_activity(
        "Baja temprano", start=now + timedelta(days=1), type="reunion_trabajo"
    )
    high_late = make_activity(
        "Alta tarde", start=now + timedelta(days=5), type="inauguracion_obra", with_mayor=True
    )
    high_early = make_activity(
        "Alta temprano", start=now + timedelta(days=2), type="cabildo_solemne", with_mayor=True
    )
    make_activity("Muy lejana", start=now + timedelta(days=90))
    client.force_login(mariana)
    response = client.get("/agenda/jerarquizacion/")
    rows = [row.title for row in response.context["rows"]]
    assert rows == [high_early.title, high_late.title, low_early.title]
    assert "Sin cobertura" in response.content.decode()


def test_changing_type_rescores_the_old_neighbours(mariana, make_activity):
    first = make_activity("Primera", start=local(2023, 5, 3, 10), type="gira")
    second = make_activity("Segunda", start=local(2023, 5, 20, 10), type="gira")
    services.activity_update(activity=first, user=mariana, type="otro")
    second.refresh_from_db()
    assert "Primera de su tipo en el mes" in _labels(second)
    assert first.priority_terms == [{"label": "Primera de su tipo en el mes", "points": 10}]
