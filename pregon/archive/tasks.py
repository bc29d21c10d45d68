"""Background work: the heavy part of ingesting uploaded files."""

from django_tasks import task

from pregon.archive import services


@task()
def process_ingest_item(item_id: int) -> str:
    return services.process_ingest_item(item_id)
