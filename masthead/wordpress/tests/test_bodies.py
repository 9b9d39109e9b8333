"""WordPress post content (classic and Gutenberg) as article body blocks."""

from __future__ import annotations

import random
import types

import pytest

from masthead.newsroom.blocks import ArticleBodyBlock
from masthead.testing.content import make_image
from masthead.wordpress.bodies import ConvertedBody, ImageRequest, convert_body, plain_text

UPLOADS = "https://old.example.org/wp-content/uploads/2024/05"


class FakeLibrary:
    """Knows the images whose url or attachment id it was given; remembers every request."""

    def __init__(self, urls: tuple[str, ...] = (), ids: tuple[int, ...] = (), pk: int | None = 7):
        self.urls = set(urls)
        self.ids = set(ids)
        self.pk = pk
        self.requests: list[ImageRequest] = []

    def __call__(self, request: ImageRequest):
        self.requests.append(request)
        if request.url in self.urls or request.attachment_id in self.ids:
            return types.SimpleNamespace(pk=self.pk)
        return None


def convert(content: str, library: FakeLibrary | None = None) -> ConvertedBody:
    return convert_body(content, library or FakeLibrary())


def kinds(body: ConvertedBody) -> list[str]:
    return [block["type"] for block in body.blocks]


def values(body: ConvertedBody, kind: str) -> list:
    return [block["value"] for block in body.blocks if block["type"] == kind]


def gutenberg(name: str, inner: str, attrs: str = "") -> str:
    opener = f"<!-- wp:{name} {attrs} -->" if attrs else f"<!-- wp:{name} -->"
    return f"{opener}\n{inner}\n<!-- /wp:{name} -->\n\n"


# Classic content: wpautop's paragraphs and line breaks


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    body = convert("First line\nsecond line.\n\nA new paragraph.\n\n\n\nAnd a third.")

    assert kinds(body) == ["paragraph"]
    assert body.blocks[0]["value"] == (
        "<p>First line<br/>second line.</p><p>A new paragraph.</p><p>And a third.</p>"
    )


def test_content_that_already_has_paragraphs_is_not_wrapped_twice():
    body = convert("<p>One.</p>\n<p>Two with <strong>bold</strong> and <em>italic</em>.</p>\n")

    assert body.blocks[0]["value"] == "<p>One.</p><p>Two with <b>bold</b> and <i>italic</i>.</p>"


def test_paragraphs_and_lists_share_a_block_until_a_heading_interrupts():
    body = convert(
        "Intro.\n\n<ul>\n<li>One</li>\n<li>Two\nlines</li>\n</ul>\n\n<p>&nbsp;</p>\n"
        "After the list.\n<h1>Big</h1>\nMore.\n<h4>Small</h4>\nEnd."
    )

    assert kinds(body) == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert body.blocks[0]["value"] == (
        "<p>Intro.</p><ul><li>One</li><li>Two<br/>lines</li></ul><p>After the list.</p>"
    )
    assert values(body, "heading") == [
        {"text": "Big", "level": "h2"},
        {"text": "Small", "level": "h3"},
    ]


def test_block_elements_are_not_wrapped_and_div_content_is_kept():
    body = convert(
        "<div class='box'>Boxed <span style='color:red'>words</span></div>\n<hr />\n"
        '<pre>line [gallery ids="1"] one\n  line two</pre>\n'
        "<table><tr><th>Name</th><th>Votes</th></tr><tr><td>Ana</td><td>12</td></tr></table>"
    )

    assert kinds(body) == ["paragraph"]
    assert body.blocks[0]["value"] == (
        "<p>Boxed words</p>"
        '<p>line [gallery ids="1"] one<br/>  line two</p>'
        "<p>Name | Votes</p><p>Ana | 12</p>"
    )


# Gutenberg content


def test_gutenberg_paragraphs_headings_and_lists():
    content = (
        gutenberg("paragraph", "<p>Hello <strong>world</strong>\nagain</p>")
        + gutenberg("paragraph", "<p>Second.</p>")
        + gutenberg("heading", '<h3 class="wp-block-heading">Sub</h3>', '{"level":3}')
        + gutenberg(
            "list",
            "<ul>" + gutenberg("list-item", "<li>A</li>") + gutenberg("list-item", "<li>B</li>"),
        ).replace("\n<!-- /wp:list -->", "</ul>\n<!-- /wp:list -->")
        + gutenberg("list", "<ol><li>Old style</li></ol>", '{"ordered":true}')
    )

    body = convert(content)

    assert kinds(body) == ["paragraph", "heading", "paragraph"]
    assert body.blocks[0]["value"] == "<p>Hello <b>world</b> again</p><p>Second.</p>"
    assert body.blocks[1]["value"] == {"text": "Sub", "level": "h3"}
    assert body.blocks[2]["value"] == "<ul><li>A</li><li>B</li></ul><ol><li>Old style</li></ol>"


def test_gutenberg_quote_and_pullquote():
    content = gutenberg(
        "quote",
        '<blockquote class="wp-block-quote">'
        + gutenberg("paragraph", "<p>To be,</p>")
        + gutenberg("paragraph", "<p>or not.</p>")
        + "<cite>— Hamlet</cite></blockquote>",
    ) + gutenberg(
        "pullquote",
        '<figure class="wp-block-pullquote"><blockquote><p>Big words.</p>'
        "<cite>Someone</cite></blockquote></figure>",
    )

    body = convert(content)

    assert body.blocks[0]["type"] == "quote"
    assert body.blocks[0]["value"] == {"text": "To be,\n\nor not.", "attribution": "Hamlet"}
    assert body.blocks[1]["type"] == "pull_quote"
    assert body.blocks[1]["value"] == "Big words."


def test_gutenberg_image_uses_the_block_id_alt_and_caption():
    library = FakeLibrary(ids=(123,))
    content = gutenberg(
        "image",
        f'<figure class="wp-block-image size-large"><img src="{UPLOADS}/b.jpg" alt="The mayor"/>'
        "<figcaption>The mayor, on Monday.</figcaption></figure>",
        '{"id":123,"sizeSlug":"large"}',
    )

    body = convert(content, library)

    assert library.requests == [
        ImageRequest(f"{UPLOADS}/b.jpg", 123, "The mayor", "The mayor, on Monday.")
    ]
    assert body.blocks[0]["type"] == "image"
    assert body.blocks[0]["value"] == {
        "image": {"image": 7, "alt_text": "The mayor", "decorative": False},
        "caption": "The mayor, on Monday.",
        "credit": "",
    }


def test_gutenberg_galleries_give_one_image_block_per_image():
    old_style = gutenberg(
        "gallery",
        '<figure class="wp-block-gallery"><ul class="blocks-gallery-grid">'
        f'<li><figure><img src="{UPLOADS}/5.jpg" data-id="5" class="wp-image-5"/>'
        "<figcaption>Five</figcaption></figure></li>"
        f'<li><figure><img src="{UPLOADS}/6.jpg" data-id="6"/></figure></li></ul></figure>',
        '{"ids":[5,6]}',
    )
    nested = gutenberg(
        "gallery",
        '<figure class="wp-block-gallery has-nested-images">'
        + gutenberg("image", f'<figure><img src="{UPLOADS}/7.jpg"/></figure>', '{"id":7}')
        + gutenberg("image", f'<figure><img src="{UPLOADS}/8.jpg"/></figure>', '{"id":8}')
        + "</figure>",
        '{"linkTo":"none"}',
    )
    ids_only = gutenberg("gallery", "", '{"ids":[9]}')
    library = FakeLibrary(ids=(5, 6, 7, 8, 9))

    body = convert(old_style + nested + ids_only, library)

    assert kinds(body) == ["image"] * 5
    assert [request.attachment_id for request in library.requests] == [5, 6, 7, 8, 9]
    assert [value["caption"] for value in values(body, "image")] == ["Five", "", "", "", ""]


def test_gutenberg_embed_columns_and_skipped_blocks():
    video = "https://www.youtube.com/watch?v=abc123"
    embed = gutenberg(
        "embed",
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        f"{video}\n</div><figcaption>The speech</figcaption></figure>",
        f'{{"url":"{video}","providerNameSlug":"youtube"}}',
    )
    left = gutenberg("paragraph", "<p>Left</p>")
    columns = gutenberg(
        "columns",
        '<div class="wp-block-columns">'
        + gutenberg("column", f'<div class="wp-block-column">{left}</div>')
        + gutenberg("column", f'<div class="wp-block-column">{embed}</div>')
        + "</div>",
    )
    skipped = (
        gutenberg("spacer", '<div style="height:100px" class="wp-block-spacer"></div>')
        + '<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->\n'
        + "<!-- wp:more --><!--more--><!-- /wp:more -->\n"
        + "<!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage -->\n"
        + "<!-- wp:latest-posts /-->\n"
    )
    others = gutenberg(
        "acme/notice", '<div class="notice"><p>Unknown block words</p></div>'
    ) + gutenberg(
        "html", '<p onclick="x()">Custom <b style="color:red">HTML</b></p><script>x()</script>'
    )
    content = columns + skipped + others

    body = convert(content)

    assert kinds(body) == ["paragraph", "embed", "paragraph"]
    assert body.blocks[0]["value"] == "<p>Left</p>"
    assert body.blocks[1]["value"] == {
        "embed": "https://www.youtube.com/watch?v=abc123",
        "caption": "The speech",
    }
    assert body.blocks[2]["value"] == "<p>Unknown block words</p><p>Custom <b>HTML</b></p>"


# Shortcodes


@pytest.mark.parametrize(
    "image_html",
    [
        f'<img class="size-medium wp-image-12" src="{UPLOADS}/a-300x200.jpg" alt="A tram" />',
        f'<a href="{UPLOADS}/a.jpg"><img class="size-medium wp-image-12" '
        f'src="{UPLOADS}/a-300x200.jpg" alt="A tram" /></a>',
    ],
    ids=["bare", "linked"],
)
def test_caption_shortcode_becomes_an_image_with_its_caption(image_html):
    library = FakeLibrary(ids=(12,))
    content = (
        "Before.\n\n"
        f'[caption id="attachment_12" align="alignnone" width="300"]{image_html} '
        "A tram &amp; its driver[/caption]\n\nAfter."
    )

    body = convert(content, library)

    assert kinds(body) == ["paragraph", "image", "paragraph"]
    assert library.requests == [
        ImageRequest(f"{UPLOADS}/a-300x200.jpg", 12, "A tram", "A tram & its driver")
    ]
    assert body.blocks[1]["value"]["caption"] == "A tram & its driver"
    assert body.blocks[1]["value"]["image"]["alt_text"] == "A tram"


def test_caption_shortcode_id_is_used_when_the_image_has_no_class():
    library = FakeLibrary(ids=(31,))
    body = convert(
        f'[caption id="attachment_31"]<img src="{UPLOADS}/x.jpg" /> X[/caption]', library
    )

    assert library.requests[0].attachment_id == 31
    assert kinds(body) == ["image"]


def test_gallery_shortcode_asks_for_each_attachment():
    library = FakeLibrary(ids=(1, 3))
    body = convert('Look:\n\n[gallery ids="1,2,3" columns="3"]', library)

    assert kinds(body) == ["paragraph", "image", "image"]
    assert [request.attachment_id for request in library.requests] == [1, 2, 3]
    assert library.requests[0].url == ""
    assert body.missing_images == ["attachment 2"]


def test_embed_shortcode_and_lone_urls_become_embeds():
    body = convert(
        'Watch this:\n\n[embed width="640"]https://www.youtube.com/watch?v=a1&amp;t=5[/embed]\n\n'
        "Or this:\nhttps://vimeo.com/12345\nThat was it.\n\n"
        "<p>https://twitter.com/someone/status/1</p>\n"
        '<p>A link in words: <a href="https://example.org">https://example.org</a></p>\n'
        "[embed]https://youtu.be/b2[/embed]"
    )

    assert kinds(body) == ["paragraph", "embed"] * 4
    assert [value["embed"] for value in values(body, "embed")] == [
        "https://www.youtube.com/watch?v=a1&t=5",
        "https://vimeo.com/12345",
        "https://twitter.com/someone/status/1",
        "https://youtu.be/b2",
    ]
    assert body.blocks[2]["value"] == "<p>Or this:</p>"
    assert body.blocks[4]["value"] == "<p>That was it.</p>"


def test_unknown_shortcodes_are_kept_as_text_and_listed_once():
    body = convert(
        'He said [sic] it was fine [1].\n\n[button url="https://x.org"]Buy[/button]\n\n'
        "[divider /] [note]Careful[/note] [button]Again[/button] [Editor's note: updated]\n\n"
        "<code>[shortcode_in_code foo=1]</code>"
    )

    assert body.unknown_shortcodes == ["button", "divider", "note"]
    paragraph = body.blocks[0]["value"]
    assert "He said [sic] it was fine [1]." in paragraph
    assert '[button url="https://x.org"]Buy[/button]' in paragraph
    assert "[divider /] [note]Careful[/note]" in paragraph
    assert "[shortcode_in_code foo=1]" in paragraph


# Images


def test_missing_image_is_left_out_and_listed_but_its_caption_kept():
    content = (
        f'[caption id="attachment_40"]<img src="{UPLOADS}/gone.jpg" class="wp-image-40" /> '
        "Protesters outside the hall[/caption]\n\n"
        f'<img src="{UPLOADS}/also-gone.jpg" alt="" />\n\nText.'
    )

    body = convert(content, FakeLibrary())

    assert kinds(body) == ["paragraph"]
    assert body.blocks[0]["value"] == "<p>Protesters outside the hall</p><p>Text.</p>"
    assert body.missing_images == [f"{UPLOADS}/gone.jpg", f"{UPLOADS}/also-gone.jpg"]


def test_an_image_inside_a_paragraph_splits_it():
    library = FakeLibrary(urls=(f"{UPLOADS}/in.jpg",))
    content = f'<p><b>Before <img src="{UPLOADS}/in.jpg" alt="Inline"> after</b> the end</p>'
    body = convert(content, library)

    assert kinds(body) == ["paragraph", "image", "paragraph"]
    assert body.blocks[0]["value"] == "<p><b>Before</b></p>"
    assert body.blocks[2]["value"] == "<p><b>after</b> the end</p>"


def test_an_image_block_is_written_in_a_dry_run_without_a_pk():
    library = FakeLibrary(urls=(f"{UPLOADS}/dry.jpg",), pk=None)
    body = convert(f'<img src="{UPLOADS}/dry.jpg" alt="Dry">', library)

    assert body.blocks[0]["value"]["image"] == {
        "image": None,
        "alt_text": "Dry",
        "decorative": False,
    }


# Sanitizing


def test_scripts_styles_forms_and_attributes_are_removed():
    body = convert(
        '<p onclick="steal()" style="color:red" class="lead">Safe <b onmouseover="x()">words'
        '</b></p><script>alert("x")</script><style>p { color: red }</style>'
        '<form action="/x"><input name="q">Form words</form><object data="x.swf">Flash</object>'
    )

    assert body.blocks[0]["value"] == "<p>Safe <b>words</b></p>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "  JaVa\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "VBScript:msgbox(1)",
    ],
)
def test_dangerous_links_are_removed_but_their_words_kept(href):
    body = convert(f'<p>Click <a href="{href}">here</a> now</p>')

    assert body.blocks[0]["value"] == "<p>Click here now</p>"


def test_safe_links_are_kept_with_only_their_address():
    body = convert(
        '<p><a href="https://a.org/x?y=1&amp;z=2" target="_blank" rel="noopener">web</a> '
        '<a href="mailto:desk@example.org">mail</a> <a href="tel:+15551234">call</a> '
        '<a href="/about/">about</a> <a href="#notes">notes</a> <a name="anchor">plain</a></p>'
    )

    assert body.blocks[0]["value"] == (
        '<p><a href="https://a.org/x?y=1&amp;z=2">web</a> '
        '<a href="mailto:desk@example.org">mail</a> <a href="tel:+15551234">call</a> '
        '<a href="/about/">about</a> <a href="#notes">notes</a> plain</p>'
    )


def test_only_video_iframes_become_embeds():
    body = convert(
        '<iframe src="https://evil.example.com/frame"></iframe>\n\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"></iframe>\n\n'
        '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e"></iframe>'
    )

    assert kinds(body) == ["embed", "embed"]
    assert [value["embed"] for value in values(body, "embed")] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
    ]


def test_text_is_escaped_and_unicode_kept():
    body = convert("Гласность &amp; 中文报道 say 1 &lt; 2 <b>ok</b>\n\n<h2>Заголовок 标题</h2>")

    assert body.blocks[0]["value"] == "<p>Гласность &amp; 中文报道 say 1 &lt; 2 <b>ok</b></p>"
    assert body.blocks[1]["value"]["text"] == "Заголовок 标题"


def test_broken_html_never_raises():
    fragments = [
        "<p>", "</p>", "<b>", "</i>", "<a href='javascript:x'>", "</a>", "<ul>", "<li>", "</ol>",
        "<h2>", "<blockquote>", "<figure>", "<figcaption>", "<img src='x'>", "<table><tr><td>",
        "<pre>", "<script>", "<!--", "<!-- wp:quote -->", "<!-- /wp:paragraph -->", "[caption]",
        "[/caption]", "[embed]", "[gallery ids='a,1']", "<", "&", "&#xffffff;", "\n\n", "文",
        "<!-- wp:image {broken -->", "<iframe src='//youtube.com/embed/abcdefg'>", "\x00",
    ]  # fmt: skip
    rng = random.Random(9)  # noqa: S311 - test input, not security
    for _ in range(300):
        content = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 30)))
        body = convert(content, FakeLibrary(urls=("x",)))
        for block in body.blocks:
            if block["type"] == "paragraph":
                assert "<script" not in block["value"]
                assert 'href="javascript' not in block["value"]
    assert convert("<div>" * 5000 + "deep" + "</b>" * 10).blocks[0]["value"] == "<p>deep</p>"


# Validated by Wagtail


@pytest.mark.django_db
def test_the_blocks_are_valid_article_body_data():
    image = make_image("Council chamber")
    library = FakeLibrary(ids=(12,), pk=image.pk)
    content = (
        gutenberg("paragraph", '<p>Hello <a href="https://x.org">there</a>.</p>')
        + gutenberg("heading", "<h2>Heading</h2>")
        + gutenberg("quote", "<blockquote><p>Q</p><cite>C</cite></blockquote>")
        + gutenberg("pullquote", "<figure><blockquote><p>P</p></blockquote></figure>")
        + gutenberg(
            "image", f'<figure><img src="{UPLOADS}/c.jpg" alt="Chamber"/></figure>', '{"id":12}'
        )
        + gutenberg("embed", "", '{"url":"https://www.youtube.com/watch?v=abc"}')
    )

    body = convert(content, library)
    stream = ArticleBodyBlock().to_python(body.blocks)

    expected = ["paragraph", "heading", "quote", "pull_quote", "image", "embed"]
    assert [child.block_type for child in stream] == expected
    assert stream[0].value.source == '<p>Hello <a href="https://x.org">there</a>.</p>'
    assert stream[4].value["image"].pk == image.pk
    assert stream[4].value["image"].contextual_alt_text == "Chamber"
    assert stream[5].value["embed"].url == "https://www.youtube.com/watch?v=abc"


def test_every_block_has_its_own_id():
    body = convert("One.\n\n<h2>Two</h2>\n\nThree.")

    ids = [block["id"] for block in body.blocks]
    assert len(set(ids)) == 3 and all(len(block_id) == 36 for block_id in ids)


# plain_text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("Rock &#8217;n&#8217; roll", "Rock \u2019n\u2019 roll"),
        (
            "<p>An <b>excerpt</b>\n  with   spaces.</p><p>Second</p>",
            "An excerpt with spaces. Second",
        ),
        ("Tom &amp; Jerry<script>alert(1)</script>", "Tom & Jerry"),
        ("AT&T <3 plain", "AT&T <3 plain"),
        ("", ""),
    ],
)
def test_plain_text(html, expected):
    assert plain_text(html) == expected
