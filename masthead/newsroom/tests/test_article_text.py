"""An article as plain text: what search, feeds and related stories read."""

from wagtail.rich_text import RichText


def test_plain_text_keeps_the_words_and_drops_the_markup(newsroom):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    story = newsroom.article(
        section,
        "Inspectors told to clear containers",
        [author],
        dek="Port staff say the checks were cut short.",
        paragraphs=("Crates <b>left</b> the dock&nbsp;unopened.", "Fish &amp; chips"),
    )
    story.body.append(("heading", {"text": "What the logs show", "level": "h2"}))
    story.body.append(
        ("quote", {"text": "We were told to wave them on.", "attribution": "A clerk"})
    )
    story.body.append(("paragraph", RichText("<ul><li>one</li><li>two</li></ul>")))

    text = story.plain_text()

    assert text.splitlines() == [
        "Inspectors told to clear containers",
        "Port staff say the checks were cut short.",
        "Crates left the dock unopened.",
        "Fish & chips",
        "What the logs show",
        "We were told to wave them on. A clerk",
        "one two",
    ]
