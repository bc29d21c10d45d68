"""Writing, review and approval: numbering per year and kind, dateline, sanitising,
the veda rule, who may approve."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pregon.bulletins import services
from pregon.bulletins.models import Bulletin, BulletinCounter
from pregon.bulletins.text import dateline, spanish_date
from pregon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_dateline_uses_spanish_months_without_locale():
    assert dateline(date(2023, 8, 5)) == "Chapultepec, Estado de México, 5 de agosto de 2023.-"
    assert spanish_date(date(2023, 12, 31)) == "31 de diciembre de 2023"


def test_body_is_sanitised_and_balazos_are_one_to_three(make_bulletin):
    bulletin = make_bulletin(
        body='<p onclick="x()">Hola <script>alert(1)</script><a href="javascript:x">a</a>'
        "<strong>fuerte</strong></p><img src=x onerror=alert(1)>"
    )
    assert "script" not in bulletin.body and "onclick" not in bulletin.body
    assert "javascript" not in bulletin.body and "<img" not in bulletin.body
    assert "<strong>fuerte</strong>" in bulletin.body
    with pytest.raises(ValidationError) as exc:
        make_bulletin(balazos=[])
    assert "entre 1 y 3 balazos" in str(exc.value)
    with pytest.raises(ValidationError, match="entre 1 y 3 balazos"):
        make_bulletin(balazos=["a", "b", "c", "d"])
    with pytest.raises(ValidationError) as exc:
        make_bulletin(body="<script>solo esto</script>")
    assert "cuerpo" in str(exc.value)


def test_numbers_follow_per_year_and_kind(approved_bulletin):
    first = approved_bulletin("Uno")
    second = approved_bulletin("Dos")
    notice = approved_bulletin("Tres", kind="comunicado")
    next_year = approved_bulletin("Cuatro", dated=date(2024, 1, 2))
    assert (first.number, second.number, notice.number, next_year.number) == (1, 2, 1, 1)
    assert second.label == "Boletín 002/2023"
    assert notice.label == "Comunicado 001/2023"
    assert next_year.label == "Boletín 001/2024"


def test_number_label_is_zero_padded(approved_bulletin):
    BulletinCounter.objects.create(year=2023, kind="boletin", last=44)
    assert approved_bulletin().label == "Boletín 045/2023"


def test_only_coordinacion_approves_and_not_their_own(make_bulletin, jorge, mariana):
    bulletin = make_bulletin()
    with pytest.raises(ValidationError, match="aprobar un boletín en estado «Borrador»"):
        services.bulletin_approve(bulletin=bulletin, user=mariana)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    with pytest.raises(PermissionDenied):
        services.bulletin_approve(bulletin=bulletin, user=jorge)
    own = services.bulletin_create(
        author=mariana, title="Propio", balazos=["x"], body="<p>y</p>", dated=date(2023, 8, 5)
    )
    services.bulletin_submit(bulletin=own, user=mariana)
    with pytest.raises(PermissionDenied):
        services.bulletin_approve(bulletin=own, user=mariana)
    approved = services.bulletin_approve(bulletin=bulletin, user=mariana)
    assert approved.status == "aprobado" and approved.approved_by == mariana
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"bulletins.created", "bulletins.submitted", "bulletins.approved"} <= verbs
    with pytest.raises(ValidationError, match="editar un boletín en estado «Aprobado»"):
        services.bulletin_update(bulletin=approved, user=jorge, title="Otro")
    approved.refresh_from_db()
    assert approved.title == "Rehabilitan la calle Independencia"


def test_failed_approval_gives_the_number_back(make_bulletin, jorge, mariana, monkeypatch):
    bulletin = make_bulletin()
    services.bulletin_submit(bulletin=bulletin, user=jorge)

    def broken_log(obj, verb, **kwargs):
        if verb == "bulletins.approved":
            raise RuntimeError("disco lleno")

    monkeypatch.setattr(services, "log_action", broken_log)
    with pytest.raises(RuntimeError):
        services.bulletin_approve(bulletin=bulletin, user=mariana)
    monkeypatch.undo()
    assert not BulletinCounter.objects.filter(year=2023, kind="boletin", last__gt=0).exists()
    bulletin.refresh_from_db()
    assert bulletin.number is None and bulletin.status == "en_revision"
    assert services.bulletin_approve(bulletin=bulletin, user=mariana).number == 1


def test_veda_blocks_non_exempt_bulletin(make_bulletin, jorge, mariana):
    from pregon.compliance.models import ComplianceEvent, ElectoralPeriod

    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Proceso local",
        scope="local",
        start=today - timedelta(days=1),
        end=today + timedelta(days=3),
    )
    bulletin = make_bulletin(category="obra_publica")
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    with pytest.raises(ValidationError) as exc:
        services.bulletin_approve(bulletin=bulletin, user=mariana)
    assert "veda" in str(exc.value).lower()
    bulletin.refresh_from_db()
    assert bulletin.number is None
    assert ComplianceEvent.objects.filter(
        app_label="bulletins", object_id=str(bulletin.pk)
    ).exists()
    health = make_bulletin("Jornada de vacunación", category="salud")
    services.bulletin_submit(bulletin=health, user=jorge)
    from pregon.compliance.models import ExemptCategory

    if not ExemptCategory.objects.filter(category="salud", is_active=True).exists():
        ExemptCategory.objects.create(category="salud", reason="Salud pública")
    assert services.bulletin_approve(bulletin=health, user=mariana).number == 1


def test_enlace_sees_only_their_area(make_bulletin, ricardo, area_factory):
    from pregon.bulletins.selectors import bulletins_for

    mine = make_bulletin("De obras", area=area_factory("OPDU"))
    make_bulletin("De otra área", area=area_factory("DIF"))
    assert list(bulletins_for(ricardo)) == [mine]
    assert Bulletin.objects.count() == 2
