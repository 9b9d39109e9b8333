"""Anonymous readers get public pages from the cache: the same bytes and headers, at once."""

import pytest

from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db


def story(newsroom, section_slug: str, slug: str):
    section = newsroom.home.get_children().get(slug=section_slug).specific
    return section.get_children().get(slug=slug).specific


def public_pages(newsroom) -> list[str]:
    article = story(newsroom, "canada", "canada-story-1-days-old")
    return [
        "/",
        "/canada/",
        article.url,
        "/authors/ana-ferreira/",
        "/tags/housing/",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/sections/canada/rss.xml",
        "/sitemap.xml",
        "/robots.txt",
    ]


@pytest.fixture
def tagged_newsroom(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    from masthead.newsroom.models import Author

    ana = Author.objects.get(slug="ana-ferreira")
    small_newsroom.article(canada, "Rents rise again", [ana], tags=("housing",))
    return small_newsroom


def test_the_second_reader_gets_the_first_readers_page_from_the_cache(web, tagged_newsroom):
    for path in public_pages(tagged_newsroom):
        first = web.get(path)
        assert first.status == 200, path
        assert first.cache == "miss", path
        second = web.get(path)
        assert second.cache == "hit", path
        assert second.body == first.body, path
        assert second.headers["content-type"] == first.headers["content-type"], path


def test_a_cached_page_keeps_its_security_headers_and_says_how_to_revalidate(web, small_newsroom):
    web.get("/canada/")
    hit = web.get("/canada/")
    assert hit.cache == "hit"
    assert "default-src 'self'" in hit.headers["content-security-policy"]
    assert hit.headers["x-content-type-options"] == "nosniff"
    assert hit.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert hit.headers["etag"].startswith('"')
    assert hit.headers["last-modified"].endswith("GMT")
    assert int(hit.headers["content-length"]) == len(hit.body)
    # Nothing about the page depends on the reader's cookies.
    assert "cookie" not in hit.headers.get("vary", "").lower()
    assert "set-cookie" not in hit.headers


def test_every_language_has_its_own_cached_copy(web, small_newsroom):
    article = story(small_newsroom, "canada", "canada-story-1-days-old")
    french = translate_page(article, "fr")["fr"]
    english_first, french_first = web.get(article.url), web.get(french.url)
    assert french.url.startswith("/fr/")
    assert english_first.cache == french_first.cache == "miss"
    assert english_first.body != french_first.body
    assert web.get(article.url).body == english_first.body
    assert web.get(french.url).body == french_first.body


def test_head_is_answered_from_the_cache_without_a_body(web, small_newsroom):
    full = web.get("/")
    head = web.head("/")
    assert head.status == 200 and head.cache == "hit"
    assert head.body == b""
    assert head.headers["etag"] == full.headers["etag"]
    assert head.headers["content-length"] == str(len(full.body))


def test_pages_of_a_list_are_cached_apart_and_other_queries_are_not_cached(web, small_newsroom):
    assert web.get("/canada/?page=1").cache == "miss"
    assert web.get("/canada/?page=1").cache == "hit"
    assert web.get("/canada/").cache == "miss"
    # Tracking parameters and other queries would let anyone fill the cache.
    assert web.get("/canada/?utm_source=x").cache == "bypass"
    assert web.get("/canada/?utm_source=x").cache == "bypass"


def test_another_web_process_serves_what_the_first_one_stored(web, other_web, small_newsroom):
    first = web.get("/")
    assert first.cache == "miss"
    from_other = other_web.get("/")
    assert from_other.cache == "hit"
    assert from_other.body == first.body
