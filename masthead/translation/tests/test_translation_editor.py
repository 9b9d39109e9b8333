"""Editors correct machine output in wagtail-localize's editor: it opens on translated pages
and snippets, and what a person changes there marks the translation reviewed."""

import json
import re

from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from masthead.testing.translation import translate_page
from masthead.translation.models import TranslationRecord


def editor_props(html: str) -> dict:
    """The data wagtail-localize's translation editor is started with."""
    props = re.search(r'data-props="([^"]+)"', html).group(1)
    return json.loads(props.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'"))


def test_a_machine_translated_article_opens_string_by_string(admin_client, small_newsroom):
    section = small_newsroom.section("Harbour")
    story = small_newsroom.article(
        section, "Inspectors told to clear containers", [small_newsroom.author("Rosa Quill")]
    )
    french = translate_page(story, "fr")["fr"]

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[french.pk]))

    assert response.status_code == 200
    props = editor_props(response.content.decode())
    segments = [segment for segment in props["segments"] if segment["type"] == "string"]
    sources = {segment["source"] for segment in segments}
    assert "Inspectors told to clear containers" in sources
    assert "First paragraph." in sources
    # Each string says which engine and model translated it.
    comments = {string["comment"] for string in props["initialStringTranslations"]}
    assert comments and all(
        comment.startswith("Translated with marking: marker-fr on ") for comment in comments
    )


def test_a_translated_author_opens_in_the_editor_too(admin_client, small_newsroom):
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    translate_page(small_newsroom.article(section, "A story", [author]), "de")
    german_author = author.get_translation(Locale.objects.get(language_code="de"))

    response = admin_client.get(
        reverse("wagtailsnippets_newsroom_author:edit", args=[german_author.pk])
    )

    assert response.status_code == 200
    sources = {
        segment["source"]
        for segment in editor_props(response.content.decode())["segments"]
        if segment["type"] == "string"
    }
    assert "Reporter" in sources


def test_a_correction_saved_in_the_editor_marks_the_translation_reviewed(
    admin_client, small_newsroom, admin_user, django_capture_on_commit_callbacks
):
    section = small_newsroom.section("Harbour")
    story = small_newsroom.article(section, "The port answers", [small_newsroom.author("Rosa")])
    french = translate_page(story, "fr")["fr"]
    props = editor_props(
        admin_client.get(reverse("wagtailadmin_pages:edit", args=[french.pk])).content.decode()
    )
    title = next(
        segment for segment in props["segments"] if segment["source"] == "The port answers"
    )

    saved = admin_client.put(
        title["editUrl"],
        data="value=Le+port+r%C3%A9pond",
        content_type="application/x-www-form-urlencoded",
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish = admin_client.post(
            reverse("wagtailadmin_pages:edit", args=[french.pk]), {"action": "publish"}
        )

    assert saved.status_code == 200
    assert (
        StringTranslation.objects.get(
            data="Le port répond", translation_type="manual"
        ).last_translated_by
        == admin_user
    )
    assert publish.status_code == 302
    french.refresh_from_db()
    assert french.title == "Le port répond"
    record = TranslationRecord.objects.for_instance(story).get(locale=french.locale)
    assert record.state == TranslationRecord.REVIEWED
