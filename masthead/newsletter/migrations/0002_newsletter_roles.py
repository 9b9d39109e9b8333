"""Create the Newsletter group and let Editors write and send issues (see `newsletter.roles`)."""

from django.db import migrations

from masthead.newsletter.roles import apply_newsletter_roles, remove_newsletter_roles


def forwards(apps, schema_editor):
    apply_newsletter_roles(apps)


def backwards(apps, schema_editor):
    remove_newsletter_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("editorial", "0001_roles_and_review_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
