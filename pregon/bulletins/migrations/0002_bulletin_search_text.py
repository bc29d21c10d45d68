from django.db import migrations, models


def fill_search_text(apps, schema_editor) -> None:
    from pregon.bulletins.text import search_text

    Bulletin = apps.get_model("bulletins", "Bulletin")
    for bulletin in Bulletin.objects.only("title", "balazos", "body").iterator(chunk_size=500):
        bulletin.search_text = search_text(bulletin.title, bulletin.balazos, bulletin.body)
        bulletin.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="texto de búsqueda"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
