"""An uncached article render costs a small, fixed number of SQL queries: a story with five
authors (with photos), eight tags, seven translations, four related stories with pictures and
corrections costs exactly what a story with one author and one tag does.

(The test client goes around the full-page cache: every request here renders the page.)
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from masthead.newsroom.models import ArticleCorrection
from masthead.related.models import RelatedArticle
from masthead.testing.content import make_image
from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db

# Nine of these are Wagtail's own work before the page renders (site, locale, routing through
# home and section, the view-restriction checks); the rest is the article page (the sections
# for the navigation take two: their ids from the page index, then the sections).
MAX_QUERIES = 22
OTHER_LANGUAGES = ("zh-hans", "fr", "de", "it", "pt", "ru", "es")


def queries_to_render(client, url: str) -> tuple[int, str]:
    """The SQL queries one render of `url` takes (after a first render has made the picture
    renditions), and the page."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def news(newsroom):
    return newsroom.section("News")


@pytest.fixture
def plain_story(newsroom, news):
    """One author without a photo, one tag, no translations, nothing stored as related."""
    return newsroom.article(
        news,
        "Council delays the budget vote",
        [newsroom.author("Ana Ferreira")],
        timezone.now() - timedelta(days=2),
        hero_image=make_image(
            "Council chamber", description="The council chamber", size=(320, 180)
        ),
        tags=("budget",),
    )


@pytest.fixture
def rich_story(newsroom, news):
    """Five authors with photos, eight tags, corrections, four related stories with pictures
    and a published version in every other language."""
    authors = []
    for number in range(5):
        author = newsroom.author(f"Writer Number{number}")
        author.photo = make_image(f"Portrait {number}", size=(200, 200))
        author.save()
        authors.append(author)
    story = newsroom.article(
        news,
        "Harbour audits were never carried out",
        authors,
        timezone.now() - timedelta(hours=3),
        hero_image=make_image("Harbour", description="Cranes at dawn", size=(320, 180)),
        tags=tuple(f"topic-{number}" for number in range(8)),
    )
    story.corrections = [
        ArticleCorrection(made_at=timezone.now(), kind="correction", text=f"Fix {number}.")
        for number in range(3)
    ]
    story.save_revision().publish()
    for rank in range(4):
        related = newsroom.article(
            news,
            f"Related story {rank}",
            authors[:2],
            timezone.now() - timedelta(days=3 + rank),
            hero_image=make_image(f"Related {rank}", description="A picture", size=(320, 180)),
        )
        RelatedArticle.objects.create(
            article=story, related=related, rank=rank, score=1 - rank / 10
        )
    translate_page(story, *OTHER_LANGUAGES)
    story.refresh_from_db()
    return story


def test_a_rich_article_costs_the_same_queries_as_a_plain_one(client, plain_story, rich_story):
    plain, _html = queries_to_render(client, plain_story.url)
    rich, html = queries_to_render(client, rich_story.url)

    # Everything the rich story has is really on the page...
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    assert byline.count('rel="author"') == 5
    assert html.count('class="author-box"') == 5
    assert len(re.findall(r'<img[^>]+class="author-photo"', html)) == 5
    assert html.count('rel="tag"') == 8
    corrections = html[html.index('class="corrections"') :]
    assert corrections[: corrections.index("</section>")].count("<li>") == 3
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert switcher.count("<a href=") == 8  # this version and its seven translations
    more = html[html.index('id="more-heading"') :]
    assert [f"Related story {rank}" in more for rank in range(4)] == [True] * 4
    assert more.count("<picture>") == 4
    # ...and it took no more queries than the plain story.
    assert rich == plain
    assert rich <= MAX_QUERIES


def test_a_rich_translation_costs_the_same_queries_as_a_plain_one(client, plain_story, rich_story):
    french = Locale.objects.get(language_code="fr")
    translate_page(plain_story, "fr")
    plain, _html = queries_to_render(client, plain_story.get_translation(french).url)
    rich, html = queries_to_render(client, rich_story.get_translation(french).url)

    assert html.count('class="author-box"') == 5 and html.count('rel="tag"') == 8
    assert "[fr] Writer Number0 reports for the newsroom." in html  # the authors' French bios
    assert rich == plain
