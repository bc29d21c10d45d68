"""E-mail distribution through a real SMTP server on 127.0.0.1: one message per
recipient, PDF attached, photos linked, unsubscribe honoured, never twice — also when
the worker dies mid-send and another one picks the job up."""

import pytest
from django.core.management import call_command
from django.test import Client

from pregon.bulletins import distribution, services, tasks
from pregon.bulletins.models import DistributionRecipient, MediaContact

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Create a distribution and let its on-commit job run (inline task backend)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            sent = distribution.distribution_create(**kwargs)
            tasks.enqueue_send(sent.pk)
        return sent

    return run


def test_each_recipient_gets_one_message_with_pdf_and_links(
    smtp, send, make_bulletin, press_list, mariana, photo_asset, jorge
):
    bulletin = make_bulletin()
    services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    bulletin = services.bulletin_approve(bulletin=bulletin, user=mariana)
    local = press_list("Medios locales", 4)
    sent = send(bulletin=bulletin, lists=[local], user=mariana)
    assert sorted(smtp.recipients()) == sorted(c.email for c in local.contacts.all())
    message = smtp.parsed()[0]
    assert message["Subject"].strip() == "Boletín 001/2023: Rehabilitan la calle Independencia"
    assert message["List-Unsubscribe"].strip().startswith("<http")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Chapultepec, Estado de México, 5 de agosto de 2023.-" in text
    assert "/boletines/sala-de-prensa/fotos/" in text and "/boletines/sala-de-prensa/fotos/" in html
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")
    assert attachments[0].get_filename() == "Boletín-001-2023.pdf"
    sent.refresh_from_db()
    summary = distribution.status_summary(sent)
    assert summary["enviado"] == 4 and summary["finished"]


def test_unsubscribe_link_is_honoured(smtp, send, approved_bulletin, press_list, mariana):
    local = press_list("Medios locales", 3)
    send(bulletin=approved_bulletin("Uno"), lists=[local], user=mariana)
    text = smtp.parsed()[0].get_body(("plain",)).get_content()
    link = next(w for w in text.split() if "/boletines/baja/" in w)
    path = link[link.index("/boletines/baja/") :]
    client = Client()
    gone = MediaContact.objects.get(email=smtp.recipients()[0])
    asked = client.get(path).content.decode()
    assert "Darme de baja" in asked and f"¿Dejar de recibir boletines en {gone.email}?" in asked
    done = client.post(path).content.decode()
    assert f"Listo: {gone.email} ya no recibirá boletines por correo." in done
    gone.refresh_from_db()
    assert gone.unsubscribed_at is not None
    assert client.get("/boletines/baja/falso/").status_code == 400
    before = len(smtp.messages)
    send(bulletin=approved_bulletin("Dos"), lists=[local], user=mariana)
    new = smtp.recipients()[before:]
    assert len(new) == 2 and gone.email not in new


def test_a_second_send_skips_who_already_received(
    smtp, send, approved_bulletin, press_list, mariana
):
    bulletin = approved_bulletin()
    local, toluca = press_list("Medios locales", 3), press_list("Corresponsales Toluca", 2)
    shared = MediaContact.objects.filter(lists=local).first()
    shared.lists.add(toluca)
    send(bulletin=bulletin, lists=[local], user=mariana)
    send(bulletin=bulletin, lists=[local, toluca], user=mariana)
    received = smtp.recipients()
    everyone = {c.email for c in MediaContact.objects.filter(lists__in=[local, toluca])}
    assert len(everyone) == 5 and sorted(received) == sorted(everyone)  # each one once


def test_smtp_refusal_is_logged_per_recipient(smtp, send, approved_bulletin, press_list, mariana):
    local = press_list("Medios locales", 2)
    bad = MediaContact.objects.create(outlet="X", person="Y", email="nadie@rechazo.example")
    bad.lists.add(local)

    async def refuse(server, session, envelope, address, rcpt_options):
        if address.endswith("@rechazo.example"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = refuse
    sent = send(bulletin=approved_bulletin(), lists=[local], user=mariana)
    failed = sent.recipients.get(email=bad.email)
    assert failed.status == "fallido" and "550" in failed.error
    assert sent.recipients.filter(status="enviado").count() == 2


def test_only_approved_bulletins_are_sent(make_bulletin, press_list, mariana):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Solo se envían boletines aprobados."):
        distribution.distribution_create(
            bulletin=make_bulletin(), lists=[press_list()], user=mariana
        )
    assert not DistributionRecipient.objects.exists()


class WorkerKilled(BaseException):
    """Stands for the process being killed: not an Exception, so our code does not catch it."""


def test_worker_restart_mid_send_never_writes_twice(
    smtp, approved_bulletin, press_list, mariana, settings, transactional_db, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from pregon.core import periodic

    settings.TASKS = DB_TASKS
    settings.PREGON_TASKS_BACKEND = "db"
    resume_job = periodic.REGISTRY["bulletins.resume_distributions"]
    monkeypatch.setattr(periodic, "REGISTRY", {})  # only our jobs, and only when we say
    local = press_list("Medios locales", 6)
    bulletin = approved_bulletin()
    sent = distribution.distribution_create(bulletin=bulletin, lists=[local], user=mariana)
    tasks.enqueue_send(sent.pk)  # autocommit: queued at once
    assert smtp.recipients() == []  # queued: nothing is sent inside the request

    real_mark = distribution.mark
    calls = {"n": 0}

    def dies_after_third_message(recipient_id, status, error=""):
        calls["n"] += 1
        if calls["n"] == 3:  # the 3rd message reached SMTP; the worker dies before noting it
            raise WorkerKilled()
        real_mark(recipient_id, status, error)

    monkeypatch.setattr(distribution, "mark", dies_after_third_message)
    call_command("worker", "--burst", "--interval", "0")
    monkeypatch.setattr(distribution, "mark", real_mark)
    task = DBTaskResult.objects.get(task_path__endswith="send_distribution")
    assert task.status == "FAILED"
    assert len(smtp.recipients()) == 3
    states = list(sent.recipients.values_list("status", flat=True))
    assert states == ["enviado", "enviado", "enviando", "pendiente", "pendiente", "pendiente"]

    # A new worker starts; its periodic job resumes the unfinished send. The claim of
    # the dead worker is stale by now.
    settings.PREGON_DELIVERY_STALE_SECONDS = 0
    monkeypatch.setattr(periodic, "REGISTRY", {resume_job.name: resume_job})
    call_command("worker", "--burst", "--interval", "0")
    received = smtp.recipients()
    assert sorted(received) == sorted(c.email for c in local.contacts.all())
    assert len(received) == len(set(received)) == 6
    uncertain = DistributionRecipient.objects.get(distribution=sent, status="incierto")
    assert "no se reenvía" in uncertain.error
    assert sent.recipients.filter(status="enviado").count() == 5
    sent.refresh_from_db()
    assert sent.finished_at is not None

    # Running everything again sends nothing more.
    from pregon.core.models import PeriodicJob

    PeriodicJob.objects.update(next_run_at=PeriodicJob.objects.get().last_run_at)
    tasks.send_distribution.enqueue(sent.pk)
    call_command("worker", "--burst", "--interval", "0")
    assert len(smtp.recipients()) == 6


def test_a_person_may_resend_an_uncertain_message(
    smtp, send, approved_bulletin, press_list, mariana, django_capture_on_commit_callbacks
):
    sent = send(bulletin=approved_bulletin(), lists=[press_list("Medios locales", 2)], user=mariana)
    first = sent.recipients.first()
    DistributionRecipient.objects.filter(pk=first.pk).update(status="incierto")
    with django_capture_on_commit_callbacks(execute=True):
        distribution.recipient_resend(recipient=first, user=mariana)
        tasks.enqueue_send(first.distribution_id)
    assert smtp.recipients().count(first.email) == 2  # only because a person decided
    first.refresh_from_db()
    assert first.status == "enviado" and first.attempts == 2
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Solo se reenvía a un destinatario fallido"):
        distribution.recipient_resend(recipient=first, user=mariana)  # a sent one: never
    assert smtp.recipients().count(first.email) == 2
