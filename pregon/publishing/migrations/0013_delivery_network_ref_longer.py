from django.db import migrations, models


class Migration(migrations.Migration):
    """A resumable upload's session address (encrypted) does not fit in 200 characters."""

    dependencies = [
        ("publishing", "0012_theme_target_network_choices_from_registry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="network_ref",
            field=models.CharField(
                blank=True,
                help_text="Lo que la red aún procesa (p. ej. un contenedor de Instagram), aún no público.",
                max_length=1000,
                verbose_name="en proceso en la red",
            ),
        ),
    ]
