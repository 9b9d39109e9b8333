"""More Articles: newest from the same section, then the whole site, never the story itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def titles(pages) -> list[str]:
    return [page.title for page in pages]


def test_same_section_first_newest_first_and_never_the_article_itself(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    story = canada.get_children().get(slug="canada-story-3-days-old").specific
    # Canada has three other stories; the fourth slot goes to the newest from elsewhere.
    assert titles(story.more_articles()) == [
        "Canada story 1 days old",
        "Canada story 5 days old",
        "Canada story 7 days old",
        "Analysis 2 days old",
    ]


def test_at_most_four_even_when_the_section_has_more(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    author = small_newsroom.author("Extra Writer")
    for day in (8, 9, 10):
        small_newsroom.article(
            canada, f"Older {day}", [author], timezone.now() - timedelta(days=day)
        )
    story = canada.get_children().get(slug="canada-story-1-days-old").specific
    assert titles(story.more_articles()) == [
        "Canada story 3 days old",
        "Canada story 5 days old",
        "Canada story 7 days old",
        "Older 8",
    ]


def test_drafts_are_never_recommended(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    small_newsroom.article(canada, "Unpublished scoop", [], publish=False)
    story = canada.get_children().get(slug="canada-story-7-days-old").specific
    assert "Unpublished scoop" not in titles(story.more_articles())


def test_a_lone_story_gets_nothing(newsroom):
    section = newsroom.section("Solo")
    story = newsroom.article(section, "Only story", [newsroom.author("Solo Writer")])
    assert story.more_articles() == []


def test_more_articles_appear_on_the_page_as_links(client, small_newsroom):
    story = small_newsroom.home.get_descendants().get(slug="analysis-4-days-old").specific
    html = client.get(story.url).content.decode()
    more = html[html.index('id="more-heading"') :]
    assert more.count('class="card-title"') == 4
    assert 'href="/analysis/analysis-2-days-old/"' in more
    assert 'href="/analysis/analysis-4-days-old/"' not in more
