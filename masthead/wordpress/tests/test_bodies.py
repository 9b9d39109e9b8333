"""WordPress post content (classic and Gutenberg) as article body blocks."""

from __future__ import annotations

import json
import random
import types

import pytest

from masthead.newsroom.blocks import ArticleBodyBlock
from masthead.testing.content import make_image
from masthead.wordpress.bodies import ConvertedBody, ImageRequest, convert_body, plain_text

UPLOADS = "https://old.example.org/wp-content/uploads/2024/05"


class FakeLibrary:
    """Knows the images whose url or attachment id it was given; remembers every request."""

    def __init__(
        self,
        urls: tuple[str, ...] = (),
        ids: tuple[int, ...] = (),
        pk: int | None = 7,
        captions: dict[int, str] | None = None,  # attachment id → the attachment's caption
    ):
        self.urls = set(urls)
        self.ids = set(ids)
        self.pk = pk
        self.captions = captions or {}
        self.requests: list[ImageRequest] = []

    def __call__(self, request: ImageRequest):
        self.requests.append(request)
        if request.url in self.urls or request.attachment_id in self.ids:
            caption = self.captions.get(request.attachment_id, "")
            return types.SimpleNamespace(pk=self.pk, wordpress_caption=caption)
        return None


def convert(content: str, library: FakeLibrary | None = None, footnotes: str = "") -> ConvertedBody:
    return convert_body(content, library or FakeLibrary(), footnotes=footnotes)


def link(url: str, words: str = "") -> str:
    return f'<p><a href="{url}">{words or url}</a></p>'


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


def test_video_iframes_become_embeds_and_other_iframes_links_that_are_listed():
    body = convert(
        '<iframe src="https://evil.example.com/frame"></iframe>\n\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"></iframe>\n\n'
        '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e"></iframe>\n\n'
        '<iframe src="javascript:alert(1)"></iframe>'
    )

    assert kinds(body) == ["paragraph", "embed", "embed"]
    assert body.blocks[0]["value"] == link("https://evil.example.com/frame")
    assert [value["embed"] for value in values(body, "embed")] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
    ]
    assert body.dropped == [
        "iframe https://evil.example.com/frame (kept as a link)",
        "iframe javascript:alert(1) (left out)",
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
        "<code>", "</code>", "\ue0000\ue001", "[video src='https://a.org/v.mp4']", "<video>",
        "<blockquote class='twitter-tweet'>", "<a href='https://x.com/a/status/1'>",
        "<!-- wp:block /-->",
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


# Embeds only where an embed finder takes the address; links otherwise


def test_lone_urls_no_embed_provider_takes_become_links_as_wordpress_shows_them():
    body = convert(
        "https://example.org/story\n\n"
        "<p>https://news.example.com/a?b=1&amp;c=2</p>\n\n"
        "Read it:\nhttps://example.org/inline\nToday.\n\n"
        "https://vimeo.com/12345"
    )

    assert kinds(body) == ["paragraph", "embed"]
    assert body.blocks[0]["value"] == (
        link("https://example.org/story") + '<p><a href="https://news.example.com/a?b=1&amp;c=2">'
        "https://news.example.com/a?b=1&amp;c=2</a></p>"
        '<p>Read it:<br/><a href="https://example.org/inline">https://example.org/inline</a>'
        "<br/>Today.</p>"
    )
    assert body.blocks[1]["value"]["embed"] == "https://vimeo.com/12345"
    assert body.dropped == []  # links in words, as on the old site


def test_embed_shortcodes_and_embed_blocks_nobody_can_embed_become_listed_links():
    gutenberg_embed = gutenberg(
        "embed",
        '<figure class="wp-block-embed is-provider-old-blog"><div class="wp-block-embed__wrapper">'
        "\nhttps://blog.example.net/2019/05/post/\n</div><figcaption>Our old post</figcaption>"
        "</figure>",
        '{"url":"https://blog.example.net/2019/05/post/","providerNameSlug":"old-blog"}',
    )
    content = "[embed]https://example.org/widget[/embed]\n\n" + gutenberg_embed

    body = convert(content)

    assert kinds(body) == ["paragraph"]
    assert body.blocks[0]["value"] == (
        link("https://example.org/widget")
        + link("https://blog.example.net/2019/05/post/")
        + "<p>Our old post</p>"
    )
    assert body.dropped == [
        "embed https://example.org/widget (kept as a link)",
        "embed https://blog.example.net/2019/05/post/ (kept as a link)",
    ]


def test_iframes_of_charts_maps_and_players_are_embedded_or_linked():
    body = convert(
        '<iframe title="Turnout by district" src="https://datawrapper.dwcdn.net/aBc12/3/" '
        'height="400"></iframe>\n\n'
        '<iframe src="https://www.google.com/maps/embed?pb=!1m18"></iframe>\n\n'
        '<iframe src="https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1">'
        "</iframe>\n\n"
        '<iframe src="https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5"></iframe>\n\n'
        '<iframe src="https://flo.uri.sh/visualisation/123456/embed"></iframe>'
    )

    assert kinds(body) == ["paragraph", "embed", "embed"]
    assert body.blocks[0]["value"] == (
        link("https://datawrapper.dwcdn.net/aBc12/3/", "Turnout by district")
        + link("https://www.google.com/maps/embed?pb=!1m18")
        + link("https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1")
    )
    assert [value["embed"] for value in values(body, "embed")] == [
        "https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5",
        "https://public.flourish.studio/visualisation/123456/",
    ]
    assert [entry.split()[1] for entry in body.dropped] == [
        "https://datawrapper.dwcdn.net/aBc12/3/",
        "https://www.google.com/maps/embed?pb=!1m18",
        "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1",
    ]


def test_tweets_become_embeds_of_their_status_link():
    body = convert(
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Polls close at 8 '
        '<a href="https://twitter.com/hashtag/vote">#vote</a></p>&mdash; City Desk (@desk) '
        '<a href="https://twitter.com/desk/status/1790000000000000001?ref_src=twsrc%5Etfw">'
        "May 1, 2024</a></blockquote> "
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
        '\n\n<blockquote class="twitter-tweet" data-dnt="true"><p>Newer</p>'
        '<a href="https://x.com/desk/status/1800000000000000002">June 2, 2024</a></blockquote>'
    )

    assert kinds(body) == ["embed", "embed"]
    assert [value["embed"] for value in values(body, "embed")] == [
        "https://twitter.com/desk/status/1790000000000000001",
        "https://x.com/desk/status/1800000000000000002",
    ]


def test_instagram_posts_become_embeds_or_links_to_the_post():
    body = convert(
        '<blockquote class="instagram-media" data-instgrm-captioned '
        'data-instgrm-permalink="https://www.instagram.com/p/C7abc/?utm_source=ig_embed&amp;'
        'utm_campaign=loading" data-instgrm-version="14"><div><a href="https://www.instagram.com/'
        'p/C7abc/?utm_source=ig_embed">View this post on Instagram</a></div></blockquote>\n'
        '<script async src="//www.instagram.com/embed.js"></script>'
    )

    # Wagtail's default oEmbed finder does not take Instagram (it needs a Facebook app).
    assert kinds(body) == ["paragraph"]
    assert body.blocks[0]["value"] == link("https://www.instagram.com/p/C7abc/")
    assert body.dropped == ["Instagram post https://www.instagram.com/p/C7abc/ (kept as a link)"]


# Audio and video files, reusable blocks, covers, footnotes, files


def test_audio_and_video_shortcodes_become_links_to_the_files_and_are_listed():
    body = convert(
        "Listen:\n\n"
        f'[audio mp3="{UPLOADS}/Council%20meeting.mp3"][/audio]\n\n'
        f'[video width="640" height="360" mp4="{UPLOADS}/clip.mp4"][/video]\n\n'
        '[video src="https://www.youtube.com/watch?v=abc123"]\n\n'
        "[audio]"
    )

    assert kinds(body) == ["paragraph", "embed"]
    assert body.blocks[0]["value"] == (
        "<p>Listen:</p>"
        + link(f"{UPLOADS}/Council%20meeting.mp3", "Council meeting.mp3")
        + link(f"{UPLOADS}/clip.mp4", "clip.mp4")
    )
    assert body.blocks[1]["value"]["embed"] == "https://www.youtube.com/watch?v=abc123"
    assert body.dropped == [
        f"audio {UPLOADS}/Council%20meeting.mp3 (kept as a link)",
        f"video {UPLOADS}/clip.mp4 (kept as a link)",
        "audio without a file address (left out)",
    ]
    assert body.unknown_shortcodes == []


def test_video_and_audio_blocks_become_links_with_their_captions():
    content = gutenberg(
        "video",
        f'<figure class="wp-block-video"><video controls src="{UPLOADS}/rally.mp4"></video>'
        "<figcaption>The rally</figcaption></figure>",
        '{"id":55}',
    ) + gutenberg(
        "audio",
        '<figure class="wp-block-audio"><audio controls>'
        f'<source src="{UPLOADS}/memo.ogg" type="audio/ogg">Your browser cannot play it.'
        "</audio></figure>",
    )

    body = convert(content)

    assert body.blocks[0]["value"] == (
        link(f"{UPLOADS}/rally.mp4", "rally.mp4")
        + "<p>The rally</p>"
        + link(f"{UPLOADS}/memo.ogg", "memo.ogg")
    )
    assert body.dropped == [
        f"video {UPLOADS}/rally.mp4 (kept as a link)",
        f"audio {UPLOADS}/memo.ogg (kept as a link)",
    ]


def test_reusable_blocks_are_listed_as_not_imported():
    content = (
        gutenberg("paragraph", "<p>Before.</p>")
        + '<!-- wp:block {"ref":1234} /-->\n\n'
        + gutenberg("paragraph", "<p>After.</p>")
    )

    body = convert(content)

    assert body.blocks[0]["value"] == "<p>Before.</p><p>After.</p>"
    assert body.dropped == ["reusable block 1234 (not imported)"]


def test_a_covers_background_picture_becomes_an_image():
    library = FakeLibrary(ids=(77, 78))
    old_cover = gutenberg(
        "cover",
        f'<div class="wp-block-cover" style="background-image:url({UPLOADS}/crowd.jpg)">'
        '<div class="wp-block-cover__inner-container">'
        + gutenberg("paragraph", "<p>Thousands marched.</p>")
        + "</div></div>",
        f'{{"url":"{UPLOADS}/crowd.jpg","id":77,"alt":"The crowd"}}',
    )
    new_cover = gutenberg(
        "cover",
        '<div class="wp-block-cover"><span class="wp-block-cover__background"></span>'
        f'<img class="wp-block-cover__image-background wp-image-78" alt="" src="{UPLOADS}/b.jpg"'
        ' data-object-fit="cover"/><div class="wp-block-cover__inner-container">'
        + gutenberg("paragraph", "<p>Night fell.</p>")
        + "</div></div>",
        f'{{"url":"{UPLOADS}/b.jpg","id":78}}',
    )

    body = convert(old_cover + new_cover, library)

    assert kinds(body) == ["image", "paragraph", "image", "paragraph"]
    assert [request.attachment_id for request in library.requests] == [77, 78]
    assert body.blocks[0]["value"]["image"]["alt_text"] == "The crowd"
    assert body.blocks[1]["value"] == "<p>Thousands marched.</p>"


FOOTNOTES = json.dumps(
    [
        {"id": "f1-uuid", "content": "Council minutes, <em>May 2024</em>."},
        {"id": "f2-uuid", "content": 'See <a href="https://example.org/report">the report</a>.'},
    ]
)


def test_footnotes_are_written_where_their_block_is():
    content = (
        gutenberg(
            "paragraph",
            '<p>Rents rose<sup data-fn="f1-uuid" class="fn"><a href="#f1-uuid" id="f1-uuid-link">'
            "1</a></sup>.</p>",
        )
        + "<!-- wp:footnotes /-->\n\n"
        + gutenberg("heading", "<h2>Next</h2>")
    )

    body = convert(content, footnotes=FOOTNOTES)

    assert kinds(body) == ["paragraph", "heading"]
    assert body.blocks[0]["value"] == (
        '<p>Rents rose<sup><a href="#f1-uuid">1</a></sup>.</p>'
        "<ol><li>Council minutes, <i>May 2024</i>.</li>"
        '<li>See <a href="https://example.org/report">the report</a>.</li></ol>'
    )
    assert body.dropped == []


def test_footnotes_without_a_block_go_at_the_end_and_lost_ones_are_listed():
    at_the_end = convert("Classic text.\n\n<h2>Last</h2>", footnotes=FOOTNOTES)
    without_text = convert("<!-- wp:footnotes /-->")
    unreadable = convert("Text.", footnotes="{not json")

    assert kinds(at_the_end) == ["paragraph", "heading", "paragraph"]
    assert at_the_end.blocks[2]["value"].startswith("<ol><li>Council minutes, <i>May 2024")
    assert without_text.blocks == []
    assert without_text.dropped == ["footnotes (their text is not in the export)"]
    assert unreadable.dropped == ["footnotes (the footnotes meta could not be read)"]


def test_a_file_blocks_name_and_download_button_are_not_glued_together():
    content = gutenberg(
        "file",
        f'<div class="wp-block-file"><a id="wp-block-file--media-1" href="{UPLOADS}/report.pdf">'
        f'The report</a><a href="{UPLOADS}/report.pdf" class="wp-block-file__button '
        'wp-element-button" download aria-describedby="wp-block-file--media-1">Download</a></div>',
        f'{{"id":90,"href":"{UPLOADS}/report.pdf"}}',
    ) + gutenberg(
        "file",
        f'<div class="wp-block-file"><a href="{UPLOADS}/a.pdf">A</a><a href="{UPLOADS}/b.pdf" '
        'class="wp-block-file__button">Download</a></div>',
    )

    body = convert(content)

    assert body.blocks[0]["value"] == (
        f'<p><a href="{UPLOADS}/report.pdf">The report</a></p>'
        f'<p><a href="{UPLOADS}/a.pdf">A</a> <a href="{UPLOADS}/b.pdf">Download</a></p>'
    )


def test_caption_shortcode_with_code_in_its_caption_stays_whole():
    library = FakeLibrary(ids=(80,))
    body = convert(
        f'[caption id="attachment_80"]<img class="wp-image-80" src="{UPLOADS}/term.png"> '
        "Run <code>ls [-la]</code> first[/caption]\n\n"
        '<pre>[gallery ids="1"]</pre>',
        library,
    )

    assert kinds(body) == ["image", "paragraph"]
    assert body.blocks[0]["value"]["caption"] == "Run ls [-la] first"
    assert body.blocks[1]["value"] == '<p>[gallery ids="1"]</p>'
    assert [request.attachment_id for request in library.requests] == [80]


def test_gallery_images_without_a_caption_get_their_attachments_caption():
    library = FakeLibrary(ids=(1, 2, 3), captions={1: "The <b>mayor</b> &amp; staff", 3: "Three"})
    body = convert('[gallery ids="1,2"]\n\n' + gutenberg("gallery", "", '{"ids":[3]}'), library)

    assert [value["caption"] for value in values(body, "image")] == [
        "The mayor & staff",
        "",
        "Three",
    ]


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
        + gutenberg("video", f'<figure><video src="{UPLOADS}/v.mp4"></video></figure>')
        + "<!-- wp:footnotes /-->"
    )

    body = convert(content, library, footnotes='[{"id":"a","content":"A <em>note</em>"}]')
    stream = ArticleBodyBlock().to_python(body.blocks)

    expected = ["paragraph", "heading", "quote", "pull_quote", "image", "embed", "paragraph"]
    assert [child.block_type for child in stream] == expected
    assert stream[0].value.source == '<p>Hello <a href="https://x.org">there</a>.</p>'
    assert stream[4].value["image"].pk == image.pk
    assert stream[4].value["image"].contextual_alt_text == "Chamber"
    assert stream[5].value["embed"].url == "https://www.youtube.com/watch?v=abc"
    assert stream[6].value.source == (
        f'<p><a href="{UPLOADS}/v.mp4">v.mp4</a></p><ol><li>A <i>note</i></li></ol>'
    )


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
