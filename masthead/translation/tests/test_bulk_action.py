"""The page explorer's "Translate" bulk action queues machine translation of the selection."""

from django.urls import reverse

from masthead.newsroom.models import ArticlePage
from masthead.testing.translation import MarkingEngine
from masthead.translation import pipeline
from masthead.translation.models import TranslationRecord


def test_selected_articles_are_translated_into_every_language(
    admin_client, small_newsroom, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pipeline, "get_engine", MarkingEngine)
    TranslationRecord.objects.all().delete()
    chosen = list(ArticlePage.objects.live().filter(locale__language_code="en")[:2])
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "machine_translate"))
        + "?"
        + "&".join(f"id={page.pk}" for page in chosen)
    )

    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert chosen[0].title in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)

    assert response.status_code == 302
    for page in chosen:
        assert page.get_translations().live().count() == 7
    others = (
        ArticlePage.objects.live()
        .filter(locale__language_code="en")
        .exclude(pk__in=[page.pk for page in chosen])
    )
    assert not any(page.get_translations().exists() for page in others)
