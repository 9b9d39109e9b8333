"""Create the Tips group (see `tips.roles`)."""

from django.db import migrations

from masthead.tips.roles import apply_tip_roles, remove_tip_roles


def forwards(apps, schema_editor):
    apply_tip_roles(apps)


def backwards(apps, schema_editor):
    remove_tip_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tips", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
