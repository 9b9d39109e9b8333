"""How related two articles are: pure functions on small records, no database.

An article B is *related* to an article A when they share a tag, or share an author, or their
texts are lexically similar (TF-IDF cosine of title, dek and body ≥ `TEXT_THRESHOLD`). Only
related articles get a score above zero; being in the same section or published close in time
only raises the score of articles already related.

The score of B for A adds up:

- shared tags: 3 per shared tag, at most 9 (`TAG_WEIGHT`, `TAG_CAP`);
- shared authors: 2 per shared author, at most 4 (`AUTHOR_WEIGHT`, `AUTHOR_CAP`); authors are
  compared by translation key, so every language's copy of a person counts as the same person;
- same section: 1 (`SECTION_WEIGHT`);
- text similarity: 6 times the cosine (0…1) (`TEXT_WEIGHT`);
- recency: up to 1, halving for every 30 days between the two publication dates
  (`RECENCY_WEIGHT`, `RECENCY_HALF_LIFE_DAYS`).

Scores are rounded to 6 decimals and ties are broken by pk (the higher, i.e. usually the
newer, first), so the same data always gives the same order.

Text: lowercase Unicode words (`\\w+`), without numbers-only tokens, tokens shorter than
`MIN_TOKEN_LENGTH` characters and a short stop-word list for the article's language (a
language without a list simply keeps every word, so adding a locale needs no code). Han, kana
and Hangul runs are cut into overlapping character pairs (bigrams), since those scripts do
not separate words with spaces. Title words count `TITLE_WEIGHT` times, dek words
`DEK_WEIGHT` times, body words once; an article keeps its `MAX_TERMS` most frequent terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

TAG_WEIGHT = 3.0
TAG_CAP = 9.0
AUTHOR_WEIGHT = 2.0
AUTHOR_CAP = 4.0
SECTION_WEIGHT = 1.0
TEXT_WEIGHT = 6.0
TEXT_THRESHOLD = 0.12
RECENCY_WEIGHT = 1.0
RECENCY_HALF_LIFE_DAYS = 30.0

TITLE_WEIGHT = 3
DEK_WEIGHT = 2
MAX_TERMS = 60
MIN_TOKEN_LENGTH = 3

WORD = re.compile(r"\w+")
# Scripts written without spaces between words: Han, hiragana, katakana, Hangul.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Short lists of the commonest words of at least MIN_TOKEN_LENGTH letters, by base language.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and for that with this from are was were has have had not but its his her "
        "their they them you your our who what which when where will would can could "
        "been about after also into more than said says one two new over all out"
    ),
    "fr": _words(
        "les des une est que qui dans pour par sur avec pas plus son ses aux ont été "
        "mais comme elle ils leur nous vous cette ces tout être avait fait sont"
    ),
    "de": _words(
        "der die das und den dem des ein eine einer eines ist sind war nicht mit von "
        "für auf auch sich als aus bei nach wie wird werden hat haben oder über"
    ),
    "it": _words(
        "che per con non una del della delle dei degli gli nel nella sono come più "
        "anche dal alla alle questo questa suo sua loro stato"
    ),
    "pt": _words(
        "que não uma para com por mais dos das como mas foi são seu sua nos aos pelo "
        "pela também ele ela isso este esta"
    ),
    "es": _words(
        "que los las del una por con para como más pero sus fue son este esta también "
        "ser han está entre sobre desde todo"
    ),
    "ru": _words(
        "что как это его она они было был была при для или так уже все ещё если "  # noqa: RUF001
        "чтобы который которые также только после"
    ),
    "zh": _words("我们 他们 一个 没有 这个 什么 可以 因为 所以 但是 如果 已经"),
}


@dataclass(frozen=True)
class ArticleFeatures:
    """What scoring needs to know about one article."""

    pk: int
    tags: frozenset[str] = frozenset()
    section: int | str | None = None
    authors: frozenset[object] = frozenset()  # the authors' translation keys
    published_at: datetime | None = None
    terms: Mapping[str, float] = field(default_factory=dict)


class Idf(dict):
    """Inverse document frequency of each term (a dict), remembering the vector norm of each
    article it has weighed (by identity, so it suits features that do not change)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.norms: dict[int, tuple[ArticleFeatures, float]] = {}


def stop_words(language_code: str) -> frozenset[str]:
    """The stop words of a language ("zh-hans" uses "zh"'s); none for a language without."""
    code = (language_code or "").lower()
    return STOP_WORDS.get(code) or STOP_WORDS.get(code.split("-")[0].split("_")[0], frozenset())


def tokens(text: str, language_code: str = "") -> list[str]:
    """The terms of a text, in order (see the module docstring)."""
    stops = stop_words(language_code)
    found = []
    for word in WORD.findall(text.lower()):
        if word.isnumeric():
            continue
        for piece in _pieces(word):
            if piece not in stops:
                found.append(piece)
    return found


def _pieces(word: str) -> Iterable[str]:
    """A word, its CJK runs cut into character bigrams; pieces too short are left out."""
    position = 0
    for run in CJK.finditer(word):
        yield from _long_enough(word[position : run.start()])
        text = run.group()
        position = run.end()
        # Overlapping pairs (a lone character says little and is left out).
        yield from (text[i : i + 2] for i in range(len(text) - 1))
    yield from _long_enough(word[position:])


def _long_enough(piece: str) -> Iterable[str]:
    if len(piece) >= MIN_TOKEN_LENGTH and not piece.isnumeric():
        yield piece


def term_weights(
    title: str, dek: str, body: str, language_code: str = "", limit: int = MAX_TERMS
) -> dict[str, float]:
    """An article's `limit` most frequent terms → 1 + log(count), title and dek counting more."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (dek, DEK_WEIGHT), (body, 1)):
        for term in tokens(text or "", language_code):
            counts[term] += weight
    kept = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return {term: round(1 + math.log(count), 6) for term, count in kept}


def inverse_document_frequencies(documents: Iterable[Mapping[str, float]]) -> Idf:
    """Smoothed IDF over a pool of articles' terms: ln((1 + N) / (1 + df)) + 1."""
    document_count = 0
    frequencies: Counter[str] = Counter()
    for terms in documents:
        document_count += 1
        frequencies.update(terms.keys())
    return Idf(
        {
            term: math.log((1 + document_count) / (1 + frequency)) + 1
            for term, frequency in frequencies.items()
        }
    )


def _norm(article: ArticleFeatures, idf: Mapping[str, float]) -> float:
    cache = idf.norms if isinstance(idf, Idf) else None
    if cache is not None and id(article) in cache and cache[id(article)][0] is article:
        return cache[id(article)][1]
    norm = math.sqrt(
        sum((weight * _idf(idf, term)) ** 2 for term, weight in sorted(article.terms.items()))
    )
    if cache is not None:
        cache[id(article)] = (article, norm)
    return norm


def _idf(idf: Mapping[str, float], term: str) -> float:
    return idf.get(term, 1.0)


def similarity(a: ArticleFeatures, b: ArticleFeatures, idf: Mapping[str, float]) -> float:
    """TF-IDF cosine of the two articles' terms, 0…1 (terms unknown to `idf` weigh 1)."""
    if not a.terms or not b.terms:
        return 0.0
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    shared = sorted(term for term in small if term in large)
    if not shared:
        return 0.0
    dot = sum(small[term] * large[term] * _idf(idf, term) ** 2 for term in shared)
    norms = _norm(a, idf) * _norm(b, idf)
    return min(1.0, dot / norms) if norms else 0.0


def recency(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """1 for articles published together, halving every `RECENCY_HALF_LIFE_DAYS` between them."""
    if a.published_at is None or b.published_at is None:
        return 0.0
    days = abs((a.published_at - b.published_at).total_seconds()) / 86400
    return 0.5 ** (days / RECENCY_HALF_LIFE_DAYS)


def score(a: ArticleFeatures, b: ArticleFeatures, idf: Mapping[str, float]) -> float:
    """How related `b` is to `a` (see the module docstring); 0 when it is not related."""
    if a.pk == b.pk:
        return 0.0
    shared_tags = len(a.tags & b.tags)
    shared_authors = len(a.authors & b.authors)
    text = similarity(a, b, idf)
    if not shared_tags and not shared_authors and text < TEXT_THRESHOLD:
        return 0.0
    total = (
        min(TAG_CAP, TAG_WEIGHT * shared_tags)
        + min(AUTHOR_CAP, AUTHOR_WEIGHT * shared_authors)
        + (SECTION_WEIGHT if a.section is not None and a.section == b.section else 0.0)
        + TEXT_WEIGHT * text
        + RECENCY_WEIGHT * recency(a, b)
    )
    return round(total, 6)


def rank(
    article: ArticleFeatures,
    candidates: Iterable[ArticleFeatures],
    idf: Mapping[str, float],
    limit: int | None = None,
) -> list[tuple[ArticleFeatures, float]]:
    """The related candidates with their scores, best first (ties: the higher pk first)."""
    scored = [
        (candidate, value)
        for candidate in candidates
        if candidate.pk != article.pk and (value := score(article, candidate, idf)) > 0
    ]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored if limit is None else scored[:limit]
