"""The compliance event log, its audit mirror and the period page."""

import pytest

from pregon.compliance.models import ComplianceEvent
from pregon.compliance.rules import check_blackout
from pregon.compliance.services import record_event, record_verdict
from pregon.core.models import AuditEntry
from tests.compliance.conftest import mx

pytestmark = pytest.mark.django_db


def test_record_event_writes_the_log_and_the_audit(jorge):
    event = record_event(
        "blocked",
        app_label="publishing",
        object_id=7,
        object_label="Publicación: Bacheo en la colonia Centro",
        rule="veda",
        message="Bloqueada por veda",
        user=jorge,
        item_date=mx(2023, 5, 10),
    )
    assert event.get_kind_display() == "Bloqueado" and event.user == jorge
    audit = AuditEntry.objects.get(verb="compliance.blocked")
    assert audit.actor == jorge
    assert audit.data["app"] == "publishing" and audit.data["object_id"] == "7"


def test_record_verdict_logs_blocks_and_exemptions(veda_2023):
    blocked = check_blackout("obra_publica", mx(2023, 5, 10))
    [event] = record_verdict(blocked, app_label="bulletins", object_id=1, object_label="Boletín")
    assert event.kind == "blocked" and event.rule == "veda"
    exempt = check_blackout("salud", mx(2023, 5, 10))
    [event] = record_verdict(exempt, app_label="publishing", object_id=2, object_label="Vacunas")
    assert event.kind == "exempted" and "exenta" in event.message
    overridden = record_verdict(
        blocked, app_label="publishing", object_id=3, object_label="X", overridden=True
    )
    assert overridden[0].kind == "overridden"
    assert (
        record_verdict(
            check_blackout("cultura", mx(2023, 8, 1)), app_label="p", object_id=4, object_label="Y"
        )
        == []
    )
    assert AuditEntry.objects.filter(verb__startswith="compliance.").count() == 3


def test_page_lists_the_period_blocked_and_flagged_items(client, mariana, veda_2023):
    record_event(
        "blocked",
        app_label="publishing",
        object_id=1,
        object_label="Bacheo Centro",
        rule="veda",
        message="Bloqueada por veda",
        item_date=mx(2023, 5, 10),
    )
    record_event(
        "flagged",
        app_label="design",
        object_id=2,
        object_label="Cartel feria",
        rule="promocion_personal",
        message="Menciona a Laura Amalia",
        item_date=mx(2023, 4, 20),
    )
    record_event(
        "blocked",
        app_label="publishing",
        object_id=3,
        object_label="Fuera del periodo",
        rule="veda",
        message="otro",
        item_date=mx(2023, 8, 1),
    )
    client.force_login(mariana)
    page = client.get(f"/cumplimiento/?periodo={veda_2023.pk}").content.decode()
    assert "Bacheo Centro" in page and "Cartel feria" in page
    assert "Fuera del periodo" not in page
    assert ComplianceEvent.objects.count() == 3


def test_page_check_form_shows_the_verdict(client, jorge, veda_2023):
    client.force_login(jorge)
    page = client.get(
        "/cumplimiento/",
        {"category": "obra_publica", "when": "2023-05-10T10:00", "text": "", "institutional": "on"},
    ).content.decode()
    assert "Bloqueada por veda electoral" in page
    assert "5 de junio de 2023" in page


def test_home_shows_the_veda_in_force(client, mariana, pedro):
    from datetime import timedelta

    from django.utils import timezone

    from pregon.compliance.models import ElectoralPeriod

    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Veda en curso", scope="local", start=today - timedelta(days=1), end=today
    )
    record_event(
        "blocked",
        app_label="publishing",
        object_id=9,
        object_label="Bacheo Norte",
        rule="veda",
        message="Bloqueada",
        item_date=timezone.now(),
    )
    client.force_login(mariana)
    page = client.get("/").content.decode()
    assert "Veda electoral en curso: Veda en curso" in page and "Bacheo Norte" in page


def test_record_verdict_keeps_each_rule_severity(veda_2023, mayor):
    from pregon.compliance.rules import check_publication, check_video_captions
    from pregon.compliance.verdict import combine

    verdict = combine(
        check_publication("salud", mx(2023, 5, 10), "Laura Amalia vacunó", True),
        check_video_captions(False, "Sin diálogos"),
    )
    events = record_verdict(verdict, app_label="publishing", object_id=5, object_label="Z")
    assert [(e.rule, e.kind) for e in events] == [
        ("veda_exenta", "exempted"),
        ("promocion_personal", "blocked"),
        ("subtitulos", "exempted"),
    ]
    assert events[2].message == "El video va sin subtítulos: Sin diálogos"
