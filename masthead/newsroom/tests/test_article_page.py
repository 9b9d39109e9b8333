"""The article page: everything a reader sees, in order, and a bound on its SQL queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.newsroom.models import ArticleCorrection, EditorsNote
from masthead.testing.content import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    ana = small_newsroom.author("Maya Okafor", role="Reporter", bio="<p>Maya covers ports.</p>")
    li = small_newsroom.author("Tomás Reyes", role="Editor", bio="<p>Tomás edits the desk.</p>")
    hero = make_image("Harbour at dawn", description="Cranes over a harbour at dawn")
    return small_newsroom.article(
        canada,
        "Source: inspectors skipped half the harbour audits",
        [ana, li],
        timezone.now() - timedelta(hours=2),
        dek="Internal records show the checks were signed off without visits.",
        article_type="investigation",
        hero_image=hero,
        hero_caption="The harbour in March.",
        hero_credit="Photo: The Test Ledger",
        paragraphs=("The source says the audits never happened.", "Officials did not reply."),
        tags=("ports", "audits"),
    )


def text_positions(html: str, *needles: str) -> list[int]:
    positions = []
    for needle in needles:
        assert needle in html, f"{needle!r} is missing from the page"
        positions.append(html.index(needle))
    return positions


def test_article_shows_its_anatomy_top_to_bottom(client, story):
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") :]

    positions = text_positions(
        html,
        '<h1 class="headline">Source: inspectors skipped half the harbour audits</h1>',
        "Internal records show the checks were signed off without visits.",
        'class="language-switcher"',
        "Written by",
        "Published <time",
        'alt="Cranes over a harbour at dawn"',
        "The source says the audits never happened.",
        "Maya covers ports.",
        'class="editors-note"',
        "More Articles",
        'class="site-footer"',
    )
    assert positions == sorted(positions), "the article's parts are out of order"
    assert "Photo: The Test Ledger" in html and "The harbour in March." in html
    assert "Investigation" in html


def test_byline_links_every_author_in_order(client, story):
    html = client.get(story.url).content.decode()
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)" rel="author">([^<]+)</a>', byline) == [
        ("/authors/maya-okafor/", "Maya Okafor"),
        ("/authors/tomas-reyes/", "Tomás Reyes"),
    ]
    assert "Tomás edits the desk." in html  # every author's bio box


def test_language_switcher_lists_the_versions_that_exist(client, story):
    html = client.get(story.url).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'hreflang="en"' in switcher and 'aria-current="true"' in switcher
    assert ">English</a>" in switcher


def test_default_editors_note_asks_for_support_and_shows_the_live_count(client, story):
    from masthead.supporters import figures
    from masthead.supporters.models import Donor, RecurringDonation

    html = client.get(story.url).content.decode()
    assert '<strong class="supporter-count">0</strong> consistent financial supporters' in html

    RecurringDonation.objects.create(
        stripe_id="sub_1",
        donor=Donor.objects.create(email="reader@example.org"),
        status="active",
        interval="month",
        amount=500,
        currency="usd",
    )
    figures.refresh()  # what a webhook does after a change

    html = client.get(story.url).content.decode()
    assert '<strong class="supporter-count">1</strong> consistent financial supporters' in html


def test_article_can_choose_its_own_editors_note(client, story):
    story.editors_note = EditorsNote.objects.create(
        title="Investigations fund", body="<p>Fund the investigations desk.</p>"
    )
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    assert "Fund the investigations desk." in html
    assert "consistent financial supporters" not in html


def test_corrections_log_is_dated_and_oldest_first(client, story):
    now = timezone.now()
    story.corrections = [
        ArticleCorrection(made_at=now - timedelta(minutes=30), kind="update", text="Added reply."),
        ArticleCorrection(
            made_at=now - timedelta(minutes=90), kind="correction", text="Fixed a date."
        ),
    ]
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    first, second = text_positions(html, "Fixed a date.", "Added reply.")
    assert first < second
    assert "Corrections and updates" in html
    assert "Updated <time" in html


def test_story_without_corrections_has_no_corrections_box(client, story):
    html = client.get(story.url).content.decode()
    assert "Corrections and updates" not in html
    assert "Updated <time" not in html


def test_tags_link_to_their_pages(client, story):
    html = client.get(story.url).content.decode()
    assert 'href="/tags/ports/" rel="tag"' in html


def test_unpublished_article_is_not_found(client, small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    draft = small_newsroom.article(canada, "Embargoed", [], publish=False)
    response = client.get(f"/canada/{draft.slug}/")
    assert response.status_code == 404


def count_queries(client, url: str) -> int:
    client.get(url)  # warm Wagtail's site and image caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_page_sql_queries_stay_bounded(client, small_newsroom, story):
    before = count_queries(client, story.url)
    # 22 with a stored related list; the fallback to the newest stories (no list yet) costs 2.
    assert before <= 24

    # More authors, tags, corrections and related stories must not mean more queries.
    canada = story.get_parent().specific
    extra = [small_newsroom.author(f"Extra Author {n}") for n in range(3)]
    for n in range(4):
        small_newsroom.article(canada, f"Fresh story {n}", extra, timezone.now())
    story.article_authors.create(author=extra[0], sort_order=5)
    story.tags.add("harbours", "shipping")
    story.corrections = [
        ArticleCorrection(made_at=timezone.now(), kind="update", text=f"Update {n}.")
        for n in range(3)
    ]
    story.save_revision().publish()
    assert count_queries(client, story.url) == before
