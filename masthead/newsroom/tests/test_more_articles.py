"""More Articles: the related stories the worker stored (see `masthead.related`), then the
newest; never the story itself, never a draft, always in the story's own language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.related.compute import rebuild
from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db


def titles(pages) -> list[str]:
    return [page.title for page in pages]


def canada_story(newsroom, days: int):
    canada = newsroom.home.get_children().get(slug="canada").specific
    return canada.get_children().get(slug=f"canada-story-{days}-days-old").specific


def test_before_the_worker_has_run_the_newest_are_shown_never_the_article_itself(
    small_newsroom,
):
    story = canada_story(small_newsroom, 3)
    assert titles(story.more_articles()) == [
        "Canada story 1 days old",
        "Analysis 2 days old",
        "Analysis 4 days old",
        "Canada story 5 days old",
    ]


def test_related_stories_first_and_at_most_four(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    author = small_newsroom.author("Extra Writer")
    for day in (8, 9, 10):
        small_newsroom.article(
            canada, f"Older {day}", [author], timezone.now() - timedelta(days=day)
        )
    rebuild()
    story = canada_story(small_newsroom, 1)
    picked = titles(story.more_articles())
    assert len(picked) == 4
    # Ana Ferreira's other Canada stories share her byline and section: they come first.
    assert sorted(picked[:3]) == [
        "Canada story 3 days old",
        "Canada story 5 days old",
        "Canada story 7 days old",
    ]
    assert story.title not in picked
    assert titles(story.more_articles(2)) == picked[:2]


def test_drafts_are_never_recommended(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    ana = canada_story(small_newsroom, 1).authors[0]
    small_newsroom.article(canada, "Unpublished scoop", [ana], publish=False)
    rebuild()
    story = canada_story(small_newsroom, 7)
    assert "Unpublished scoop" not in titles(story.more_articles())


def test_a_lone_story_gets_nothing(newsroom):
    section = newsroom.section("Solo")
    story = newsroom.article(section, "Only story", [newsroom.author("Solo Writer")])
    assert story.more_articles() == []


def test_only_stories_in_the_same_language(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    translate_page(canada, "fr")
    french = [translate_page(canada_story(small_newsroom, days), "fr")["fr"] for days in (1, 3)]
    rebuild()
    assert titles(french[1].more_articles()) == [french[0].title]
    english = titles(canada_story(small_newsroom, 3).more_articles())
    assert len(english) == 4
    assert not any(title.startswith("[fr]") for title in english)


def test_more_articles_appear_on_the_page_as_links(client, small_newsroom):
    story = small_newsroom.home.get_descendants().get(slug="analysis-4-days-old").specific
    html = client.get(story.url).content.decode()
    more = html[html.index('id="more-heading"') :]
    assert more.count('class="card-title"') == 4
    assert 'href="/analysis/analysis-2-days-old/"' in more
    assert 'href="/analysis/analysis-4-days-old/"' not in more
