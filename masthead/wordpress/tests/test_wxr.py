"""Reading WordPress exports: what `read_wxr` yields for real-looking exports, and what it says
about files it cannot read."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masthead.testing.wordpress import WxrExport
from masthead.wordpress.wxr import (
    Channel,
    TermRef,
    WxrAuthor,
    WxrError,
    WxrItem,
    WxrTerm,
    parse_wp_date,
    read_wxr,
)


def write(tmp_path: Path, content: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read_until_error(path: Path) -> tuple[list, WxrError]:
    """What was yielded before the error, and the error."""
    read = []
    with pytest.raises(WxrError) as error:
        for entry in read_wxr(path):
            read.append(entry)
    return read, error.value


def of_type(entries: list, kind: type) -> list:
    return [entry for entry in entries if isinstance(entry, kind)]


def five_posts() -> WxrExport:
    export = WxrExport()
    for wp_id in range(1, 6):
        export.post(wp_id, f"Post {wp_id}", f"<p>Body of post {wp_id}.</p>")
    return export


# --- Channel ---------------------------------------------------------------------------------


def test_the_channel_comes_first_and_once_with_the_sites_details(tmp_path):
    export = WxrExport(site="https://news.example.com/", title="Daily News", language="fr-FR")
    export.author("jane").category("politics").post(1, "One").post(2, "Two")

    entries = list(read_wxr(export.write(tmp_path / "export.xml")))

    assert entries[0] == Channel(
        title="Daily News",
        link="https://news.example.com",
        base_site_url="https://news.example.com",
        base_blog_url="https://news.example.com",
        wxr_version="1.2",
        language="fr-FR",
    )
    assert len(of_type(entries, Channel)) == 1
    assert [type(entry) for entry in entries[1:]] == [WxrAuthor, WxrTerm, WxrItem, WxrItem]


def test_the_channel_is_yielded_before_the_rest_of_the_file_is_read(tmp_path):
    export = WxrExport()
    for wp_id in range(1, 400):
        export.post(wp_id, f"Post {wp_id}", "words " * 200)
    path = export.write(tmp_path / "export.xml")

    reader = read_wxr(path)
    assert isinstance(next(reader), Channel)
    first_item = next(reader)
    assert first_item.wp_id == 1
    reader.close()


def test_an_export_with_nothing_in_it_still_gives_its_channel(tmp_path):
    entries = list(read_wxr(WxrExport(title="Empty").write(tmp_path / "export.xml")))

    assert len(entries) == 1
    assert entries[0].title == "Empty"


def test_the_blog_address_falls_back_to_the_channel_link(tmp_path):
    xml = WxrExport(site="https://old.example.org").xml()
    xml = xml.replace("\t<wp:base_blog_url>https://old.example.org</wp:base_blog_url>\n", "")
    xml = xml.replace("\t<language>en-US</language>\n", "")

    channel = next(read_wxr(write(tmp_path, xml)))

    assert channel.base_blog_url == "https://old.example.org"
    assert channel.language == ""


# --- Authors and terms -----------------------------------------------------------------------


def test_authors(tmp_path):
    export = WxrExport()
    export.author(
        "jane",
        display_name="Jane &amp; John",
        email="jane@news.example",
        first_name="Jane",
        last_name="Doe",
        bio="Covers city hall.",
        wp_id=7,
    )
    export.author("bob")

    authors = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrAuthor)

    assert authors[0] == WxrAuthor(
        login="jane",
        wp_id=7,
        email="jane@news.example",
        display_name="Jane & John",
        first_name="Jane",
        last_name="Doe",
        bio="Covers city hall.",
        line=13,
    )
    assert (authors[1].login, authors[1].display_name, authors[1].bio) == ("bob", "bob", "")


def test_wxr_1_0_authors_have_no_id(tmp_path):
    export = WxrExport(version="1.0").author("jane", display_name="Jane")

    entries = list(read_wxr(export.write(tmp_path / "export.xml")))

    assert entries[0].wxr_version == "1.0"
    assert entries[1].login == "jane"
    assert entries[1].wp_id is None
    assert entries[1].display_name == "Jane"


def test_categories_with_parents_and_tags(tmp_path):
    export = WxrExport()
    export.category("news", "News &amp; Views", description="What happened.", wp_id=3)
    export.category("local", "Local", parent="news", wp_id=4)
    export.tag("city-hall", "City Hall", wp_id=9)

    terms = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrTerm)

    assert [(t.kind, t.wp_id, t.slug, t.name, t.parent_slug, t.description) for t in terms] == [
        ("category", 3, "news", "News & Views", "", "What happened."),
        ("category", 4, "local", "Local", "news", ""),
        ("tag", 9, "city-hall", "City Hall", "", ""),
    ]


def test_wp_term_elements_name_their_taxonomy(tmp_path):
    terms_xml = (
        "\t<wp:term><wp:term_id>21</wp:term_id><wp:term_taxonomy>post_tag</wp:term_taxonomy>"
        "<wp:term_slug><![CDATA[budget]]></wp:term_slug>"
        "<wp:term_name><![CDATA[Budget &amp; Tax]]></wp:term_name></wp:term>\n"
        "\t<wp:term><wp:term_id>22</wp:term_id><wp:term_taxonomy>region</wp:term_taxonomy>"
        "<wp:term_slug><![CDATA[north]]></wp:term_slug>"
        "<wp:term_parent><![CDATA[country]]></wp:term_parent>"
        "<wp:term_name><![CDATA[North]]></wp:term_name>"
        "<wp:term_description><![CDATA[The north.]]></wp:term_description></wp:term>\n"
    )
    xml = WxrExport().post(1, "One").xml().replace("\t<generator>", terms_xml + "\t<generator>")

    entries = list(read_wxr(write(tmp_path, xml)))

    assert of_type(entries, WxrTerm) == [
        WxrTerm("tag", 21, "budget", "Budget & Tax", "", "", line=13),
        WxrTerm("region", 22, "north", "North", "country", "The north.", line=14),
    ]
    assert entries[-1].wp_id == 1


# --- Items -----------------------------------------------------------------------------------


def test_a_posts_fields(tmp_path):
    export = WxrExport(site="https://old.example.org")
    export.category("news", "News").tag("city", "City")
    export.post(
        101,
        "Council votes",
        "<p>The council voted.</p>\n\n<p>Second paragraph.</p>\n",
        slug="council-votes",
        date="2024-03-01 08:15:00",
        date_gmt="2024-03-01 07:15:00",
        modified="2024-03-02 10:00:00",
        modified_gmt="2024-03-02 09:00:00",
        creator="jane",
        excerpt="A short summary.",
        categories=["news"],
        tags=["city"],
        menu_order=3,
    )

    item = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrItem)[0]

    assert item == WxrItem(
        wp_id=101,
        post_type="post",
        status="publish",
        title="Council votes",
        slug="council-votes",
        link="https://old.example.org/2024/03/council-votes/",
        guid="https://old.example.org/?p=101",
        creator="jane",
        content="<p>The council voted.</p>\n\n<p>Second paragraph.</p>\n",
        excerpt="A short summary.",
        post_date="2024-03-01 08:15:00",
        post_date_gmt="2024-03-01 07:15:00",
        modified="2024-03-02 10:00:00",
        modified_gmt="2024-03-02 09:00:00",
        pub_date="Mon, 06 May 2024 09:30:00 +0000",
        parent_id=0,
        menu_order=3,
        attachment_url="",
        terms=[TermRef("category", "news", "News"), TermRef("post_tag", "city", "City")],
        meta={},
        line=16,
    )
    assert item.describe() == 'post 101 "Council votes"'


def test_a_draft_page_and_an_attachment(tmp_path):
    export = WxrExport()
    export.page(7, "About us", "<p>Who we are.</p>", status="draft", parent=2)
    export.attachment(8, "2024/05/photo.jpg", parent=7, alt="A photo", caption="Credit: Jane")

    page, attachment = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrItem)

    assert (page.post_type, page.status, page.slug, page.parent_id) == ("page", "draft", "", 2)
    assert page.post_date_gmt == "0000-00-00 00:00:00"
    assert attachment.post_type == "attachment"
    assert (
        attachment.attachment_url == "https://old.example.org/wp-content/uploads/2024/05/photo.jpg"
    )
    assert attachment.parent_id == 7
    assert attachment.excerpt == "Credit: Jane"
    assert attachment.meta == {
        "_wp_attached_file": "2024/05/photo.jpg",
        "_wp_attachment_image_alt": "A photo",
    }


def test_an_items_terms_include_co_authors(tmp_path):
    export = WxrExport().category("sport", "Sport &amp; Leisure")
    export.post(1, "Match report", categories=["sport"], tags=["derby"], coauthors=["jane", "bob"])

    item = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrItem)[0]

    assert item.terms == [
        TermRef("category", "sport", "Sport & Leisure"),
        TermRef("post_tag", "derby", "derby"),
        TermRef("author", "cap-jane", "jane"),
        TermRef("author", "cap-bob", "bob"),
    ]


def test_wxr_1_0_duplicate_categories_without_domain_are_dropped(tmp_path):
    xml = WxrExport(version="1.0").category("news", "News").post(1, "One", categories=["news"])
    xml = xml.xml().replace(
        '\t\t<category domain="category"',
        '\t\t<category><![CDATA[News]]></category>\n\t\t<category domain="category"',
    )

    item = of_type(list(read_wxr(write(tmp_path, xml))), WxrItem)[0]

    assert item.terms == [TermRef("category", "news", "News")]


def test_postmeta(tmp_path):
    export = WxrExport().post(
        1, "One", meta={"_thumbnail_id": "55", "subtitle": "  With spaces  ", "views": "12"}
    )
    xml = export.xml().replace(
        "</item>",
        "\t<wp:postmeta><wp:meta_key>views</wp:meta_key>"
        "<wp:meta_value>13</wp:meta_value></wp:postmeta>\n\t</item>",
    )

    item = of_type(list(read_wxr(write(tmp_path, xml))), WxrItem)[0]

    assert item.meta == {"_thumbnail_id": "55", "subtitle": "  With spaces  ", "views": "13"}


def test_unicode_titles_and_content(tmp_path):
    export = WxrExport()
    export.post(1, "中文标题", "<p>这是一篇中文文章。</p>", excerpt="摘要")
    export.post(2, "Новости дня", "<p>Привет, мир! — «цитата»</p>")

    first, second = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrItem)

    assert (first.title, first.content, first.excerpt) == (
        "中文标题",
        "<p>这是一篇中文文章。</p>",
        "摘要",
    )
    assert first.slug == "%e4%b8%ad%e6%96%87%e6%a0%87%e9%a2%98"
    assert (second.title, second.content) == ("Новости дня", "<p>Привет, мир! — «цитата»</p>")


def test_content_with_cdata_end_markers_and_entities_is_kept_as_written(tmp_path):
    content = (
        "<p>Code: <code>a[b[0]]></code> and ]]> again</p>\n"
        "<!-- wp:paragraph -->\n<p>Tom &amp; Jerry &lt;3</p>\n<!-- /wp:paragraph -->\n\n"
    )
    export = WxrExport().post(1, "  Spaced title  ", content, excerpt=" ]]> ")

    item = of_type(list(read_wxr(export.write(tmp_path / "export.xml"))), WxrItem)[0]

    assert item.content == content
    assert item.excerpt == " ]]> "
    assert item.title == "Spaced title"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_supported_wxr_version_is_read(tmp_path, version):
    export = WxrExport(version=version).author("jane").category("news").tag("city")
    export.post(1, "One", "Body", creator="jane", categories=["news"], tags=["city"])
    export.attachment(2, "photo.jpg", parent=1)

    entries = list(read_wxr(export.write(tmp_path / "export.xml")))

    assert entries[0].wxr_version == version
    assert [type(entry).__name__ for entry in entries] == [
        "Channel",
        "WxrAuthor",
        "WxrTerm",
        "WxrTerm",
        "WxrItem",
        "WxrItem",
    ]
    post = entries[4]
    assert (post.wp_id, post.creator, post.content, post.slug) == (1, "jane", "Body", "one")
    assert [term.slug for term in post.terms] == ["news", "city"]
    assert entries[5].attachment_url.endswith("/wp-content/uploads/photo.jpg")


def test_items_know_the_line_they_start_on(tmp_path):
    export = five_posts()
    path = export.write(tmp_path / "export.xml")
    item_lines = [
        number
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if text.strip() == "<item>"
    ]

    items = of_type(list(read_wxr(path)), WxrItem)

    assert [item.line for item in items] == item_lines
    assert len(set(item_lines)) == 5


# --- Encodings and what comes before the declaration -----------------------------------------

UTF8_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>'


def in_encoding(export: WxrExport, encoding: str) -> bytes:
    """The export as WordPress writes it on a site whose blog charset is `encoding`."""
    xml = export.xml()
    assert xml.startswith(UTF8_DECLARATION)
    return xml.replace(UTF8_DECLARATION, f'<?xml version="1.0" encoding="{encoding}" ?>').encode(
        encoding
    )


@pytest.mark.parametrize(
    ("encoding", "title", "content", "author", "category"),
    [
        ("GBK", "市议会批准港口预算", "<p>议员们周二投票通过了预算。</p>", "张伟", "新闻"),
        (
            "Shift_JIS",
            "東京の港で新しい検査",
            "<p>市議会は予算を承認した。</p>",
            "山田",
            "ニュース",
        ),
    ],
)
def test_an_export_in_a_multi_byte_legacy_encoding(
    tmp_path, encoding, title, content, author, category
):
    export = WxrExport(title=title).author("editor", display_name=author).category("news", category)
    export.post(1, title, content, creator="editor", categories=["news"])
    export.post(2, "Second", "<p>Plain ASCII.</p>")

    entries = list(read_wxr(write(tmp_path, in_encoding(export, encoding))))

    assert entries[0].title == title
    assert of_type(entries, WxrAuthor)[0].display_name == author
    assert of_type(entries, WxrTerm)[0].name == category
    first, second = of_type(entries, WxrItem)
    assert (first.title, first.content, first.terms[0].name) == (title, content, category)
    assert second.content == "<p>Plain ASCII.</p>"


def test_a_large_gbk_export_is_read_in_bounded_memory_and_keeps_its_line_numbers(tmp_path):
    export = WxrExport()
    for wp_id in range(1, 3_001):
        export.post(wp_id, f"第{wp_id}篇文章", "<p>港口预算。" * 40 + "</p>")
    path = write(tmp_path, in_encoding(export, "GBK"))
    item_lines = [
        number
        for number, text in enumerate(path.read_bytes().decode("gbk").splitlines(), start=1)
        if text.strip() == "<item>"
    ]

    count, peak = peak_memory_reading(path)
    items = of_type(list(read_wxr(path)), WxrItem)

    assert path.stat().st_size > 1_000_000
    assert count == 3_001
    assert peak < 3_000_000
    assert [item.line for item in items] == item_lines
    assert items[-1].title == "第3000篇文章"


def test_a_single_byte_legacy_encoding_is_read_as_declared(tmp_path):
    export = WxrExport().post(1, "Café “crème” brûlée", "<p>Déjà vu… naïve</p>")

    (item,) = of_type(list(read_wxr(write(tmp_path, in_encoding(export, "windows-1252")))), WxrItem)

    assert (item.title, item.content) == ("Café “crème” brûlée", "<p>Déjà vu… naïve</p>")


def test_a_utf16_export_with_its_byte_order_mark(tmp_path):
    export = WxrExport().post(1, "東京の港", "<p>本文</p>")
    xml = "\r\n" + export.xml().replace(UTF8_DECLARATION, '<?xml version="1.0" encoding="UTF-16"?>')

    (item,) = of_type(list(read_wxr(write(tmp_path, xml.encode("utf-16")))), WxrItem)

    assert (item.title, item.content) == ("東京の港", "<p>本文</p>")


def test_an_unknown_encoding_is_named(tmp_path):
    xml = five_posts().xml().replace(UTF8_DECLARATION, '<?xml version="1.0" encoding="klingon-8"?>')

    read, error = read_until_error(write(tmp_path, xml))

    assert read == []
    assert 'written in the character encoding "klingon-8", which Masthead does not know' in str(
        error
    )
    assert 'Save it as UTF-8 (and change that to encoding="UTF-8")' in str(error)


def test_bytes_that_are_not_the_declared_encoding_name_the_line(tmp_path):
    export = five_posts()
    data = in_encoding(export, "Shift_JIS")
    cut = data.index(b"Body of post 3")
    data = data[:cut] + b"\x81\x20" + data[cut:]  # a lead byte with no valid second byte
    bad_line = data[:cut].count(b"\n") + 1

    read, error = read_until_error(write(tmp_path, data))

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1, 2]
    assert f"says it is written in Shift_JIS, but near line {bad_line} (in the item" in str(error)
    assert "The 2 items before that point were read." in str(error)


@pytest.mark.parametrize(
    "before",
    [
        b"\n\n",
        b"  \n\t\n",
        b"\r\n\r\n\r\n",
        b"\xef\xbb\xbf\n\n",
        b"\xef\xbb\xbf\r\n  \r\n",
    ],
    ids=["blank lines", "spaces and tabs", "CRLF", "BOM and blank lines", "BOM and CRLF"],
)
def test_whitespace_before_the_declaration_is_skipped_and_lines_still_count(tmp_path, before):
    xml = five_posts().xml()
    if b"\r\n" in before:
        xml = xml.replace("\n", "\r\n")
    path = write(tmp_path, before + xml.encode("utf-8"))
    text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    item_lines = [
        number for number, line in enumerate(text.splitlines(), start=1) if line.strip() == "<item>"
    ]

    entries = list(read_wxr(path))

    assert isinstance(entries[0], Channel)
    assert entries[0].title == "The Old Site"
    assert [item.title for item in of_type(entries, WxrItem)] == [f"Post {n}" for n in range(1, 6)]
    assert [item.line for item in of_type(entries, WxrItem)] == item_lines


def test_errors_after_leading_blank_lines_name_the_files_own_line(tmp_path):
    xml = "\n\n\n" + five_posts().xml().replace("<title>Post 3</title>", "<title>Post 3</titel>")
    bad_line = xml[: xml.index("</titel>")].count("\n") + 1

    _, error = read_until_error(write(tmp_path, xml))

    assert f"not well-formed XML at line {bad_line}, column " in str(error)


def test_blank_lines_before_a_gbk_declaration(tmp_path):
    data = b"\r\n\r\n" + in_encoding(WxrExport().post(7, "港口", "<p>预算</p>"), "GBK")

    (item,) = of_type(list(read_wxr(write(tmp_path, data))), WxrItem)

    assert (item.wp_id, item.title) == (7, "港口")
    assert item.line == data.decode("gbk").splitlines().index("\t<item>") + 1


def test_a_file_of_only_blank_lines_is_empty(tmp_path):
    _, error = read_until_error(write(tmp_path, b"\xef\xbb\xbf\n\n  \r\n"))

    assert "export.xml is empty" in str(error)


# --- Files that cannot be read ---------------------------------------------------------------


def test_a_file_that_is_not_xml(tmp_path):
    read, error = read_until_error(write(tmp_path, "id,title\n1,Hello\n", "posts.csv"))

    assert read == []
    assert "posts.csv is not an XML file" in str(error)
    assert "Tools → Export" in str(error)


def test_an_empty_file(tmp_path):
    read, error = read_until_error(write(tmp_path, b""))

    assert read == []
    assert str(error).startswith("export.xml is empty")


def test_a_zip_archive(tmp_path):
    _, error = read_until_error(write(tmp_path, b"PK\x03\x04\x14\x00\x08\x00 binary"))

    assert "is a ZIP archive" in str(error)
    assert "Unzip it" in str(error)


@pytest.mark.parametrize(
    "page",
    [
        # A login page saved instead of the export: not even well-formed.
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Log In</title>",
        # Well-formed XHTML.
        '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
)
def test_an_html_page(tmp_path, page):
    read, error = read_until_error(write(tmp_path, page, "export.html"))

    assert read == []
    assert "export.html is an HTML page, not a WordPress export" in str(error)
    assert "Tools → Export" in str(error)


def test_a_plain_rss_feed(tmp_path):
    feed = (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title>'
        "<link>https://news.example</link><item><title>A story</title>"
        "<link>https://news.example/a</link></item></channel></rss>\n"
    )
    read, error = read_until_error(write(tmp_path, feed, "feed.xml"))

    assert read == []
    assert "feed.xml is an RSS feed, not a WordPress export" in str(error)
    assert "Tools → Export" in str(error)


def test_an_atom_feed_or_other_xml(tmp_path):
    atom = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title/></feed>'
    _, error = read_until_error(write(tmp_path, atom, "atom.xml"))
    assert "atom.xml is an Atom feed, not a WordPress export" in str(error)

    _, error = read_until_error(write(tmp_path, "<urlset><url/></urlset>", "sitemap.xml"))
    assert "root element is <urlset>, not a WordPress export" in str(error)


def test_an_unknown_wxr_version(tmp_path):
    read, error = read_until_error(WxrExport(version="2.0").post(1, "One").write(tmp_path / "x"))

    assert read == []
    assert str(error).startswith(
        "This export is WXR version 2.0, which Masthead cannot read; it reads WXR 1.0, 1.1 and 1.2"
    )


def test_an_unknown_wxr_namespace_without_a_version(tmp_path):
    xml = WxrExport(version="3.1").post(1, "One").xml()
    xml = xml.replace("\t<wp:wxr_version>3.1</wp:wxr_version>\n", "")

    _, error = read_until_error(write(tmp_path, xml))

    assert "WXR version 3.1, which Masthead cannot read" in str(error)


def test_a_truncated_export_gives_the_items_before_the_cut(tmp_path):
    xml = five_posts().xml()
    cut = xml.index("<p>Body of post 4")
    path = write(tmp_path, xml[:cut])
    cut_line = xml[:cut].count("\n") + 1

    read, error = read_until_error(path)

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1, 2, 3]
    assert str(error).startswith(f"The export ends in the middle (line {cut_line}, column ")
    assert "the file looks truncated. The 3 items before that point were read." in str(error)


def test_a_syntax_error_inside_an_item_names_it(tmp_path):
    xml = five_posts().xml().replace("<title>Post 3</title>", "<title>Post 3</titel>")
    bad_line = xml[: xml.index("</titel>")].count("\n") + 1
    bad_column = xml.splitlines()[bad_line - 1].index("titel>") + 1  # the name that mismatches

    read, error = read_until_error(write(tmp_path, xml))

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1, 2]
    assert f"not well-formed XML at line {bad_line}, column {bad_column} (mismatched tag)" in str(
        error
    )
    assert "in the item that starts at line" in str(error)
    assert "The 2 items before that point were read." in str(error)


def test_a_syntax_error_between_items_names_the_item_before(tmp_path):
    xml = five_posts().xml()
    second_end = xml.index("</item>", xml.index("</item>") + 1) + len("</item>")
    xml = xml[:second_end] + "\n<<" + xml[second_end:]

    read, error = read_until_error(write(tmp_path, xml))

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1, 2]
    assert "(not well-formed (invalid token))" in str(error)
    assert 'after post 2 "Post 2"' in str(error)


def test_an_undefined_entity_is_a_syntax_error(tmp_path):
    xml = five_posts().xml().replace("<title>Post 2</title>", "<title>Post&nbsp;2</title>")

    read, error = read_until_error(write(tmp_path, xml))

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1]
    assert "(undefined entity)" in str(error)
    assert "The 1 items before" not in str(error)
    assert "The 1 item before that point were read." in str(error)


def test_a_post_id_that_is_not_a_number(tmp_path):
    xml = five_posts().xml().replace("<wp:post_id>4</wp:post_id>", "<wp:post_id>abc</wp:post_id>")

    read, error = read_until_error(write(tmp_path, xml))

    assert [item.wp_id for item in of_type(read, WxrItem)] == [1, 2, 3]
    assert "Item 4 of the export (line " in str(error)
    assert "title \"Post 4\"): wp:post_id is 'abc', not a number." in str(error)


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        + "\n".join(entities)
        + "\n]>\n<rss><channel><title>&lol9;</title></channel></rss>\n"
    )

    read, error = read_until_error(write(tmp_path, bomb))

    assert read == []
    assert "export.xml declares its own XML entities (line 3)" in str(error)


def test_a_file_that_does_not_exist(tmp_path):
    _, error = read_until_error(tmp_path / "missing.xml")

    assert "Cannot read" in str(error)
    assert "missing.xml" in str(error)


# --- Memory ----------------------------------------------------------------------------------


def peak_memory_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_wxr(path))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_items(tmp_path):
    def export_with(count: int) -> Path:
        export = WxrExport().category("news")
        for wp_id in range(1, count + 1):
            export.post(
                wp_id, f"Post {wp_id}", "words " * 50, slug=f"post-{wp_id}", categories=["news"]
            )
        return export.write(tmp_path / f"{count}.xml")

    small_count, small_peak = peak_memory_reading(export_with(2_000))
    large_count, large_peak = peak_memory_reading(export_with(8_000))

    assert (small_count, large_count) == (2_002, 8_002)
    assert large_peak < small_peak * 1.25
    assert large_peak < 3_000_000


# --- Dates -----------------------------------------------------------------------------------


def test_parse_wp_date():
    paris = ZoneInfo("Europe/Paris")

    assert parse_wp_date("2024-05-06 09:30:00", paris) == datetime(2024, 5, 6, 9, 30, tzinfo=paris)
    assert parse_wp_date("2024-05-06 09:30:00", paris).utcoffset().total_seconds() == 7200
    assert parse_wp_date("2024-01-06 09:30:00", UTC) == datetime(2024, 1, 6, 9, 30, tzinfo=UTC)
    assert parse_wp_date(" 2024-01-06 09:30:00\n", UTC) == datetime(2024, 1, 6, 9, 30, tzinfo=UTC)
    assert parse_wp_date("", UTC) is None
    assert parse_wp_date("0000-00-00 00:00:00", UTC) is None


@pytest.mark.parametrize("raw", ["2024-13-45 99:00:00", "yesterday", "2024-02-30 10:00:00"])
def test_parse_wp_date_refuses_what_is_not_a_date(raw):
    with pytest.raises(WxrError) as error:
        parse_wp_date(raw, UTC)

    assert str(error.value) == f'"{raw}" is not a date'
