"""What every network's fault tests share: a publication written by one person, approved
and scheduled by another and due a second ago; a worker that dies right after the
network accepted; and the clock moved past a wait or a dead worker's lease. Each
`test_<net>_faults.py` keeps only what is its network's own."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import attempts, services
from pregon.publishing.models import Delivery, Publication, PublicationMedia
from tests.publishing.conftest import jpeg_bytes


class WorkerKilled(BaseException):
    """A SIGKILL seen from inside: nothing after it runs, nothing is written."""


def photo_add(
    publication: Publication, user, alt_text: str, name: str = "feria.jpg", jpeg: bytes = b""
) -> PublicationMedia:
    """A JPEG attached to the publication (`jpeg_bytes()` unless other bytes are given)."""
    upload = SimpleUploadedFile(name, jpeg or jpeg_bytes(), content_type="image/jpeg")
    return services.media_add(publication=publication, upload=upload, alt_text=alt_text, user=user)


def approve_and_schedule(publication: Publication, variants: dict, *, author, approver) -> None:
    """The real workflow: the author sets the variants and submits, the approver
    approves and schedules it for a second ago, so the engine's next run sends it."""
    services.variants_set(publication=publication, variants=variants, user=author)
    services.publication_submit(publication=publication, user=author)
    services.publication_approve(publication=publication, user=approver)
    services.publication_schedule(
        publication=publication, user=approver, when=timezone.now() - timedelta(seconds=1)
    )


def delivery_of(publication: Publication) -> Delivery:
    return Delivery.objects.get(variant__publication=publication)


def due_now(delivery: Delivery) -> None:
    """The wait the engine set (a retry, a later look) is over."""
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())


def stale(delivery: Delivery) -> None:
    """The dead worker's claim, as the next worker sees it once its lease ran out."""
    long_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=long_ago, lease_until=long_ago)


@contextmanager
def killed_after_accepted(monkeypatch) -> Iterator[None]:
    """Inside the block the worker dies between the network's answer and recording
    it, and the block must see it die; after it, workers record as they should."""
    real = attempts.record

    def record(delivery, worker, call, *, exc=None, outcome=None):
        if exc is None and outcome is None:
            raise WorkerKilled
        return real(delivery, worker, call, exc=exc, outcome=outcome)

    monkeypatch.setattr(attempts, "record", record)
    try:
        with pytest.raises(WorkerKilled):
            yield
    finally:
        monkeypatch.setattr(attempts, "record", real)
