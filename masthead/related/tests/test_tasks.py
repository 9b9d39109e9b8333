"""The background side: stored terms, the task, `rebuild()` and `manage.py related_rebuild`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from masthead.related import compute, tasks
from masthead.related.models import ArticleTerms, RelatedArticle

pytestmark = pytest.mark.django_db


def ids(rows) -> list[int]:
    return [row.related_id for row in rows]


@pytest.fixture
def stories(newsroom):
    """Stories published without running the worker (nothing stored yet)."""
    news = newsroom.section("News")
    ana = newsroom.author("Ana Ferreira")
    now = timezone.now()
    return {
        "story": newsroom.article(
            news,
            "Harbour strike enters second week",
            [ana],
            now - timedelta(days=3),
            tags=("ports",),
            paragraphs=("Dockers at the harbour kept the cranes idle.",),
        ),
        "tagged": newsroom.article(
            news, "Cranes return", [], now - timedelta(days=2), tags=("ports",), paragraphs=()
        ),
        "bylined": newsroom.article(
            news, "Budget vote", [ana], now - timedelta(days=1), paragraphs=()
        ),
        "stranger": newsroom.article(news, "Opera season opens", [], now, paragraphs=()),
    }


def test_nothing_is_stored_until_the_worker_runs_then_the_task_stores_the_list(stories):
    story = stories["story"]
    assert not RelatedArticle.objects.exists()
    assert tasks.update_related.call(story.pk) >= 1
    assert ids(RelatedArticle.objects.filter(article=story)) == [
        stories["tagged"].pk,
        stories["bylined"].pk,
    ]
    terms = ArticleTerms.objects.get(page=story)
    assert terms.language == "en"
    assert {"harbour", "strike", "dockers", "cranes"} <= set(terms.terms)
    # Its neighbours' lists were worked out too, so older stories show it.
    assert story.pk in ids(RelatedArticle.objects.filter(article=stories["tagged"]))


def test_the_task_for_a_deleted_article_does_nothing(stories):
    page_id = stories["stranger"].pk
    stories["stranger"].delete()
    assert tasks.update_related.call(page_id) == 0


def test_computing_again_replaces_the_list(stories):
    story = stories["story"]
    compute.compute_related(story)
    stories["tagged"].tags.clear()
    stories["tagged"].save_revision().publish()
    rows = compute.compute_related(story)
    assert ids(rows) == [stories["bylined"].pk]
    assert ids(RelatedArticle.objects.filter(article=story)) == [stories["bylined"].pk]
    assert [row.rank for row in rows] == [0]


def test_rebuild_works_out_every_live_article(stories, newsroom):
    draft = newsroom.article(
        stories["story"].get_parent(), "Draft", [], publish=False, tags=("ports",)
    )
    assert compute.rebuild() == 4
    assert ArticleTerms.objects.count() == 4
    assert not RelatedArticle.objects.filter(article=stories["stranger"]).exists()
    assert not RelatedArticle.objects.filter(related=draft).exists()
    assert ids(RelatedArticle.objects.filter(article=stories["bylined"])) == [stories["story"].pk]
    assert compute.rebuild("fr") == 0


def test_the_management_command_rebuilds(stories):
    output = StringIO()
    call_command("related_rebuild", stdout=output)
    assert "4 article(s)" in output.getvalue()
    assert RelatedArticle.objects.filter(article=stories["story"]).count() == 2
    call_command("related_rebuild", "--locale", "en", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("related_rebuild", "--locale", "xx", stdout=StringIO())
