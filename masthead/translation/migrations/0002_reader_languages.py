"""Create a locale for each language readers can choose (English exists already)."""

from django.db import migrations

LANGUAGE_CODES = ["en", "zh-hans", "fr", "de", "it", "pt", "ru", "es"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("translation", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
