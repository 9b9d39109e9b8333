"""Reader queries: parsing, the two search backends, ranking and highlighting.

A query is read the way web search engines read one: words must all appear, "quoted words"
appear together, `-word` must not appear and `OR` between words accepts either. It is cut at
`MAX_QUERY_LENGTH` characters, and nothing in it (unmatched quotes, stray operators, odd
characters) is an error.

PostgreSQL: the query goes to `websearch_to_tsquery` in the language's text-search
configuration (stemming: "elections" finds "election"), matches the weighted vector of the
index (headline A, dek B, body C), is ordered by `ts_rank` (ties: newest first) and
highlighted by `ts_headline`. Chinese and Japanese are indexed and queried as character
bigrams (see `masthead.search.text`); queries with such characters are highlighted in Python.

Embedded (SQLite): each term must appear, case-folded, in the headline, dek or body; the
`CANDIDATE_LIMIT` newest matches are ranked in Python (a headline match weighs most, then the
dek, then the body, each with diminishing returns for repetition) and highlighted in Python.

Either way only live, public articles in the reader's language are found: the index is
always joined with `ArticlePage.objects.live().public()` at query time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale, Page

from masthead.newsroom.models import ArticleAuthor, ArticlePage, Author, SectionPage
from masthead.search.models import SearchEntry
from masthead.search.text import (
    START_MARK,
    STOP_MARK,
    clean,
    fold,
    has_cjk,
    segment_cjk_query,
    text_search_config,
    uses_postgres,
)

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 100
CANDIDATE_LIMIT = 1000  # embedded mode: the newest matches ranked in Python
SNIPPET_LENGTH = 240  # characters of body text shown under a result (Python highlighting)
MAX_PAGE_NUMBER_DIGITS = 6

# Embedded-mode ranking: how much a term found in each field counts.
TITLE_WEIGHT = 10.0
DEK_WEIGHT = 4.0
BODY_WEIGHT = 1.0

_TOKEN = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')
_KEPT_PUNCTUATION = set("#@&%")


# --- Parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query: `text` as searched (cleaned, cut to length), `clauses` the terms
    that must all match (each clause: alternatives joined by OR; a quoted phrase is one
    term), `excluded` the terms that must not."""

    text: str
    clauses: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term that may match, for highlighting and ranking."""
        return tuple(term for clause in self.clauses for term in clause)


def _trim(word: str) -> str:
    """A word without the punctuation around it ("election," → "election")."""

    def is_punctuation(character: str) -> bool:
        return (
            unicodedata.category(character).startswith("P") and character not in _KEPT_PUNCTUATION
        )

    start, end = 0, len(word)
    while start < end and is_punctuation(word[start]):
        start += 1
    while end > start and is_punctuation(word[end - 1]):
        end -= 1
    return word[start:end]


def parse_query(raw: str | None) -> ParsedQuery:
    """Read a query string; never fails, whatever it holds."""
    text = " ".join(clean(raw or "")[:MAX_QUERY_LENGTH].split())
    clauses: list[tuple[str, ...]] = []
    excluded: list[str] = []
    pending_or = after_term = False
    for match in _TOKEN.finditer(text):
        if len(clauses) + len(excluded) >= MAX_TERMS:
            break
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                pending_or = after_term  # OR only joins two wanted terms
                continue
            negated = word.startswith("-") and len(word) > 1
            term = _trim(word[1:] if negated else word)
        else:
            negated = bool(minus)
            term = _trim(" ".join(phrase.split()))
        term = term[:MAX_TERM_LENGTH]
        if not term:
            continue
        if negated:
            excluded.append(term)
        elif pending_or:
            clauses[-1] = (*clauses[-1], term)
        else:
            clauses.append((term,))
        pending_or, after_term = False, not negated
    return ParsedQuery(text=text, clauses=tuple(clauses), excluded=tuple(excluded))


def page_number(value: str | None) -> int:
    """The ?page= number, or 1 when it is not a sensible one (too large: the last page)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_PAGE_NUMBER_DIGITS:
        return max(int(value), 1)
    if value.isascii() and value.isdigit():
        return 10**MAX_PAGE_NUMBER_DIGITS  # beyond any real page count: the last page
    return 1


# --- Highlighting -----------------------------------------------------------------------------


def _term_pattern(term: str) -> str:
    """`term` as a regular expression matching it at the start of a word ("port" finds "Port"
    and "ports", not "support"). Chinese and Japanese, written without spaces, match anywhere."""
    words = r"\s+".join(re.escape(word) for word in term.split())
    first = term.strip()[:1]
    if first.isalnum() and not has_cjk(first):
        return rf"(?<!\w){words}"
    return words


def _pattern(terms: tuple[str, ...] | list[str]) -> re.Pattern | None:
    unique = sorted({term for term in terms if term.strip()}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(_term_pattern(term) for term in unique), re.IGNORECASE)


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> SafeString:
    """`text`, HTML-escaped, with every occurrence of the terms in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def snippet(
    text: str, terms: tuple[str, ...] | list[str], length: int = SNIPPET_LENGTH
) -> SafeString:
    """About `length` characters of `text` around its first match, highlighted."""
    text = " ".join(text.split())
    if len(text) <= length:
        return highlight(text, terms)
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.end() > length * 2 // 3:
        start = max(0, match.start() - length // 3)
        space = text.find(" ", start, match.start())
        if space != -1:
            start = space + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        if space != -1 and (match is None or space >= match.end()):
            end = space
    pieces = [
        "… " if start > 0 else "",
        highlight(text[start:end], terms),
        " …" if end < len(text) else "",
    ]
    return mark_safe("".join(pieces))  # noqa: S308 - the middle piece is escaped


def from_headline(text: str) -> SafeString:
    """PostgreSQL's `ts_headline` output (with START_MARK/STOP_MARK), escaped, in <mark>."""
    escaped = str(escape(" ".join((text or "").split())))
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    )


# --- Ranking (embedded mode) --------------------------------------------------------------------


def score(title: str, dek: str, body: str, terms: tuple[str, ...]) -> float:
    """How well an article matches: per term, the field's weight times 1 + log(occurrences),
    so that a headline match outweighs any number of mentions in the body."""
    fields = ((fold(title), TITLE_WEIGHT), (fold(dek), DEK_WEIGHT), (fold(body), BODY_WEIGHT))
    total = 0.0
    for term in {fold(" ".join(term.split())) for term in terms}:
        pattern = re.compile(_term_pattern(term))
        for text, weight in fields:
            occurrences = len(pattern.findall(text))
            if occurrences:
                total += weight * (1 + math.log(occurrences))
    return total


def _mentions(row: tuple, term: str) -> bool:
    """Whether an index row (pk, title, dek, body, …) has `term` where a word starts."""
    _pk, title, dek, body, *_rest = row
    pattern = re.compile(_term_pattern(fold(term)))
    return any(pattern.search(fold(text)) for text in (title, dek, body))


def _matches(row: tuple, query: ParsedQuery) -> bool:
    """The database matched substrings; keep the rows that match whole words as well."""
    return all(
        any(_mentions(row, term) for term in clause) for clause in query.clauses
    ) and not any(_mentions(row, term) for term in query.excluded)


# --- Searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the search to (each optional)."""

    section: SectionPage | None = None
    author: Author | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return any((self.section, self.author, self.date_from, self.date_to))


@dataclass
class Result:
    """One found article with its highlighted headline and snippet."""

    article: ArticlePage
    title: SafeString
    snippet: SafeString
    section: SectionPage | None = None


@dataclass
class SearchResults:
    query: ParsedQuery
    page: PaginatorPage
    count: int
    capped: bool = False  # embedded mode: more matches than CANDIDATE_LIMIT
    results: list[Result] = field(default_factory=list)


def searchable_articles(locale: Locale, filters: Filters | None = None):
    """The live, public articles in `locale` that the filters allow."""
    articles = ArticlePage.objects.live().public().filter(locale=locale)
    filters = filters or Filters()
    if filters.section is not None:
        articles = articles.child_of(filters.section)
    if filters.author is not None:
        bylines = ArticleAuthor.objects.filter(
            author__translation_key=filters.author.translation_key
        ).values("page_id")
        articles = articles.filter(pk__in=bylines)
    if filters.date_from is not None:
        articles = articles.filter(first_published_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        articles = articles.filter(first_published_at__date__lte=filters.date_to)
    return articles


def search(
    query: ParsedQuery,
    locale: Locale,
    filters: Filters | None = None,
    page: str | int | None = None,
) -> SearchResults:
    """One page of the articles in `locale` matching `query`, best first."""
    articles = searchable_articles(locale, filters)
    number = page if isinstance(page, int) else page_number(page)
    if not query:
        empty = Paginator([], RESULTS_PER_PAGE).get_page(1)
        return SearchResults(query=query, page=empty, count=0)
    if uses_postgres():
        return _search_postgres(query, locale, articles, number)
    return _search_embedded(query, articles, number)


def _sections_of(articles: list[ArticlePage]) -> dict[str, SectionPage]:
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    return {section.path: section for section in SectionPage.objects.filter(path__in=parent_paths)}


def _results(articles: list[ArticlePage], highlights: dict[int, tuple]) -> list[Result]:
    sections = _sections_of(articles)
    results = []
    for article in articles:
        title, excerpt = highlights.get(article.pk, (escape(article.title), escape(article.dek)))
        section = sections.get(article.path[: -Page.steplen])
        results.append(Result(article=article, title=title, snippet=excerpt, section=section))
    return results


def _python_highlights(ids: list[int], terms: tuple[str, ...]) -> dict[int, tuple]:
    entries = SearchEntry.objects.filter(pk__in=ids).values_list("pk", "title", "dek", "body")
    return {
        pk: (highlight(title, terms), snippet(f"{dek}\n{body}", terms))
        for pk, title, dek, body in entries
    }


def _search_postgres(query: ParsedQuery, locale: Locale, articles, number: int) -> SearchResults:
    config = text_search_config(locale.language_code)
    search_query = SearchQuery(
        segment_cjk_query(query.text), search_type="websearch", config=config
    )
    matches = (
        articles.filter(search_entry__search_vector=search_query)
        .annotate(rank=SearchRank(F("search_entry__search_vector"), search_query))
        .order_by("-rank", "-first_published_at", "-pk")
        .for_listing()
    )
    paginator = Paginator(matches, RESULTS_PER_PAGE)
    page = paginator.get_page(number)
    found = list(page.object_list)
    ids = [article.pk for article in found]
    if has_cjk(query.text):
        highlights = _python_highlights(ids, query.terms)
    else:
        headlines = SearchEntry.objects.filter(pk__in=ids).annotate(
            title_headline=SearchHeadline(
                "title",
                search_query,
                config=config,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                highlight_all=True,
            ),
            body_headline=SearchHeadline(
                Concat("dek", Value("\n"), "body", output_field=TextField()),
                search_query,
                config=config,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                min_words=15,
                max_words=35,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        highlights = {
            pk: (from_headline(title), from_headline(body))
            for pk, title, body in headlines.values_list("pk", "title_headline", "body_headline")
        }
    results = _results(found, highlights)
    page.object_list = results
    return SearchResults(query=query, page=page, count=paginator.count, results=results)


def _search_embedded(query: ParsedQuery, articles, number: int) -> SearchResults:
    matches = articles.filter(search_entry__isnull=False)
    for clause in query.clauses:
        condition = Q()
        for term in clause:
            condition |= Q(search_entry__folded__contains=fold(term))
        matches = matches.filter(condition)
    rows = list(
        matches.order_by("-first_published_at", "-pk").values_list(
            "pk",
            "search_entry__title",
            "search_entry__dek",
            "search_entry__body",
            "first_published_at",
        )[: CANDIDATE_LIMIT + 1]
    )
    capped = len(rows) > CANDIDATE_LIMIT
    rows = [row for row in rows[:CANDIDATE_LIMIT] if _matches(row, query)]
    terms = query.terms

    def order(row) -> tuple:
        pk, title, dek, body, published = row
        timestamp = published.timestamp() if published else 0.0
        return (-score(title, dek, body, terms), -timestamp, -pk)

    paginator = Paginator(sorted(rows, key=order), RESULTS_PER_PAGE)
    page = paginator.get_page(number)
    ids = [row[0] for row in page.object_list]
    by_id = ArticlePage.objects.filter(pk__in=ids).for_listing().in_bulk()
    found = [by_id[pk] for pk in ids if pk in by_id]
    highlights = {
        pk: (highlight(title, terms), snippet(f"{dek}\n{body}", terms))
        for pk, title, dek, body, _published in page.object_list
    }
    results = _results(found, highlights)
    page.object_list = results
    return SearchResults(
        query=query, page=page, count=paginator.count, capped=capped, results=results
    )
