"""Background work for the newsroom's pages: an article's pictures are made by the worker as
soon as it is published (in tests, at once)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task
from wagtail.signals import page_published

from masthead.newsroom import pictures


@task()
def make_article_pictures(page_id: int) -> int:
    """Make the renditions a just-published article shows; returns how many pictures it has
    (0 when the article is gone)."""
    from masthead.newsroom.models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return pictures.make_article_pictures(page)


def article_was_published(sender, instance, **kwargs) -> None:
    from masthead.newsroom.models import ArticlePage

    if isinstance(instance, ArticlePage):
        transaction.on_commit(lambda: make_article_pictures.enqueue(instance.pk))


def connect() -> None:
    page_published.connect(article_was_published, dispatch_uid="masthead-newsroom-pictures")
