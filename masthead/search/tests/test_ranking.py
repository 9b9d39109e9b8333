"""Ranking on a small corpus: headline beats dek beats body; ties go to the newest."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def corpus(newsroom):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    now = timezone.now()

    def story(title, days, **fields):
        return newsroom.article(section, title, [author], now - timedelta(days=days), **fields)

    # The newest story mentions the word only in its body, several times.
    story(
        "Night shifts resumed",
        1,
        paragraphs=("Dockers returned. The dockers' union said dockers would vote.",),
    )
    story("Cranes stand idle", 2, dek="Dockers say the backlog is growing")
    story("Dockers strike at the port", 3)
    story("Weather report", 4, paragraphs=("Sunny, then rain.",))
    return newsroom


def test_a_headline_match_beats_a_dek_match_beats_a_body_match(corpus, searcher):
    assert searcher.titles(q="dockers") == [
        "Dockers strike at the port",
        "Cranes stand idle",
        "Night shifts resumed",
    ]


def test_every_word_must_match(corpus, searcher):
    assert searcher.titles(q="dockers port") == ["Dockers strike at the port"]
    assert searcher.titles(q="dockers weather") == []


def test_excluded_words_and_alternatives(corpus, searcher):
    assert sorted(searcher.titles(q="dockers -port")) == [
        "Cranes stand idle",
        "Night shifts resumed",
    ]
    assert searcher.titles(q="rain OR idle") == ["Cranes stand idle", "Weather report"]


def test_a_quoted_phrase_matches_only_as_a_whole(corpus, searcher):
    assert searcher.titles(q='"strike at the port"') == ["Dockers strike at the port"]
    assert searcher.titles(q='"port strike"') == []


def test_matching_ignores_case(corpus, searcher):
    assert searcher.titles(q="DOCKERS STRIKE") == ["Dockers strike at the port"]


def test_equally_good_matches_are_newest_first(small_newsroom, searcher):
    assert searcher.titles(q="canada story") == [
        "Canada story 1 days old",
        "Canada story 3 days old",
        "Canada story 5 days old",
        "Canada story 7 days old",
    ]
