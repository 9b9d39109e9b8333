"""Reading queries: terms, phrases, exclusions, OR, and limits; nothing is ever an error."""

from masthead.search.query import MAX_QUERY_LENGTH, MAX_TERMS, page_number, parse_query


def test_words_and_quoted_phrases_are_terms():
    query = parse_query('harbour "container backlog"  strike,')
    assert query.clauses == (("harbour",), ("container backlog",), ("strike",))
    assert query.excluded == ()


def test_minus_excludes_and_or_joins_alternatives():
    query = parse_query('strike -port dock OR "x y" or -"night shift" OR crane')
    assert query.clauses == (("strike",), ("dock", "x y"), ("crane",))
    assert query.excluded == ("port", "night shift")
    assert query.terms == ("strike", "dock", "x y", "crane")
    assert parse_query("-port OR dock").clauses == (("dock",),)


def test_unmatched_quotes_and_stray_operators_are_harmless():
    assert parse_query('"unfinished phrase').clauses == (("unfinished phrase",),)
    assert parse_query('""').clauses == ()
    assert parse_query("- OR or \" ' ").clauses == ()
    assert not parse_query("-only -excluded")


def test_queries_are_cut_to_length_and_to_a_number_of_terms():
    query = parse_query("word " * 1000)
    assert len(query.text) <= MAX_QUERY_LENGTH
    assert len(query.clauses) == MAX_TERMS
    assert len(parse_query("x" * 5000).clauses[0][0]) <= MAX_QUERY_LENGTH


def test_control_characters_are_dropped():
    assert parse_query("har\x00bour\x1b").text == "har bour"


def test_page_numbers():
    assert page_number("3") == 3
    assert page_number(None) == 1
    assert page_number("abc") == 1
    assert page_number("-2") == 1
    assert page_number("0") == 1
    assert page_number("1.5") == 1
    assert page_number("99999999999999999999") > 1000  # beyond the end: the last page
