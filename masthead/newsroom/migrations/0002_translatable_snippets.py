"""Authors, editor's notes and corrections get a language (and a key shared by their
translations); the tagline and footer text move from settings to the home page so that they are
translated with it.

Existing rows are given the default language and a key each of their own, in three steps, so
that no two rows ever share a key.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_locale_and_key(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    default_locale = Locale.objects.order_by("pk").first()
    for model_name in ("Author", "EditorsNote", "ArticleCorrection"):
        model = apps.get_model("newsroom", model_name)
        for row in model.objects.filter(translation_key__isnull=True):
            row.translation_key = uuid.uuid4()
            row.locale_id = default_locale.pk
            row.save(update_fields=["translation_key", "locale"])


def move_tagline_to_home(apps, schema_editor):
    NewsroomSettings = apps.get_model("newsroom", "NewsroomSettings")
    HomePage = apps.get_model("newsroom", "HomePage")
    for settings in NewsroomSettings.objects.select_related("site"):
        home = HomePage.objects.filter(pk=settings.site.root_page_id).first()
        if home and not (home.tagline or home.about):
            home.tagline, home.about = settings.tagline, settings.about
            home.save(update_fields=["tagline", "about"])


def move_tagline_to_settings(apps, schema_editor):
    NewsroomSettings = apps.get_model("newsroom", "NewsroomSettings")
    HomePage = apps.get_model("newsroom", "HomePage")
    for settings in NewsroomSettings.objects.select_related("site"):
        home = HomePage.objects.filter(pk=settings.site.root_page_id).first()
        if home:
            settings.tagline, settings.about = home.tagline, home.about
            settings.save(update_fields=["tagline", "about"])


def key_and_locale_fields(null: bool) -> list:
    return [
        (
            "translation_key",
            models.UUIDField(
                editable=False, null=null, **({} if null else {"default": uuid.uuid4})
            ),
        ),
        (
            "locale",
            models.ForeignKey(
                editable=False,
                null=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
    ]


TRANSLATABLE = ["author", "editorsnote", "articlecorrection"]


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AlterField(
            model_name="author",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the author's page address.", max_length=80
            ),
        ),
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in TRANSLATABLE
            for name, field in key_and_locale_fields(null=True)
        ],
        migrations.RunPython(fill_locale_and_key, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=model, name=name, field=field)
            for model in TRANSLATABLE
            for name, field in key_and_locale_fields(null=False)
        ],
        migrations.AlterUniqueTogether(
            name="author", unique_together={("translation_key", "locale"), ("slug", "locale")}
        ),
        migrations.AlterUniqueTogether(
            name="editorsnote", unique_together={("translation_key", "locale")}
        ),
        migrations.AlterUniqueTogether(
            name="articlecorrection", unique_together={("translation_key", "locale")}
        ),
        migrations.AddField(
            model_name="homepage",
            name="tagline",
            field=models.CharField(blank=True, help_text="Shown under the name.", max_length=200),
        ),
        migrations.AddField(
            model_name="homepage",
            name="about",
            field=models.TextField(
                blank=True, help_text="One or two sentences shown in the footer."
            ),
        ),
        migrations.RunPython(move_tagline_to_home, move_tagline_to_settings),
        migrations.RemoveField(model_name="newsroomsettings", name="tagline"),
        migrations.RemoveField(model_name="newsroomsettings", name="about"),
    ]
