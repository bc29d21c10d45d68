"""Background work: the heavy part of ingesting uploaded files.

The queue is decided here: this module calls services, services never import it,
so the arrow points one way (views → tasks → services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django_tasks import task

from pregon.accounts.models import Area, User
from pregon.archive import services
from pregon.archive.models import IngestItem

if TYPE_CHECKING:  # typing only: IngestItem.activity already names it; no runtime import
    from pregon.agenda.models import Activity


@task()
def process_ingest_item(item_id: int) -> str:
    return services.process_ingest_item(item_id)


def queue_upload(
    *,
    uploaded_file: File,
    batch: str,
    user: User | None = None,
    activity: Activity | None = None,
    area: Area | None = None,
) -> IngestItem:
    """Stage an upload and queue its ingest once the transaction commits (a rolled-back
    request leaves no job behind); the page polls the item's status."""
    item = services.stage_upload(
        uploaded_file=uploaded_file, batch=batch, user=user, activity=activity, area=area
    )
    transaction.on_commit(lambda: process_ingest_item.enqueue(item.pk))
    return item
