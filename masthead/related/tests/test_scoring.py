"""The scoring rules, on plain records: what makes an article related, and what ranks higher."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from masthead.related import scoring
from masthead.related.scoring import ArticleFeatures

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
NO_IDF = scoring.Idf()


def article(pk, *, tags=(), section=None, authors=(), days_ago=0, terms=None):
    return ArticleFeatures(
        pk=pk,
        tags=frozenset(tags),
        section=section,
        authors=frozenset(authors),
        published_at=NOW - timedelta(days=days_ago),
        terms=terms or {},
    )


def test_a_shared_tag_beats_the_same_section_alone():
    story = article(1, tags={"ports"}, section="news")
    tagged = article(2, tags={"ports"}, section="sport")
    same_section = article(3, section="news")
    assert scoring.score(story, tagged, NO_IDF) > scoring.score(story, same_section, NO_IDF)
    # The section alone does not make a story related.
    assert scoring.score(story, same_section, NO_IDF) == 0


def test_more_shared_tags_rank_higher_up_to_a_cap():
    story = article(1, tags={"ports", "trade", "customs", "strikes", "tariffs"})
    one = article(2, tags={"ports"})
    two = article(3, tags={"ports", "trade"})
    ranked = scoring.rank(story, [one, two], NO_IDF)
    assert [features.pk for features, _score in ranked] == [3, 2]
    four = article(4, tags={"ports", "trade", "customs", "strikes"})
    five = article(5, tags={"ports", "trade", "customs", "strikes", "tariffs"})
    assert scoring.score(story, four, NO_IDF) == scoring.score(story, five, NO_IDF)


def test_a_shared_author_makes_a_story_related_and_the_section_then_counts():
    story = article(1, section="news", authors={"ana", "li"})
    by_ana = article(2, section="sport", authors={"ana"})
    by_ana_here = article(3, section="news", authors={"ana"})
    by_both = article(4, section="sport", authors={"ana", "li"})
    assert scoring.score(story, by_ana, NO_IDF) > 0
    assert scoring.score(story, by_ana_here, NO_IDF) > scoring.score(story, by_ana, NO_IDF)
    assert scoring.score(story, by_both, NO_IDF) > scoring.score(story, by_ana_here, NO_IDF)


def features_from_text(pk, title, body, days_ago=0):
    return article(pk, days_ago=days_ago, terms=scoring.term_weights(title, "", body, "en"))


def test_text_similarity_ranks_a_lexically_similar_story_above_an_unrelated_one():
    story = features_from_text(
        1,
        "Port inspectors clear container backlog",
        "Customs inspectors at the harbour cleared thousands of shipping containers.",
    )
    similar = features_from_text(
        2,
        "Container backlog returns to the harbour",
        "Shipping containers pile up again as customs inspectors strike.",
    )
    unrelated = features_from_text(
        3,
        "Council approves library budget",
        "Councillors voted for longer opening hours at the central library.",
    )
    other = features_from_text(4, "Election turnout record", "Voters queued for hours.")
    idf = scoring.inverse_document_frequencies(a.terms for a in (story, similar, unrelated, other))
    assert scoring.similarity(story, similar, idf) >= scoring.TEXT_THRESHOLD
    assert scoring.similarity(story, unrelated, idf) == 0
    ranked = scoring.rank(story, [unrelated, similar, other], idf)
    assert [features.pk for features, _score in ranked] == [2]


def test_similarity_is_a_cosine():
    a = article(1, terms={"harbour": 1.0, "strike": 2.0})
    assert scoring.similarity(a, a, NO_IDF) == pytest.approx(1.0)
    b = article(2, terms={"library": 1.0})
    assert scoring.similarity(a, b, NO_IDF) == 0
    assert scoring.similarity(a, article(3), NO_IDF) == 0


def test_recency_breaks_otherwise_equal_scores():
    story = article(1, tags={"ports"}, days_ago=10)
    close = article(2, tags={"ports"}, days_ago=12)
    far = article(3, tags={"ports"}, days_ago=200)
    newer_but_far = article(4, tags={"ports"}, days_ago=-60)
    ranked = scoring.rank(story, [far, newer_but_far, close], NO_IDF)
    assert [features.pk for features, _score in ranked] == [2, 4, 3]
    assert scoring.recency(story, story) == 1
    assert scoring.recency(story, article(5, days_ago=40)) == pytest.approx(0.5)


def test_an_article_with_nothing_in_common_is_not_related():
    story = article(1, tags={"ports"}, section="news", authors={"ana"}, terms={"harbour": 1.0})
    stranger = article(2, tags={"opera"}, section="news", authors={"li"}, terms={"aria": 1.0})
    assert scoring.score(story, stranger, NO_IDF) == 0
    assert scoring.rank(story, [stranger], NO_IDF) == []
    assert scoring.score(story, story, NO_IDF) == 0  # nor is the article itself


def test_the_order_is_deterministic_with_ties_broken_by_pk():
    story = article(1, tags={"ports"})
    twins = [article(pk, tags={"ports"}) for pk in range(2, 12)]
    orders = set()
    for seed in range(5):
        shuffled = twins[:]
        random.Random(seed).shuffle(shuffled)  # noqa: S311
        orders.add(tuple(features.pk for features, _score in scoring.rank(story, shuffled, NO_IDF)))
    assert orders == {tuple(range(11, 1, -1))}
    assert len(scoring.rank(story, twins, NO_IDF, limit=3)) == 3


def test_tokens_drop_numbers_short_words_and_the_language_stop_words():
    text = "The 2024 budget: Port workers and THE port's new cranes, ok?"
    assert scoring.tokens(text, "en") == ["budget", "port", "workers", "port", "cranes"]
    # A language without a list keeps its words (adding a locale needs no code).
    assert scoring.tokens("The port and the cranes", "xx") == [
        "the",
        "port",
        "and",
        "the",
        "cranes",
    ]
    assert "dans" not in scoring.tokens("Les grues dans le port", "fr")
    assert scoring.stop_words("zh-hans") == scoring.STOP_WORDS["zh"]


def test_chinese_text_is_cut_into_character_pairs():
    assert scoring.tokens("港口工人罢工", "zh-hans") == ["港口", "口工", "工人", "人罢", "罢工"]
    assert scoring.tokens("新港口 AI 2024年", "zh-hans") == ["新港", "港口"]


def test_term_weights_keep_the_most_frequent_terms_title_counting_more():
    weights = scoring.term_weights("Harbour strike", "", "strike " * 2 + "cranes", "en", limit=2)
    assert list(weights) == ["strike", "harbour"]
