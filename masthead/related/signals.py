"""What sets the related lists going: publishing an article (in any language) recomputes its
list and its neighbours'; unpublishing one recomputes the lists that showed it."""

from __future__ import annotations

from wagtail.signals import page_published, page_unpublished

from masthead.related.tasks import queue_citing_update, queue_update


def _is_article(instance) -> bool:
    from masthead.newsroom.models import ArticlePage

    return isinstance(instance.specific, ArticlePage)


def article_was_published(sender, instance, **kwargs) -> None:
    if _is_article(instance):
        queue_update(instance.pk)


def article_was_unpublished(sender, instance, **kwargs) -> None:
    if _is_article(instance):
        queue_citing_update(instance.pk)


def connect() -> None:
    page_published.connect(article_was_published, dispatch_uid="masthead-related-on-publish")
    page_unpublished.connect(article_was_unpublished, dispatch_uid="masthead-related-on-unpublish")
