"""`manage.py import_wordpress`: what an editor finds in Masthead after importing an export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from taggit.models import Tag
from wagtail.models import Page

from masthead.newsroom.models import ArticlePage, Author, SectionPage, StandardPage
from masthead.wordpress.models import ImportedItem

CLASSIC = (
    "The council <strong>approved</strong> the plan on Monday.\n\n"
    "Residents were <em>not</em> told.\nThey learned of it later.\n\n"
    "<h2>What the records show</h2>\n\n"
    "<ul>\n<li>Three permits</li>\n<li>Two hearings</li>\n</ul>\n\n"
    "<blockquote>We were never asked.<cite>A resident</cite></blockquote>"
)
GUTENBERG = (
    "<!-- wp:paragraph -->\n<p>A Gutenberg story begins.</p>\n<!-- /wp:paragraph -->\n\n"
    '<!-- wp:heading {"level":3} -->\n<h3>A smaller heading</h3>\n<!-- /wp:heading -->\n\n'
    "<!-- wp:list -->\n<ul><li>One</li><li>Two</li></ul>\n<!-- /wp:list -->\n\n"
    "<!-- wp:paragraph -->\n<p>It ends here.</p>\n<!-- /wp:paragraph -->"
)


def article(wp_id: int) -> ArticlePage:
    record = ImportedItem.objects.get(kind=ImportedItem.POST, key=str(wp_id))
    return ArticlePage.objects.get(pk=record.object_id)


def block_types(page) -> list[str]:
    return [block.block_type for block in page.body]


def test_posts_become_articles_with_everything_around_them(newsroom, wordpress_site, run_import):
    wordpress_site.post(
        101,
        "Council approves the plan",
        CLASSIC,
        creator="maria",
        excerpt="<p>What the council decided &amp; why.</p>",
        categories=["politics"],
        tags=["elections", "water"],
        date="2024-05-06 11:30:00",
        date_gmt="2024-05-06 09:30:00",
        modified="2024-05-08 10:00:00",
        modified_gmt="2024-05-08 08:00:00",
    )
    wordpress_site.post(102, "A Gutenberg story", GUTENBERG, creator="oleg", categories=["climate"])

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    first = article(101)
    assert first.title == "Council approves the plan"
    assert first.dek == "What the council decided & why."
    assert first.live
    assert first.first_published_at == datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
    assert first.last_published_at == datetime(2024, 5, 8, 8, 0, tzinfo=UTC)
    assert [author.name for author in first.authors] == ["María Gómez"]
    assert first.section.title == "Politics"
    assert sorted(first.tags.names()) == ["Elections", "Water"]
    assert block_types(first) == ["paragraph", "heading", "paragraph", "quote"]
    assert "<b>approved</b>" in first.body[0].value.source
    assert first.body[2].value.source.count("<li>") == 2
    assert first.body[3].value["attribution"] == "A resident"

    second = article(102)
    assert second.section.title == "Climate & Energy"
    assert block_types(second) == ["paragraph", "heading", "paragraph"]
    assert second.body[1].value["level"] == "h3"
    # The imported articles are searchable and readable like any other.
    response = second.serve(_request(second))
    response.render()
    assert "A Gutenberg story begins." in response.content.decode()


def _request(page):
    from django.test import RequestFactory

    request = RequestFactory().get(page.url)
    request.user = _anonymous()
    return request


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_statuses_drafts_trash_and_types_it_has_no_place_for(newsroom, wordpress_site, run_import):
    wordpress_site.post(1, "Published", "Text.", categories=["politics"])
    wordpress_site.post(2, "A draft", "Text.", status="draft", categories=["politics"])
    wordpress_site.post(3, "Awaiting review", "Text.", status="pending", categories=["politics"])
    wordpress_site.post(4, "Members only", "Text.", status="private", categories=["politics"])
    wordpress_site.post(5, "Coming soon", "Text.", status="future", date="2030-01-01 09:00:00")
    wordpress_site.post(6, "Thrown away", "Text.", status="trash")
    wordpress_site.post(7, "", "", status="auto-draft")
    wordpress_site.post(8, "Menu", "", post_type="nav_menu_item")

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert article(1).live
    for wp_id in (2, 3, 4, 5):
        page = article(wp_id)
        assert not page.live and page.first_published_at is None, page.title
    assert not ImportedItem.objects.filter(key__in=["6", "7", "8"]).exists()
    assert ArticlePage.objects.count() == 5
    assert 'post 6 "Thrown away": in WordPress\'s trash' in run.output
    assert "scheduled in WordPress: imported as a draft" in run.output
    assert "private in WordPress: imported as a draft" in run.output
    assert "1 nav_menu_item" in run.output


def test_authors_keep_their_email_private_and_co_authors_share_bylines(
    newsroom, wordpress_site, run_import, client
):
    wordpress_site.post(
        1, "Written together", "Text.", creator="maria", coauthors=["oleg"], categories=["climate"]
    )
    wordpress_site.post(2, "By a guest", "Text.", creator="guest-writer", categories=["climate"])

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert [author.name for author in article(1).authors] == ["María Gómez", "Олег Петров"]
    assert [author.name for author in article(2).authors] == ["guest-writer"]
    oleg = Author.objects.get(name="Олег Петров")
    assert "Covers courts." in oleg.bio
    record = ImportedItem.objects.get(kind=ImportedItem.AUTHOR, key="oleg")
    assert record.private["email"] == "oleg@old.example.org"
    page = client.get(oleg.get_absolute_url())
    assert page.status_code == 200
    assert "Written together" in page.content.decode()
    assert "oleg@old.example.org" not in page.content.decode()


def test_an_existing_author_and_section_are_used_not_copied(newsroom, wordpress_site, run_import):
    politics = newsroom.section("Politics")
    maria = newsroom.author("María Gómez")  # slug "maria-gomez": not the login
    existing_oleg = newsroom.author("Oleg")
    existing_oleg.slug = "oleg"
    existing_oleg.save()
    wordpress_site.post(1, "Story", "Text.", creator="oleg", categories=["politics"])

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert article(1).section.pk == politics.pk
    assert [author.pk for author in article(1).authors] == [existing_oleg.pk]
    assert SectionPage.objects.filter(slug="politics").count() == 1
    assert Author.objects.filter(slug="oleg").count() == 1
    assert maria.pk != Author.objects.get(slug="maria").pk  # another person's login


def test_subcategories_become_tags_in_their_parents_section(newsroom, wordpress_site, run_import):
    wordpress_site.post(1, "City hall", "Text.", categories=["local-politics"])
    wordpress_site.post(
        2,
        "Both",
        "Text.",
        categories=["climate", "politics"],
        meta={"_yoast_wpseo_primary_category": "1"},  # politics is term 1
    )

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert article(1).section.slug == "politics"
    assert "Local politics" in article(1).tags.names()
    assert article(2).section.slug == "politics"
    assert "Climate & Energy" in article(2).tags.names()
    assert not SectionPage.objects.filter(slug="local-politics").exists()


def test_pages_become_standard_pages_nested_as_they_were(newsroom, wordpress_site, run_import):
    wordpress_site.page(20, "About us", "<p>Who we are.</p>")
    wordpress_site.page(21, "Our team", "<p>The people.</p>", parent=20)
    wordpress_site.page(19, "Ethics", "<p>Rules.</p>", parent=21)  # a child before its parent

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    about = StandardPage.objects.get(title="About us")
    team = StandardPage.objects.get(title="Our team")
    ethics = StandardPage.objects.get(title="Ethics")
    assert about.get_parent().pk == newsroom.home.pk
    assert team.get_parent().pk == about.pk
    assert ethics.get_parent().pk == team.pk
    assert ethics.url == "/about-us/our-team/ethics/"
    assert _count(run, "pages", 0) == 3


def _count(run, kind: str, column: int) -> int:
    for line in run.output.splitlines():
        if line.startswith(kind):
            return int(line.split()[1 + column])
    raise AssertionError(f"no {kind} line in:\n{run.output}")


def test_unicode_titles_slugs_and_bodies(newsroom, wordpress_site, run_import, client):
    wordpress_site.post(
        1,
        "水务局隐瞒检查报告",
        "<p>调查显示，报告被隐瞒了三年。</p>",  # noqa: RUF001 - Chinese punctuation
        categories=["politics"],
    )
    wordpress_site.post(
        2, "Суд отложил решение", "<p>Решение отложено на месяц.</p>", categories=["politics"]
    )

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    chinese, russian = article(1), article(2)
    assert chinese.slug == "水务局隐瞒检查报告"
    assert russian.slug == "суд-отложил-решение"
    response = client.get(russian.url)
    assert response.status_code == 200
    assert "Решение отложено на месяц." in response.content.decode()
    assert "调查显示" in client.get(chinese.url).content.decode()


def test_importing_again_duplicates_nothing_and_updates_what_changed(
    newsroom, wordpress_site, run_import
):
    wordpress_site.post(1, "First version", "Old text.", categories=["politics"], tags=["water"])
    wordpress_site.post(2, "Untouched", "Same text.", categories=["politics"])
    wordpress_site.post(3, "Edited in Masthead", "Text.", categories=["politics"])
    wordpress_site.post(4, "Deleted in Masthead", "Text.", categories=["politics"])
    assert run_import(wordpress_site).succeeded
    counts = (Page.objects.count(), Author.objects.count(), Tag.objects.count())
    edited = article(3)
    edited.title = "An editor's better headline"
    edited.save_revision().publish()
    article(4).delete()

    wordpress_site.items[0].title = "Second version"
    wordpress_site.items[0].content = "New text."
    wordpress_site.items[2].content = "WordPress changed too."
    wordpress_site.items[3].content = "WordPress changed this one as well."
    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert (Page.objects.count() + 1, Author.objects.count(), Tag.objects.count()) == counts
    updated = article(1)
    assert updated.title == "Second version"
    assert updated.body_text() == "New text."
    assert updated.tags.names()[0] == "Water"
    assert _count(run, "posts", 0) == 0  # created
    assert _count(run, "posts", 1) == 1  # updated
    assert _count(run, "posts", 2) == 1  # unchanged
    assert article(3).title == "An editor's better headline"
    assert "edited in Masthead since it was imported" in run.output
    assert "deleted in Masthead since it was imported" in run.output
    assert ImportedItem.objects.filter(kind=ImportedItem.POST).count() == 4


def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_does(
    newsroom, wordpress_site, run_import
):
    wordpress_site.post(1, "One", "[pullquote]Hi[/pullquote] Text.", categories=["politics"])
    wordpress_site.post(2, "Two", "Text.", slug="one", categories=["politics"])
    wordpress_site.page(3, "About", "Text.")
    before = (Page.objects.count(), Author.objects.count(), Tag.objects.count())

    dry = run_import(wordpress_site, "--dry-run")

    assert dry.succeeded, dry.output + dry.error
    assert (Page.objects.count(), Author.objects.count(), Tag.objects.count()) == before
    assert not ImportedItem.objects.exists()
    assert dry.output.startswith("Dry run: nothing was written.")
    real = run_import(wordpress_site)
    assert _report_body(dry.output) == _report_body(real.output)
    assert Page.objects.count() == before[0] + 3 + 2  # three items, two new sections


def _report_body(output: str) -> list[str]:
    """The report without its first line (dry run or not, and the time it took) and without
    what only a real run starts afterwards."""
    body = output.split("\n", 1)[1].split('"More Articles"')[0]
    return body.strip().splitlines()


def test_duplicate_slugs_are_renamed_and_reported(newsroom, wordpress_site, run_import):
    wordpress_site.post(
        1, "Budget", "2023.", slug="budget", date="2023-03-01 09:00:00", categories=["politics"]
    )
    wordpress_site.post(
        2, "Budget", "2024.", slug="budget", date="2024-03-01 09:00:00", categories=["politics"]
    )

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert (article(1).slug, article(2).slug) == ("budget", "budget-2")
    assert 'post 2 "Budget": the address "budget" is already taken in Politics' in run.output


def test_an_invalid_date_fails_that_post_alone(newsroom, wordpress_site, run_import):
    wordpress_site.post(1, "Good", "Text.", categories=["politics"])
    wordpress_site.post(
        2, "Bad date", "Text.", date="2024-13-45 99:00:00", date_gmt="2024-13-45 99:00:00"
    )
    wordpress_site.post(3, "Also good", "Text.", categories=["politics"])

    run = run_import(wordpress_site)

    assert "1 item(s) could not be imported" in run.error
    assert 'post 2 "Bad date": "2024-13-45 99:00:00" is not a date' in run.output
    assert article(1).live and article(3).live
    assert not ImportedItem.objects.filter(key="2").exists()
    assert not ArticlePage.objects.filter(title="Bad date").exists()


def test_a_post_that_cannot_be_saved_fails_alone_and_leaves_nothing_behind(
    newsroom, wordpress_site, run_import, monkeypatch
):
    from masthead.wordpress import importer

    for number in range(1, 6):
        wordpress_site.post(number, f"Story {number}", "Text.", categories=["politics"])
    real_index = importer.WordPressImport.index

    def failing_for_story_three(self, page_ids, removed=()):
        # The last step of writing a batch: the pages, bylines and redirects are written.
        titles = set(Page.objects.filter(pk__in=page_ids).values_list("title", flat=True))
        if "Story 3" in titles:
            raise RuntimeError("the database refused it")
        return real_index(self, page_ids, removed)

    monkeypatch.setattr(importer.WordPressImport, "index", failing_for_story_three)
    run = run_import(wordpress_site)

    assert 'post 3 "Story 3": RuntimeError: the database refused it' in run.output
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == [
        "Story 1",
        "Story 2",
        "Story 4",
        "Story 5",
    ]
    assert not ImportedItem.objects.filter(kind=ImportedItem.POST, key="3").exists()
    assert all(page.authors for page in ArticlePage.objects.all())
    # What was waiting to be written with the failed batch was written with the others.
    from wagtail.contrib.redirects.models import Redirect

    for path in ("/author/admin", "/category/politics", "/2024/05/story-1", "/?p=5"):
        assert Redirect.objects.filter(old_path=path).exists(), path
    assert not Redirect.objects.filter(old_path="/?p=3").exists()
    assert _count(run, "redirects", 0) == Redirect.objects.count()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not xml at all", "ZIP"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>'
            b"</channel></rss>",
            "not a WordPress export",
        ),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_exports_are_refused_and_nothing_is_written(
    newsroom, run_import, tmp_path, content, message
):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    before = Page.objects.count()

    run = run_import(path)

    assert message in run.error
    assert "WordPress export" in run.error or not content
    assert Page.objects.count() == before


def test_an_unknown_wxr_version_is_refused(newsroom, run_import):
    from masthead.testing.wordpress import WxrExport

    export = WxrExport(version="2.0")
    export.post(1, "Story", "Text.")

    run = run_import(export)

    assert "2.0" in run.error
    assert not ArticlePage.objects.exists()


def test_a_truncated_file_imports_what_came_before_and_says_so(
    newsroom, wordpress_site, run_import, tmp_path
):
    for number in range(1, 6):
        wordpress_site.post(number, f"Story {number}", "Text.", categories=["politics"])
    xml = wordpress_site.xml()
    cut = xml.index("<title>Story 4</title>") + 30
    path = tmp_path / "truncated.xml"
    path.write_text(xml[:cut], encoding="utf-8")

    run = run_import(path)

    assert "could not be read to the end" in run.error
    assert "truncated" in run.output
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == [
        "Story 1",
        "Story 2",
        "Story 3",
    ]


def test_rich_text_is_sanitized_on_the_way_in(newsroom, wordpress_site, run_import, client):
    wordpress_site.post(
        1,
        "Careful",
        '<p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or '
        '<a href="https://example.org/ok" onmouseover="x()">there</a>.</p>'
        "<script>alert('no')</script><style>body{display:none}</style>"
        '<p><img src="x" onerror="alert(2)"> After.</p>',
        categories=["politics"],
    )

    run = run_import(wordpress_site)

    html = client.get(article(1).url).content.decode()
    assert run.succeeded, run.output + run.error
    body = html[html.index('class="story-body') :]
    for bad in ("steal()", "javascript:", "alert(", "onmouseover", "onerror", "display:none"):
        assert bad not in body
    assert 'href="https://example.org/ok"' in body
    assert "Click here or" in body


def test_the_report_lists_unknown_shortcodes_and_missing_media(
    newsroom, wordpress_site, run_import
):
    wordpress_site.attachment(50, "2024/05/council.jpg", parent=1, alt="The council chamber")
    wordpress_site.post(
        1,
        "Shortcodes",
        '[contact-form-7 id="12"]\n\n[caption id="attachment_50" width="600"]'
        '<img class="wp-image-50" '
        'src="https://old.example.org/wp-content/uploads/2024/05/council.jpg" '
        'alt="The council chamber"> The chamber[/caption]',
        categories=["politics"],
        meta={"_thumbnail_id": "50"},
    )

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert "[contact-form-7] in 1 item(s), e.g. post 1" in run.output
    assert "https://old.example.org/wp-content/uploads/2024/05/council.jpg" in run.output
    assert '[contact-form-7 id="12"]' in article(1).body_text()
    assert "The chamber" in article(1).body_text()  # the caption is kept


def test_progress_is_shown_while_importing(newsroom, wordpress_site, run_import):
    for number in range(1, 21):
        wordpress_site.post(number, f"Story {number}", "Text.", categories=["politics"])

    run = run_import(wordpress_site)

    assert "20 / 20 posts and pages" in run.progress
    assert "[##############################]" in run.progress


def test_a_password_protected_post_stays_behind_its_password(
    newsroom, wordpress_site, run_import, client
):
    wordpress_site.post(
        1, "For members", "<p>The secret findings.</p>", password="s3cret", categories=["politics"]
    )
    wordpress_site.post(2, "For everyone", "<p>Public findings.</p>", categories=["politics"])

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert "password-protected in WordPress" in run.output
    protected = article(1)
    page = client.get(protected.url).content.decode()
    assert "The secret findings." not in page
    assert 'name="password"' in page
    listing = client.get(protected.section.url).content.decode()
    assert "For everyone" in listing and "For members" not in listing
    assert "For members" not in client.get("/search/?q=findings").content.decode()
    opened = client.post(
        f"/_util/authenticate_with_password/{protected.view_restrictions.get().pk}/{protected.pk}/",
        {"password": "s3cret", "return_url": protected.url},
    )
    assert opened.status_code == 302
    assert "The secret findings." in client.get(protected.url).content.decode()


def test_featured_captioned_and_gallery_images_come_from_the_media_folder(
    newsroom, wordpress_site, run_import, client, tmp_path
):
    from PIL import Image as PillowImage

    folder = tmp_path / "wp-content" / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    for name, colour in [("hero", "navy"), ("chamber", "teal"), ("one", "red"), ("two", "gold")]:
        PillowImage.new("RGB", (120, 80), colour).save(folder / f"{name}.jpg")
    site = "https://old.example.org/wp-content/uploads/2024/05"
    wordpress_site.attachment(60, "2024/05/hero.jpg", alt="Flooded street", caption="Photo: M. G.")
    wordpress_site.attachment(61, "2024/05/chamber.jpg", alt="The council chamber")
    wordpress_site.attachment(62, "2024/05/one.jpg", alt="First", caption="The first picture")
    wordpress_site.attachment(63, "2024/05/two.jpg", alt="Second", caption="The second picture")
    wordpress_site.post(
        1,
        "Pictures",
        f'Before.\n\n[caption id="attachment_61" width="600"]<img class="wp-image-61" '
        f'src="{site}/chamber-300x200.jpg" alt="The council chamber"> Where it happened'
        '[/caption]\n\n[gallery ids="62,63"]\n\nAfter.',
        categories=["politics"],
        meta={"_thumbnail_id": "60"},
    )

    dry = run_import(wordpress_site, "--media-dir", str(tmp_path / "wp-content"), "--dry-run")
    run = run_import(wordpress_site, "--media-dir", str(tmp_path / "wp-content"))

    assert run.succeeded, run.output + run.error
    assert _report_body(dry.output) == _report_body(run.output)
    assert "Missing media" not in run.output
    page = article(1)
    assert page.hero_image.title == "hero"
    assert (page.hero_alt, page.hero_caption) == ("Flooded street", "Photo: M. G.")
    figures = [block.value for block in page.body if block.block_type == "image"]
    assert [figure["image"].title for figure in figures] == ["chamber", "one", "two"]
    assert [figure["caption"] for figure in figures] == [
        "Where it happened",
        "The first picture",
        "The second picture",
    ]
    html = client.get(page.url).content.decode()
    for alt in ("Flooded street", "The council chamber", "First", "Second"):
        assert f'alt="{alt}"' in html
    assert "Where it happened" in html
    # A second import finds the same images instead of copying them again.
    images = page.hero_image.__class__.objects.count()
    wordpress_site.items[-1].content += "\n\nA correction."
    again = run_import(wordpress_site, "--media-dir", str(tmp_path / "wp-content"))
    assert again.succeeded and page.hero_image.__class__.objects.count() == images == 4
    assert article(1).body_text().endswith("A correction.")


def test_addresses_already_taken_on_the_site_are_never_shared(
    newsroom, wordpress_site, run_import, client
):
    analysis = newsroom.section("Analysis")
    existing = newsroom.article(analysis, "How we verify documents", [newsroom.author("Ana")])
    wordpress_site.category("analysis-desk", "Analysis desk")
    wordpress_site.category("search", "Search")  # /search/ is Masthead's search page
    wordpress_site.page(1, "Analysis", "Our analysis page.", slug="analysis")
    wordpress_site.page(2, "Search tips", "How to search.", slug="search")
    wordpress_site.page(3, "Deutsch", "Auf Deutsch.", slug="de")
    wordpress_site.post(4, "A story", "Text.", categories=["search"])

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    slugs = list(Page.objects.child_of(newsroom.home).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert {"analysis-2", "search-2", "de-2"} <= set(slugs)
    assert 'page 1 "Analysis": the address "analysis" is already taken' in run.output
    assert client.get(existing.url).status_code == 200
    assert client.get(analysis.url).status_code == 200
    assert "Our analysis page." in client.get("/analysis-2/").content.decode()
    assert client.get("/search-2/").status_code == 200
    assert article(4).section.slug == "search-2"


def test_an_editors_work_in_masthead_survives_an_import_of_a_newer_export(
    newsroom, wordpress_site, run_import
):
    wordpress_site.post(1, "Taken down", "Text.", categories=["politics"])
    wordpress_site.post(2, "Trashed in WordPress", "Text.", categories=["politics"])
    wordpress_site.post(3, "Moved by an editor", "Text.", categories=["politics"])
    assert run_import(wordpress_site).succeeded
    article(1).unpublish()  # a legal takedown
    article(3).move(newsroom.section("Elsewhere"), pos="last-child")
    for item in wordpress_site.items:
        item.content = "Changed in WordPress since."
    wordpress_site.items[1].status = "trash"

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert not article(1).live
    assert article(1).body_text() == "Text."
    assert not article(2).live
    assert 'post 2 "Trashed in WordPress": in WordPress\'s trash now: unpublished' in run.output
    assert article(3).section.title == "Elsewhere"
    assert article(3).body_text() == "Text."
    assert run.output.count("edited in Masthead since it was imported") == 2


def test_a_failed_batch_loses_no_redirects_and_a_repeated_id_is_named(
    newsroom, wordpress_site, run_import
):
    from wagtail.contrib.redirects.models import Redirect

    wordpress_site.post(1, "First", "Text.", creator="maria", categories=["politics"])
    wordpress_site.post(2, "Second", "Text.", creator="maria", categories=["politics"])
    wordpress_site.post(2, "Second again", "Text.", creator="maria", categories=["politics"])
    editors = Redirect.objects.create(old_path="/category/climate", redirect_link="/climate/")

    run = run_import(wordpress_site)

    assert 'post 2 "Second again": the export has post id 2 twice' in run.error + run.output
    assert [article(1).title, article(2).title] == ["First", "Second"]
    for path in ("/author/maria", "/?author=1", "/category/politics", "/2024/05/first"):
        assert Redirect.objects.filter(old_path=path).exists(), path
    editors.refresh_from_db()
    assert editors.redirect_link == "/climate/"
    assert "old address /category/climate: already redirects elsewhere" in run.output
    assert _count(run, "redirects", 0) == Redirect.objects.count() - 1


def test_languages_from_polylang_are_pointed_out(newsroom, wordpress_site, run_import):
    wordpress_site.post(1, "English", "Text.", categories=["politics"])
    wordpress_site.items[-1].terms.append(("language", "en", "English"))
    wordpress_site.post(2, "Français", "Texte.", categories=["politics"])
    wordpress_site.items[-1].terms.append(("language", "fr", "Français"))

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert "This export names languages (en, fr; Polylang or WPML)" in run.output


def test_media_masthead_has_no_block_for_is_kept_as_a_link_and_reported(
    newsroom, wordpress_site, run_import, client
):
    wordpress_site.post(
        1,
        "Listen",
        '[audio mp3="https://old.example.org/wp-content/uploads/2024/05/interview.mp3"][/audio]'
        "\n\nRead the report:\n\nhttps://www.example.gov/reports/2020.pdf",
        categories=["politics"],
    )

    run = run_import(wordpress_site)

    assert run.succeeded, run.output + run.error
    assert "Kept as a link or left out: 1" in run.output
    assert "interview.mp3" in run.output
    html = client.get(article(1).url).content.decode()
    assert 'href="https://old.example.org/wp-content/uploads/2024/05/interview.mp3"' in html
    assert 'href="https://www.example.gov/reports/2020.pdf"' in html
