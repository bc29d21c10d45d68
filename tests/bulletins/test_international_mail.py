"""Press addresses with accents (RFC 6531) and international domains (IDNA): sent
with SMTPUTF8 where the server offers it, refused at entry otherwise, never mangled."""

from email import message_from_bytes, policy

import pytest
from django.test import Client

from pregon.bulletins import distribution, tasks
from pregon.bulletins.models import DistributionRecipient, MediaContact, MediaList

WIDE = "josé.pérez@periódico.mx"
WIDE_SENT = "josé.pérez@xn--peridico-y3a.mx"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            sent = distribution.distribution_create(**kwargs)
            tasks.enqueue_send(sent.pk)
        return sent

    return run


def add_contact(client: Client, email: str):
    return client.post(
        "/api/v1/media-contacts",
        {"outlet": "Periódico Regional", "person": "José Pérez", "email": email},
        content_type="application/json",
    )


def test_accented_mailbox_refused_at_entry_without_smtputf8(settings, api_client, mariana):
    settings.PREGON_SMTPUTF8 = False
    response = add_contact(api_client(mariana), WIDE)
    assert response.status_code == 422
    assert "SMTPUTF8" in response.content.decode() and "antes de la @" in response.content.decode()
    assert not MediaContact.objects.exists()
    from django.core.exceptions import ValidationError

    from pregon.bulletins import directory

    csv = f"medio,nombre,correo\nPeriódico Regional,José Pérez,{WIDE}\n"
    with pytest.raises(ValidationError) as refused:
        directory.parse(csv)
    assert any("Línea 2, campo «correo»" in e and "SMTPUTF8" in e for e in refused.value.messages)
    assert not MediaContact.objects.exists()


def test_international_domain_alone_needs_no_smtputf8(smtp, send, approved_bulletin, mariana):
    contact = MediaContact.objects.create(outlet="Diario", person="Ana", email="ana@periódico.mx")
    local = MediaList.objects.create(name="Regionales")
    contact.lists.add(local)
    send(bulletin=approved_bulletin(), lists=[local], user=mariana)
    assert smtp.recipients() == ["ana@xn--peridico-y3a.mx"]
    assert not any("SMTPUTF8" in o for o in smtp.mail_options[0])  # plain SMTP was enough


def test_accented_mailbox_sent_with_smtputf8(
    settings, smtp_utf8, send, approved_bulletin, api_client, mariana
):
    settings.PREGON_SMTPUTF8 = True
    assert add_contact(api_client(mariana), WIDE).status_code == 201
    contact = MediaContact.objects.get()
    local = MediaList.objects.create(name="Regionales")
    contact.lists.add(local)
    send(bulletin=approved_bulletin(), lists=[local], user=mariana)
    assert smtp_utf8.recipients() == [WIDE_SENT]
    assert "SMTPUTF8" in smtp_utf8.mail_options[0]
    raw = smtp_utf8.messages[0][1]
    message = message_from_bytes(raw, policy=policy.SMTPUTF8)
    assert message["To"] == WIDE_SENT  # raw UTF-8, not «=?utf-8?…?=@…»
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n", 1)[0].lower().split(b"\nto:")[-1][:80]
    assert DistributionRecipient.objects.get().status == "enviado"


def test_server_without_smtputf8_fails_that_recipient_with_the_reason(
    settings, smtp, send, approved_bulletin, mariana
):
    settings.PREGON_SMTPUTF8 = True  # configured, but this server does not offer it
    contact = MediaContact.objects.create(outlet="Diario", person="José", email=WIDE)
    plain = MediaContact.objects.create(outlet="Diario", person="Ana", email="ana@diario.mx")
    local = MediaList.objects.create(name="Regionales")
    local.contacts.add(contact, plain)
    send(bulletin=approved_bulletin(), lists=[local], user=mariana)
    assert smtp.recipients() == ["ana@diario.mx"]
    failed = DistributionRecipient.objects.get(email=WIDE)
    assert failed.status != "enviado" and "SMTPUTF8" in failed.error
