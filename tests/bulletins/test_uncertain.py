"""Recipients with an uncertain result: shown on the distribution page; Coordinación
decides to resend (through the SMTP server) or to mark them delivered; both audited."""

import pytest
from django.test import Client

from pregon.bulletins import distribution, tasks
from pregon.bulletins.models import DistributionRecipient
from pregon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def interrupted(smtp, approved_bulletin, press_list, mariana, django_capture_on_commit_callbacks):
    """A send where two messages were in flight when the worker died."""
    with django_capture_on_commit_callbacks(execute=True):
        sent = distribution.distribution_create(
            bulletin=approved_bulletin(), lists=[press_list("Medios locales", 3)], user=mariana
        )
        tasks.enqueue_send(sent.pk)
    first, second = sent.recipients.order_by("pk")[:2]
    DistributionRecipient.objects.filter(pk__in=[first.pk, second.pk]).update(
        status="incierto", error="El proceso de envío se interrumpió."
    )
    smtp.messages.clear()
    return sent, first, second


def test_coordinacion_resends_or_marks_delivered(
    interrupted, smtp, mariana, django_capture_on_commit_callbacks
):
    sent, first, second = interrupted
    client = Client()
    client.force_login(mariana)
    page = client.get(f"/boletines/envios/{sent.pk}/").content.decode()
    assert "Requieren una decisión" in page
    assert f"Reenviar a {first.email}" in page and "Marcar como entregado" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/boletines/envios/destinatarios/{first.pk}/reenviar/")
    assert response.status_code == 302
    assert smtp.recipients() == [first.email]
    first.refresh_from_db()
    assert first.status == "enviado"

    client.post(f"/boletines/envios/destinatarios/{second.pk}/entregado/")
    second.refresh_from_db()
    assert second.status == "enviado" and "Marcado como entregado" in second.error
    assert smtp.recipients() == [first.email]  # marking sends nothing
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"bulletins.resend", "bulletins.marked_delivered"} <= verbs
    sent.refresh_from_db()
    assert sent.finished_at is not None

    page = client.get(f"/boletines/envios/{sent.pk}/").content.decode()
    assert "Requieren una decisión" not in page
    again = client.post(f"/boletines/envios/destinatarios/{second.pk}/entregado/", follow=True)
    assert "Solo se marca como entregado" in again.content.decode()


def test_redaccion_sees_but_cannot_decide(interrupted, jorge, smtp):
    sent, first, _ = interrupted
    client = Client()
    client.force_login(jorge)
    page = client.get(f"/boletines/envios/{sent.pk}/").content.decode()
    assert "Requieren una decisión" in page and "Reenviar a" not in page
    assert client.post(f"/boletines/envios/destinatarios/{first.pk}/reenviar/").status_code == 403
    first.refresh_from_db()
    assert first.status == "incierto" and smtp.recipients() == []
