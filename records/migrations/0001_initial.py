import django.utils.timezone
from django.db import migrations, models


def create_stamp(apps, schema_editor):
    ContentStamp = apps.get_model("records", "ContentStamp")
    ContentStamp.objects.get_or_create(pk=1, defaults={"version": 0, "changed_at": django.utils.timezone.now()})


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveBigIntegerField(default=0, verbose_name="version")),
                ("changed_at", models.DateTimeField(verbose_name="changed")),
            ],
            options={
                "verbose_name": "content change stamp",
                "verbose_name_plural": "content change stamps",
            },
        ),
        migrations.RunPython(create_stamp, migrations.RunPython.noop),
    ]
