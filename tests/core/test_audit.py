from pregon.core.audit import MASK, log_action
from pregon.core.models import AuditEntry


def test_log_action_records_who_what_and_masks_secrets(mariana):
    entry = log_action(
        mariana,
        "publishing.channel_saved",
        user=mariana,
        data={
            "name": "Facebook",
            "access_token": "EAAB-secret",
            "nested": {"password": "x"},
            "items": [{"api_key": "k"}],
        },
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == mariana
    assert stored.verb == "publishing.channel_saved"
    assert stored.object_type == "accounts.user"
    assert stored.data == {
        "name": "Facebook",
        "access_token": MASK,
        "nested": {"password": MASK},
        "items": [{"api_key": MASK}],
    }


def test_coordinacion_browses_and_filters_audit_log(client, mariana, ricardo):
    log_action(ricardo, "agenda.activity_created", user=ricardo)
    log_action(mariana, "publishing.approved", user=mariana)
    client.force_login(mariana)
    response = client.get("/cuenta/bitacora/", {"accion": "approved"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "publishing.approved" in content
    assert "agenda.activity_created" not in content


def test_enlace_cannot_browse_audit_log(client, ricardo):
    client.force_login(ricardo)
    response = client.get("/cuenta/bitacora/")
    assert response.status_code == 403
    assert "No tiene permiso" in response.content.decode()
