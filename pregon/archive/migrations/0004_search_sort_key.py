"""Newest-first sort key; on SQLite it becomes the FTS5 rowid (rebuilt here)."""

from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from pregon.archive.search import filter_tokens, sort_key

    SearchEntry = apps.get_model("archive", "SearchEntry")
    used: set[int] = set()
    rows = []
    for entry in SearchEntry.objects.all():
        key = sort_key(entry.date, entry.object_type, entry.object_id)
        while key in used:
            key += 1
        used.add(key)
        entry.sort_key = key
        entry.text = f"{entry.text} {filter_tokens(entry)}".strip()
        rows.append(entry)
    SearchEntry.objects.bulk_update(rows, ["sort_key", "text"], batch_size=2000)
    if schema_editor.connection.vendor == "sqlite":
        # FTS5 rowid = sort_key; the text now carries filter tokens (search.filter_tokens).
        schema_editor.execute("DELETE FROM archive_search_fts")
        with schema_editor.connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO archive_search_fts(rowid, text) VALUES (%s, %s)",
                [(e.sort_key, e.text) for e in rows],
            )


def fts_back_to_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DELETE FROM archive_search_fts")
        schema_editor.execute(
            "INSERT INTO archive_search_fts(rowid, text) SELECT id, text FROM archive_searchentry"
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_search_tsvector")]
    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="archive_sea_date_489921_idx"),
        migrations.RemoveIndex(model_name="searchentry", name="archive_sea_kind_6596b5_idx"),
        migrations.AddField(
            model_name="searchentry",
            name="sort_key",
            field=models.BigIntegerField(null=True, unique=True),
        ),
        migrations.RunPython(fill_sort_keys, fts_back_to_ids),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["kind", "sort_key"], name="archive_search_kind_key"),
        ),
    ]
