"""Create the Finance group and give Editors what donations need (see `supporters.roles`)."""

from django.db import migrations

from masthead.supporters.roles import apply_supporter_roles, remove_supporter_roles


def forwards(apps, schema_editor):
    apply_supporter_roles(apps)


def backwards(apps, schema_editor):
    remove_supporter_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("supporters", "0001_initial"),
        ("editorial", "0001_roles_and_review_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
