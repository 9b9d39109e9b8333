"""Background work: an article's related list is worked out by the worker after publishing
(in tests, at once), so that readers never wait for it."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from masthead.related import compute


@task()
def update_related(page_id: int) -> int:
    """Recompute a just-published article's list and its nearest neighbours' lists; returns
    how many lists were computed (0 when the article is gone)."""
    from masthead.newsroom.models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return compute.update_after_publish(page)


@task()
def update_lists_citing(page_id: int) -> int:
    """Recompute the lists that show this article (it was unpublished); returns how many."""
    return compute.update_lists_citing(page_id)


def queue_update(page_id: int) -> None:
    """Queue `update_related` for this article once the current transaction commits."""
    transaction.on_commit(lambda: update_related.enqueue(page_id))


def queue_citing_update(page_id: int) -> None:
    """Queue `update_lists_citing` for this article once the current transaction commits."""
    transaction.on_commit(lambda: update_lists_citing.enqueue(page_id))


@task()
def rebuild_related(language_code: str | None = None) -> int:
    """Recompute every live article's list (in one language, or all): after an import has
    added many articles at once; returns how many lists were computed."""
    return compute.rebuild(language_code)
