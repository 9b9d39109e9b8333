"""Matched words are marked in the headline and in a snippet of the text, and content is
always escaped."""

from masthead.search.query import highlight, snippet


def test_headline_and_snippet_mark_the_matched_words(newsroom, searcher):
    section = newsroom.section("Harbour")
    newsroom.article(
        section,
        "Dockers strike at the port",
        [newsroom.author("Rosa Quill")],
        paragraphs=("Long introduction. " * 30, "Late in the story the dockers voted."),
    )

    page = searcher.get(q="dockers").content.decode()

    assert "<mark>Dockers</mark> strike at the port" in page
    assert "the <mark>dockers</mark> voted" in page
    assert "Long introduction. " * 20 not in page  # a snippet, not the whole text


def test_content_and_queries_are_escaped(newsroom, searcher):
    section = newsroom.section("Harbour")
    newsroom.article(
        section,
        "Filters <script>alert(1)</script> harbour",
        [newsroom.author("Rosa Quill")],
        dek='A dek with <img src=x onerror="alert(2)"> harbour',
        paragraphs=("Body &lt;script&gt;alert(3)&lt;/script&gt; harbour.",),
    )

    page = searcher.get(q='harbour <script>"').content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "alert(1)&lt;/script&gt; <mark>harbour</mark>" in page
    assert '<script>"' not in page


def test_a_query_for_markup_marks_it_escaped(newsroom, searcher):
    section = newsroom.section("Harbour")
    newsroom.article(section, "Tags like <b> in headlines", [newsroom.author("Rosa Quill")])

    page = searcher.get(q="<b>").content.decode()

    main = page.split("<main", 1)[1]
    assert "<b>" not in main
    assert "&lt;b&gt;" in main  # the query shown back, and the headline if it was found


def test_highlight_escapes_everything_but_its_marks():
    assert highlight("a <b>port</b> & more", ["port"]) == (
        "a &lt;b&gt;<mark>port</mark>&lt;/b&gt; &amp; more"
    )
    assert highlight("Port, port, PORT", ["port"]).count("<mark>") == 3
    assert highlight("no match", []) == "no match"
    assert highlight("the night  shift", ["night shift"]) == "the <mark>night  shift</mark>"


def test_snippets_are_short_and_centred_on_the_first_match():
    text = "word " * 200 + "harbour " + "word " * 200
    excerpt = snippet(text, ["harbour"], length=100)
    assert "<mark>harbour</mark>" in excerpt
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert len(excerpt) < 140
    assert snippet("short text", ["text"]) == "short <mark>text</mark>"


def test_a_word_is_found_where_a_word_starts_not_inside_another(newsroom, searcher):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    newsroom.article(section, "Readers support the archive", [author])
    newsroom.article(
        section, "Port authority audit", [author], paragraphs=("Readers support the port.",)
    )

    assert searcher.titles(q="port") == ["Port authority audit"]
    page = searcher.get(q="port").content.decode()
    assert "support" in page and "sup<mark>" not in page
    assert "support the <mark>port</mark>" in page
