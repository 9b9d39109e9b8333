"""Working out and storing each article's related articles (run by the background worker).

For an article, the candidates are the live, public articles in its own locale: the
`POOL_SIZE` newest, plus (up to `POOL_SIZE` more, newest first) those sharing one of its tags or
authors. IDF comes from the stored terms of that pool and the article itself. The best
`KEEP` related candidates (see `scoring`) replace the article's stored list in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from wagtail.models import Locale, Page

from masthead.pagecache.dependencies import related_tag
from masthead.pagecache.invalidation import invalidate
from masthead.related import scoring
from masthead.related.models import ArticleTerms, RelatedArticle
from masthead.related.scoring import ArticleFeatures, Idf

POOL_SIZE = 2000  # newest candidates looked at (and as many again sharing a tag or author)
KEEP = 8  # related articles stored per article
NEIGHBOURS = 20  # on publishing, the lists of this many of its most related are redone


def _article_model():
    from masthead.newsroom.models import ArticlePage

    return ArticlePage


def _language(locale_id: int, cache: dict[int, str] | None = None) -> str:
    if cache is not None and locale_id in cache:
        return cache[locale_id]
    code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    if cache is not None:
        cache[locale_id] = code or ""
    return code or ""


def refresh_terms(page: Page, language: str | None = None) -> ArticleTerms:
    """Work out and store an article's terms from its title, dek and body."""
    page = page.specific
    language = language if language is not None else _language(page.locale_id)
    terms = scoring.term_weights(page.title, page.dek, page.body_text(), language)
    stored, _created = ArticleTerms.objects.update_or_create(
        page_id=page.pk, defaults={"terms": terms, "language": language}
    )
    return stored


class Pool:
    """Articles' features, loaded from the database as they are needed and then kept (a
    rebuild or a publication computes many lists from mostly the same articles)."""

    def __init__(self) -> None:
        self.features: dict[int, ArticleFeatures] = {}
        self._idf: dict[frozenset[int], Idf] = {}
        self._languages: dict[int, str] = {}

    def forget(self, pk: int) -> None:
        self.features.pop(pk, None)
        self._idf.clear()

    def load(self, ids: Iterable[int]) -> None:
        """Load the features of these articles (working out missing terms first)."""
        from masthead.newsroom.models import ArticleAuthor, ArticleTag

        ArticlePage = _article_model()
        missing = sorted(set(ids) - self.features.keys())
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            without_terms = ArticlePage.objects.filter(pk__in=chunk, related_terms__isnull=True)
            for page in without_terms:
                refresh_terms(page, _language(page.locale_id, self._languages))
            tags: dict[int, set[str]] = {pk: set() for pk in chunk}
            for pk, slug in ArticleTag.objects.filter(content_object_id__in=chunk).values_list(
                "content_object_id", "tag__slug"
            ):
                tags[pk].add(slug)
            authors: dict[int, set[object]] = {pk: set() for pk in chunk}
            for pk, key in ArticleAuthor.objects.filter(
                page_id__in=chunk, author__isnull=False
            ).values_list("page_id", "author__translation_key"):
                authors[pk].add(key)
            terms = dict(
                ArticleTerms.objects.filter(page_id__in=chunk).values_list("page_id", "terms")
            )
            rows = ArticlePage.objects.filter(pk__in=chunk).values_list(
                "pk", "path", "first_published_at"
            )
            for pk, path, published_at in rows:
                self.features[pk] = ArticleFeatures(
                    pk=pk,
                    tags=frozenset(tags[pk]),
                    section=path[: -Page.steplen],
                    authors=frozenset(authors[pk]),
                    published_at=published_at,
                    terms=terms.get(pk) or {},
                )

    def idf(self, ids: Iterable[int]) -> Idf:
        key = frozenset(ids)
        if key not in self._idf:
            self._idf[key] = scoring.inverse_document_frequencies(
                self.features[pk].terms for pk in sorted(key) if pk in self.features
            )
        return self._idf[key]


def candidate_ids(page: Page, features: ArticleFeatures) -> list[int]:
    """The live public articles in `page`'s locale that may be related to it (not itself)."""
    ArticlePage = _article_model()
    others = (
        ArticlePage.objects.live()
        .public()
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
        .order_by("-first_published_at", "-pk")
    )
    ids = list(others.values_list("pk", flat=True)[:POOL_SIZE])
    sharing = Q()
    if features.tags:
        sharing |= Q(tags__slug__in=features.tags)
    if features.authors:
        sharing |= Q(article_authors__author__translation_key__in=features.authors)
    if sharing:
        shared = others.filter(sharing).values_list("pk", "first_published_at").distinct()
        known = set(ids)
        ids += [pk for pk, _published in shared[:POOL_SIZE] if pk not in known]
    return ids


def ranked_candidates(page: Page, pool: Pool | None = None) -> list[tuple[ArticleFeatures, float]]:
    """Every related candidate of `page` with its score, best first."""
    pool = pool or Pool()
    pool.load([page.pk])
    target = pool.features[page.pk]
    ids = candidate_ids(page, target)
    pool.load(ids)
    idf = pool.idf([page.pk, *ids])
    return scoring.rank(target, (pool.features[pk] for pk in ids if pk in pool.features), idf)


def store(page: Page, ranked: list[tuple[ArticleFeatures, float]]) -> list[RelatedArticle]:
    """Replace `page`'s stored list with the best `KEEP` of `ranked`."""
    rows = [
        RelatedArticle(article_id=page.pk, related_id=features.pk, rank=rank, score=value)
        for rank, (features, value) in enumerate(ranked[:KEEP])
    ]
    with transaction.atomic():
        # Lock the article so that two workers don't interleave their replacements.
        list(Page.objects.select_for_update().filter(pk=page.pk).values_list("pk"))
        stored = RelatedArticle.objects.filter(article_id=page.pk)
        before = list(stored.order_by("rank").values_list("related_id", flat=True))
        stored.delete()
        RelatedArticle.objects.bulk_create(rows)
        if before != [row.related_id for row in rows]:
            # The article's "More Articles" changed: its cached pages must show the new list.
            invalidate(related_tag(page.pk))
    return rows


def compute_related(page: Page, pool: Pool | None = None) -> list[RelatedArticle]:
    """Work out and store `page`'s related articles (best first); returns the stored rows."""
    return store(page, ranked_candidates(page, pool))


def update_after_publish(page: Page) -> int:
    """After `page` is published: its terms and list, then the lists of the articles it is
    most related to (so older stories pick it up). Returns how many lists were computed."""
    refresh_terms(page)
    pool = Pool()
    ranked = ranked_candidates(page, pool)
    store(page, ranked)
    ArticlePage = _article_model()
    neighbours = [features.pk for features, _score in ranked[:NEIGHBOURS]]
    pages = ArticlePage.objects.filter(pk__in=neighbours).only("pk", "locale_id")
    for neighbour in sorted(pages, key=lambda page: neighbours.index(page.pk)):
        compute_related(neighbour, pool)
    return 1 + len(pages)


def update_lists_citing(page_id: int) -> int:
    """Recompute the lists that show `page_id` (after it was unpublished, say)."""
    ArticlePage = _article_model()
    citing = ArticlePage.objects.filter(related_articles__related_id=page_id).distinct()
    pool = Pool()
    count = 0
    for page in citing.only("pk", "locale_id").order_by("pk"):
        compute_related(page, pool)
        count += 1
    return count


def rebuild(locale: Locale | str | None = None) -> int:
    """Recompute the terms and lists of every live article (in one locale, or all); returns
    how many lists were computed."""
    ArticlePage = _article_model()
    locales = Locale.objects.order_by("pk")
    if isinstance(locale, Locale):
        locales = locales.filter(pk=locale.pk)
    elif locale:
        locales = locales.filter(language_code=locale)
    count = 0
    for each in locales:
        articles = ArticlePage.objects.live().public().filter(locale=each).order_by("pk")
        for page in articles:
            refresh_terms(page, each.language_code)
        pool = Pool()
        for page in articles.only("pk", "locale_id"):
            compute_related(page, pool)
            count += 1
    return count
