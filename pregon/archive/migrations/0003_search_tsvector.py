"""PostgreSQL: a stored tsvector column, so phrase checks need not re-parse text."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS archive_search_gin")
    schema_editor.execute(
        "ALTER TABLE archive_searchentry ADD COLUMN IF NOT EXISTS tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS archive_search_tsv ON archive_searchentry USING GIN (tsv)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE archive_searchentry DROP COLUMN IF EXISTS tsv")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS archive_search_gin ON archive_searchentry "
        "USING GIN (to_tsvector('simple'::regconfig, text))"
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_ingestitem_and_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
