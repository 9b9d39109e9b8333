"""Browsers and proxies that kept a page ask whether it changed and get 304 Not Modified."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_matching_etag_gets_304_without_a_body(web, small_newsroom):
    page = web.get("/canada/")
    again = web.get("/canada/", if_none_match=page.headers["etag"])
    assert again.status == 304
    assert again.body == b""
    assert again.headers["etag"] == page.headers["etag"]
    assert again.headers["cache-control"] == page.headers["cache-control"]


def test_the_first_render_already_answers_a_matching_etag_with_304(web, small_newsroom):
    etag = web.get("/canada/").headers["etag"]
    web.get("/")  # unrelated
    from masthead.pagecache.store import page_store

    page_store().clear()  # e.g. the cache was emptied; the page renders to the same bytes
    again = web.get("/canada/", if_none_match=f'W/"nope", {etag}')
    assert again.cache == "miss"
    assert again.status == 304


def test_a_stale_etag_gets_the_whole_page(web, small_newsroom):
    again = web.get("/canada/", if_none_match='"not-this-one"')
    assert again.status == 200
    assert b"Canada story 1 days old" in again.body


def test_if_modified_since_gets_304_only_when_nothing_changed_since(web, small_newsroom):
    page = web.get("/")
    assert web.get("/", if_modified_since=page.headers["last-modified"]).status == 304
    assert web.get("/", if_modified_since="Mon, 01 Jan 2001 00:00:00 GMT").status == 200
    assert web.get("/", if_modified_since="yesterday-ish").status == 200
    # If-None-Match wins over If-Modified-Since.
    assert (
        web.get(
            "/", if_none_match='"other"', if_modified_since=page.headers["last-modified"]
        ).status
        == 200
    )


def test_head_with_a_matching_etag_gets_304(web, small_newsroom):
    etag = web.get("/").headers["etag"]
    assert web.head("/", if_none_match=etag).status == 304
