"""The "More Articles" an article page shows: its stored related articles that are live and
public now, in rank order (one query, plus the bylines' prefetch), topped up with the newest
articles in its language only when fewer are stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from masthead.newsroom.models import ArticlePage


def more_articles(page: ArticlePage, count: int) -> list[ArticlePage]:
    """Up to `count` articles for under `page`: related first, then the newest; never itself,
    never a draft, never another language's."""
    from masthead.newsroom.models import ArticlePage
    from masthead.pagecache import dependencies

    if count <= 0:
        return []
    others = (
        ArticlePage.objects.live()
        .public()
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
        .for_listing()
    )
    picked = list(
        others.filter(related_from__article_id=page.pk).order_by("related_from__rank")[:count]
    )
    dependencies.record(dependencies.related_tag(page.pk))
    if len(picked) < count:
        # Topped up with the newest: a story published in this language may take a place.
        dependencies.record(dependencies.locale_tag(page.locale_id))
        picked_ids = [article.pk for article in picked]
        picked += others.exclude(pk__in=picked_ids).newest()[: count - len(picked)]
    return picked
