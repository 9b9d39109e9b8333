"""The index follows publishing: published articles are in it, drafts never, unpublished and
deleted ones leave it; `search_reindex` rebuilds it."""

from io import StringIO

from django.core.management import call_command
from wagtail.models import PageViewRestriction

from masthead.search.index import index_pages, rebuild
from masthead.search.models import SearchEntry


def test_publishing_an_article_indexes_its_text(newsroom, searcher):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    story = newsroom.article(
        section,
        "Inspectors clear containers",
        [author],
        dek="The backlog at the port",
        paragraphs=("Cranes stood idle.", "Night shifts resumed."),
    )

    entry = SearchEntry.objects.get(page=story)
    assert (entry.language, entry.title, entry.dek) == (
        "en",
        "Inspectors clear containers",
        "The backlog at the port",
    )
    assert entry.body == "Cranes stood idle.\nNight shifts resumed."
    assert searcher.titles(q="cranes") == ["Inspectors clear containers"]
    # Sections and the home page are not searched.
    assert not SearchEntry.objects.filter(page=section).exists()


def test_a_draft_is_never_found(newsroom, searcher):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    newsroom.article(section, "Secret harbour plan", [author], publish=False)

    assert not SearchEntry.objects.exists()
    assert searcher.titles(q="secret") == []


def test_a_draft_revision_of_a_published_article_is_not_searched(newsroom, searcher):
    section = newsroom.section("Harbour")
    story = newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])
    story.title = "Embargoed headline"
    story.save_revision()  # saved, not published

    assert searcher.titles(q="embargoed") == []
    assert searcher.titles(q="reopens") == ["Harbour reopens"]


def test_an_unpublished_article_disappears(newsroom, searcher):
    section = newsroom.section("Harbour")
    story = newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])
    assert searcher.titles(q="harbour") == ["Harbour reopens"]

    story.unpublish()

    assert not SearchEntry.objects.filter(page=story).exists()
    assert searcher.titles(q="harbour") == []


def test_a_deleted_article_leaves_the_index(newsroom, searcher):
    section = newsroom.section("Harbour")
    story = newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])

    story.delete()

    assert not SearchEntry.objects.exists()
    assert searcher.titles(q="harbour") == []


def test_a_private_article_is_not_found_though_it_is_indexed(newsroom, searcher):
    section = newsroom.section("Harbour")
    story = newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="members"
    )

    assert SearchEntry.objects.filter(page=story).exists()
    assert searcher.titles(q="harbour") == []


def test_an_article_made_not_live_behind_the_index_back_is_not_found(newsroom, searcher):
    """Visibility is checked when searching, not only when indexing."""
    section = newsroom.section("Harbour")
    story = newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])
    type(story).objects.filter(pk=story.pk).update(live=False)

    assert searcher.titles(q="harbour") == []


def test_rebuild_indexes_every_live_article_and_nothing_else(small_newsroom, searcher):
    draft = small_newsroom.article(
        small_newsroom.section("Drafts"), "Unfinished", [], publish=False
    )
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(page=draft, language="en", title="Stale entry")

    assert rebuild() == 7

    assert SearchEntry.objects.count() == 7
    assert not SearchEntry.objects.filter(page=draft).exists()
    assert len(searcher.titles(q="days old")) == 7


def test_search_reindex_command(small_newsroom, searcher):
    SearchEntry.objects.all().delete()
    assert searcher.titles(q="canada") == []
    output = StringIO()

    call_command("search_reindex", stdout=output)

    assert "Indexed 7 published articles." in output.getvalue()
    assert len(searcher.titles(q="canada")) == 4


def test_indexing_many_at_once_stores_what_indexing_one_by_one_does(small_newsroom, searcher):
    from masthead.newsroom.models import ArticlePage

    chinese = small_newsroom.article(
        small_newsroom.section("World"),
        "港口检查恢复",
        [],
        paragraphs=("夜班工人回来了。", "A <b>bold</b> claim."),
    )
    one_by_one = {
        entry.page_id: (entry.title, entry.body, entry.folded, str(entry.search_vector))
        for entry in SearchEntry.objects.all()
    }
    SearchEntry.objects.all().delete()

    stored = index_pages(ArticlePage.objects.select_related("locale"))

    assert stored == 8
    at_once = {
        entry.page_id: (entry.title, entry.body, entry.folded, str(entry.search_vector))
        for entry in SearchEntry.objects.all()
    }
    assert at_once == one_by_one
    assert searcher.titles(q="港口") == ["港口检查恢复"]
    assert searcher.titles(q="bold claim") == [chinese.title]
