"""Exact, immediate invalidation: after each change, every cached page whose content changed is
rendered again at once (each is compared with what Django renders for it now, past the cache),
and the pages the change doesn't concern are still served from the cache."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from masthead.newsroom.models import ArticlePage, Author, EditorsNote
from masthead.related.compute import rebuild
from masthead.testing.supporters import committed
from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db


def section(newsroom, slug: str):
    return newsroom.home.get_children().get(slug=slug).specific


def story(newsroom, section_slug: str, days: int) -> ArticlePage:
    kind = "canada-story" if section_slug == "canada" else "analysis"
    slug = f"{kind}-{days}-days-old"
    return section(newsroom, section_slug).get_children().get(slug=slug).specific


@pytest.fixture
def newsroom_pages(small_newsroom):
    """Every public page of the small newsroom, cached once by a reader."""
    committed(rebuild)  # "More Articles" as the worker leaves them
    small_newsroom.section("Culture")
    articles = ArticlePage.objects.live().order_by("pk")
    return [
        "/",
        "/canada/",
        "/analysis/",
        "/culture/",
        *(article.url for article in articles),
        "/authors/ana-ferreira/",
        "/authors/li-wen/",
        "/feeds/rss.xml",
        "/feeds/sections/canada/rss.xml",
        "/feeds/sections/analysis/rss.xml",
        "/feeds/authors/li-wen/atom.xml",
        "/sitemap.xml",
        "/sitemaps/en/pages.xml",
        "/sitemaps/news.xml",
    ]


def cache_all(web, paths) -> dict:
    pages = {path: web.get(path) for path in paths}
    assert all(page.status == 200 for page in pages.values()), {
        path: page.status for path, page in pages.items()
    }
    assert all(web.get(path).cache == "hit" for path in paths)
    return pages


def refreshed_pages(web, before: dict) -> set[str]:
    """Check every page: never stale, and rendered again whenever its content changed; returns
    the pages rendered again (tests then name pages that must not have been)."""
    refreshed = set()
    for path, old in before.items():
        now = web.get(path)
        fresh = web.fresh(path)
        assert now.body == fresh.body, f"{path} is stale"
        if fresh.body != old.body:
            assert now.cache == "miss", f"{path} changed but came from the cache"
        if now.cache == "miss":
            refreshed.add(path)
    return refreshed


def test_an_edit_refreshes_the_story_and_every_page_that_shows_it_and_no_other(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    edited = story(small_newsroom, "analysis", 4)
    old_url = edited.url
    edited.title = "Analysis, corrected headline"
    committed(lambda: edited.save_revision().publish())

    refreshed = refreshed_pages(web, before)
    assert old_url in refreshed
    assert "/analysis/" in refreshed
    assert "/authors/li-wen/" in refreshed
    assert "/culture/" not in refreshed
    assert "/authors/ana-ferreira/" not in refreshed
    showing = {path for path, page in before.items() if b"Analysis 4 days old" in page.body}
    assert showing <= refreshed


def test_a_new_story_joins_its_lists_everywhere_and_leaves_other_sections_alone(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    ana = Author.objects.get(slug="ana-ferreira")
    committed(
        small_newsroom.article,
        section(small_newsroom, "canada"),
        "Breaking: the new story",
        [ana],
        timezone.now() + timedelta(minutes=1),
    )
    refreshed = refreshed_pages(web, before)
    for path in (
        "/",
        "/canada/",
        "/authors/ana-ferreira/",
        "/feeds/rss.xml",
        "/feeds/sections/canada/rss.xml",
        "/sitemaps/news.xml",
    ):
        assert path in refreshed, path
        assert b"Breaking: the new story" in web.get(path).body, path
    assert "/analysis/" not in refreshed
    assert "/feeds/sections/analysis/rss.xml" not in refreshed
    assert "/authors/li-wen/" not in refreshed


def test_withdrawing_a_story_takes_it_off_every_cached_page(web, small_newsroom, newsroom_pages):
    before = cache_all(web, newsroom_pages)
    withdrawn = story(small_newsroom, "canada", 3)
    url = withdrawn.url
    committed(withdrawn.unpublish)
    assert web.get(url).status == 404
    del before[url]
    refreshed = refreshed_pages(web, before)
    assert {"/", "/canada/", "/authors/ana-ferreira/", "/sitemaps/en/pages.xml"} <= refreshed
    assert "/analysis/" not in refreshed
    for path in refreshed:
        assert b"Canada story 3 days old" not in web.get(path).body


def test_moving_a_story_refreshes_both_sections_and_not_a_third(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    moved = story(small_newsroom, "canada", 7)
    old_url = moved.url
    committed(moved.move, section(small_newsroom, "analysis"), pos="last-child")
    del before[old_url]
    refreshed = refreshed_pages(web, before)
    assert {"/canada/", "/analysis/"} <= refreshed
    assert "/culture/" not in refreshed
    new_url = Page.objects.get(pk=moved.pk).url
    assert web.get(new_url).status == 200


def test_an_authors_new_bio_refreshes_their_stories_not_anyone_elses(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    li = Author.objects.get(slug="li-wen")
    li.bio = "<p>Li Wen now leads the data desk.</p>"
    committed(li.save)
    refreshed = refreshed_pages(web, before)
    analysis_stories = {story(small_newsroom, "analysis", days).url for days in (2, 4, 6)}
    assert analysis_stories | {"/authors/li-wen/"} <= refreshed
    # Pages without Li Wen's name or bio anywhere (bylines in lists included) stay cached.
    without_her = {path for path, page in before.items() if b"Li Wen" not in page.body}
    assert without_her
    assert not without_her & refreshed
    assert b"leads the data desk" in web.get(story(small_newsroom, "analysis", 2).url).body


def test_editing_the_editors_note_refreshes_the_stories_under_it_only(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    note = EditorsNote.objects.get(pk=small_newsroom.note.pk)
    note.body = "<p>Join {supporters} readers who keep us independent.</p>"
    committed(note.save)
    refreshed = refreshed_pages(web, before)
    articles = {article.url for article in ArticlePage.objects.live()}
    assert refreshed == articles


def test_a_new_translation_appears_in_the_original_storys_language_switcher(
    web, small_newsroom, newsroom_pages
):
    before = cache_all(web, newsroom_pages)
    original = story(small_newsroom, "canada", 1)
    french = committed(translate_page, original, "fr")["fr"]
    refreshed = refreshed_pages(web, before)
    assert original.url in refreshed
    assert french.url.encode() in web.get(original.url).body
    assert story(small_newsroom, "analysis", 2).url not in refreshed
    assert "/analysis/" not in refreshed


def test_a_new_supporter_changes_the_count_under_every_story_and_nothing_else(
    web, small_newsroom, newsroom_pages
):
    from masthead.supporters import figures
    from masthead.supporters.models import Donor, RecurringDonation

    committed(figures.refresh)
    before = cache_all(web, newsroom_pages)
    donor = Donor.objects.create(email="new.supporter@example.org")
    RecurringDonation.objects.create(
        stripe_id="sub_new", donor=donor, status="active", interval="month", amount=1200,
        currency="usd",
    )  # fmt: skip
    committed(figures.refresh)
    refreshed = refreshed_pages(web, before)
    articles = {article.url for article in ArticlePage.objects.live()}
    assert refreshed == articles


def test_another_web_process_stops_serving_its_copy_at_once(web, other_web, small_newsroom):
    edited = story(small_newsroom, "canada", 1)
    other_web.get(edited.url)
    assert other_web.get(edited.url).cache == "hit"
    edited.title = "A headline changed elsewhere"
    committed(lambda: edited.save_revision().publish())
    again = other_web.get(edited.url)
    assert again.cache == "miss"
    assert b"A headline changed elsewhere" in again.body


def test_a_page_rendered_while_something_changed_is_not_kept(web, small_newsroom, monkeypatch):
    from masthead.pagecache.store import page_store

    store = page_store()
    started = store.generation()
    store.invalidate({"page:999999"})  # something changed during the render
    page = web.app.storable("200 OK", [("Content-Type", "text/html")], b"old")
    assert store.save("http://localhost/x?", page, {"page:1"}, started) is False
    assert store.lookup("http://localhost/x?") is None
