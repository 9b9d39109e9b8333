"""The admin's translation status view: per article and language, what state it is in and
what made it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from masthead.testing.translation import MarkingEngine, translate_page
from masthead.translation import pipeline
from masthead.translation.models import TranslationRecord


@pytest.fixture
def stories(small_newsroom):
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    machine = small_newsroom.article(section, "Machine-translated story", [author])
    reviewed = small_newsroom.article(section, "Reviewed story", [author])
    french = translate_page(machine, "fr")["fr"]
    pipeline.mark_reviewed(translate_page(reviewed, "fr")["fr"])
    engine = MarkingEngine(languages={"fr"})
    pipeline.translate(machine, Locale.objects.get(language_code="de"), engine)
    return machine, reviewed, french


def cells(html: str, title: str) -> dict[str, str]:
    row = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]+>{title}</a></th>(.*?)</tr>", html, re.S)
    return dict(re.findall(r'data-language="([^"]+)" data-state="([^"]+)"', row.group(1)))


def test_editors_see_each_articles_state_in_every_language(admin_client, stories):
    # Publishing queued every language; the worker hasn't run (tests run no worker). An
    # article published before translation existed has no record at all.
    TranslationRecord.objects.filter(locale__language_code="it").delete()

    response = admin_client.get(reverse("translation_status"))

    assert response.status_code == 200
    html = response.content.decode()
    machine = cells(html, "Machine-translated story")
    assert machine["fr"] == "machine"
    assert machine["de"] == "skipped"
    assert machine["es"] == "queued"
    assert machine["it"] == "missing"
    assert set(machine) == {"zh-hans", "fr", "de", "it", "pt", "ru", "es"}
    assert cells(html, "Reviewed story")["fr"] == "reviewed"
    assert "marking: marker-fr" in html  # the engine and model that made it
    assert "No marker for en → de." in html  # why it was skipped


def test_out_of_date_and_failed_translations_show_as_such(admin_client, stories):
    machine, reviewed, _french = stories
    TranslationRecord.objects.for_instance(reviewed).update(state=TranslationRecord.OUT_OF_DATE)
    TranslationRecord.objects.for_instance(machine).filter(locale__language_code="fr").update(
        state=TranslationRecord.FAILED, detail="The engine failed 4 times"
    )

    html = admin_client.get(reverse("translation_status")).content.decode()

    assert cells(html, "Reviewed story")["fr"] == "out_of_date"
    assert cells(html, "Machine-translated story")["fr"] == "failed"
    assert "The engine failed 4 times" in html


def test_the_status_view_is_for_signed_in_staff_only(client, stories):
    response = client.get(reverse("translation_status"))

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_admin_menu_links_the_status_view(admin_client, stories):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("translation_status") in html
