"""More Articles, end to end: publishing runs the task (inline in tests), the article page
shows the stored related stories that are live now, then the newest."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsroom.models import ArticlePage
from masthead.related.models import RelatedArticle
from masthead.testing.translation import translate_page
from masthead.translation import pipeline

pytestmark = pytest.mark.django_db

CARD_LINK = re.compile(r'class="card-title"><a href="([^"]+)"')


@pytest.fixture(autouse=True)
def no_machine_translation(monkeypatch):
    """Publishing also queues translations; with no engine they are skipped at once."""
    monkeypatch.setattr(pipeline, "get_engine", lambda: None)


@pytest.fixture
def publishing(django_capture_on_commit_callbacks):
    """Run what publishing queues for after the commit (the related lists), as `./run` would."""

    def run(make, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make(*args, **kwargs)

    return run


def more_links(client, page) -> list[str]:
    html = client.get(page.url).content.decode()
    assert 'id="more-heading"' in html
    return CARD_LINK.findall(html[html.index('id="more-heading"') :])


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def harbour(newsroom, publishing):
    """A story about the port, with related and unrelated stories around it."""
    news = newsroom.section("News")
    city = newsroom.section("City")
    ana = newsroom.author("Ana Ferreira")
    li = newsroom.author("Li Wen")
    stories = {}

    def add(key, section, title, authors, days, **fields):
        stories[key] = publishing(
            newsroom.article, section, title, authors, days_ago(days), **fields
        )

    add("tagged", city, "Dockers vote on new contract", [li], 9, tags=("ports",))
    add(
        "story",
        news,
        "Port inspectors clear container backlog",
        [ana],
        5,
        tags=("ports",),
        paragraphs=("Customs inspectors cleared thousands of shipping containers.",),
    )
    add(
        "similar",
        city,
        "Container backlog returns to the port",
        [li],
        8,
        paragraphs=("Shipping containers pile up as customs inspectors strike.",),
    )
    add("bylined", city, "Library hours extended", [ana], 20)
    for days in (1, 2, 3, 4):
        add(f"fresh{days}", city, f"Unrelated fresh item {days}", [li], days)
    return stories


def test_the_related_stories_come_first_never_the_story_itself(client, harbour):
    links = more_links(client, harbour["story"])
    assert links == [
        harbour["similar"].url,  # many of the same words in title and body
        harbour["tagged"].url,  # a shared tag
        harbour["bylined"].url,  # the same author
        harbour["fresh1"].url,  # nothing else related: the newest fills the last slot
    ]
    assert harbour["story"].url not in links
    scores = RelatedArticle.objects.filter(article=harbour["story"]).values_list("score", flat=True)
    assert list(scores) == sorted(scores, reverse=True)


def test_drafts_are_never_shown(client, newsroom, harbour, publishing):
    news = harbour["story"].get_parent()
    draft = publishing(
        newsroom.article, news, "Port inspectors clear backlog (draft)", [], publish=False
    )
    draft.tags.add("ports")
    draft.save_revision()
    assert draft.url not in more_links(client, harbour["story"])
    assert not RelatedArticle.objects.filter(related=draft).exists()


def test_an_unpublished_story_disappears_at_once(client, harbour):
    story, tagged = harbour["story"], harbour["tagged"]
    assert tagged.url in more_links(client, story)
    # Before the worker has caught up, the page already shows only what is live now.
    tagged.unpublish()
    assert RelatedArticle.objects.filter(article=story, related=tagged).exists()
    links = more_links(client, story)
    assert tagged.url not in links
    assert len(links) == 4


def test_the_worker_takes_an_unpublished_story_out_of_the_lists(client, harbour, publishing):
    story, tagged = harbour["story"], harbour["tagged"]
    assert RelatedArticle.objects.filter(related=tagged).exists()
    publishing(tagged.unpublish)
    assert not RelatedArticle.objects.filter(related=tagged).exists()
    # The lists that showed it were worked out again without it.
    assert RelatedArticle.objects.filter(article=story).count() == 2
    assert tagged.url not in more_links(client, story)


def test_without_anything_related_the_newest_stories_are_shown(client, newsroom, publishing):
    section = newsroom.section("Misc")
    titles = ["Opera season opens", "Cycling lanes painted", "Bakery wins award", "Tide tables"]
    pages = [
        publishing(newsroom.article, section, title, [], days_ago(days), paragraphs=())
        for days, title in enumerate(titles, start=1)
    ]
    lone = publishing(newsroom.article, section, "Museum reopens", [], days_ago(9), paragraphs=())
    assert not RelatedArticle.objects.filter(article=lone).exists()
    assert more_links(client, lone) == [page.url for page in pages]


def test_a_newly_published_related_story_appears_on_the_older_one(
    client, newsroom, harbour, publishing
):
    story = harbour["story"]
    news = story.get_parent()
    follow_up = publishing(
        newsroom.article,
        news,
        "Port inspectors finish clearing the container backlog",
        [harbour["story"].authors[0]],
        days_ago(0),
        tags=("ports",),
        paragraphs=("Customs inspectors cleared the last shipping containers.",),
    )
    assert more_links(client, story)[0] == follow_up.url


def test_each_language_gets_its_own_related_stories(client, harbour, publishing):
    story, tagged = harbour["story"], harbour["tagged"]
    for page in (story.get_parent(), tagged.get_parent()):
        translate_page(page, "fr")
    french_tagged = publishing(translate_page, tagged, "fr")["fr"]
    french_story = publishing(translate_page, story, "fr")["fr"]

    french_links = more_links(client, french_story)
    assert french_links[0] == french_tagged.url
    assert all(link.startswith("/fr/") for link in french_links)
    assert french_story.url not in french_links
    assert not any(link.startswith("/fr/") for link in more_links(client, story))
    stored = RelatedArticle.objects.filter(article=french_story).select_related("related")
    assert {row.related.locale_id for row in stored} == {french_story.locale_id}


def test_rendering_more_articles_costs_few_queries_however_many_are_stored(
    newsroom, harbour, django_assert_max_num_queries
):
    story = ArticlePage.objects.get(pk=harbour["story"].pk)
    assert RelatedArticle.objects.filter(article=story).count() == 3
    with django_assert_max_num_queries(5):  # related, then newest to fill up (+ bylines)
        assert len(story.more_articles()) == 4
    for days in range(10, 20):
        newsroom.article(
            story.get_parent(), f"Port story {days}", [], days_ago(days), tags=("ports",)
        )
    from masthead.related.compute import compute_related

    compute_related(story)
    assert RelatedArticle.objects.filter(article=story).count() == 8
    story = ArticlePage.objects.get(pk=story.pk)
    with django_assert_max_num_queries(3):  # view restrictions, the related, their bylines
        assert len(story.more_articles()) == 4
