"""The "More Articles" an article page shows: its stored related articles that are live and
public now, in rank order, topped up with the newest articles in its language only when fewer
are stored. One query whatever the mix (plus the bylines' prefetch)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, Subquery

if TYPE_CHECKING:
    from masthead.newsroom.models import ArticlePage


def more_articles(page: ArticlePage, count: int) -> list[ArticlePage]:
    """Up to `count` articles for under `page`: related first, then the newest; never itself,
    never a draft, never another language's."""
    from masthead.newsroom.models import ArticlePage, in_private_section
    from masthead.pagecache import dependencies
    from masthead.related.models import RelatedArticle

    if count <= 0:
        return []
    others = (
        ArticlePage.objects.live()
        .exclude(in_private_section())
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
    )
    stored = RelatedArticle.objects.filter(article_id=page.pk)
    # The candidates: the stored related articles, and enough of the newest to fill the list
    # if too few of those are live; related ones first (by rank), then the newest.
    newest = others.order_by("-first_published_at", "-pk").values("pk")[:count]
    picked = list(
        others.filter(Q(pk__in=stored.values("related_id")) | Q(pk__in=newest))
        .annotate(rank=Subquery(stored.filter(related_id=OuterRef("pk")).values("rank")[:1]))
        .order_by(F("rank").asc(nulls_last=True), "-first_published_at", "-pk")
        .for_listing()[:count]
    )
    dependencies.record(dependencies.related_tag(page.pk))
    if len(picked) < count or any(article.rank is None for article in picked):
        # Topped up with the newest: a story published in this language may take a place.
        dependencies.record(dependencies.locale_tag(page.locale_id))
    return picked
