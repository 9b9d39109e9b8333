"""Keeping the search index in step with what is published.

`index_page` stores a published article's text (wagtail's `page_published` signal calls it);
`remove_page` drops it (on `page_unpublished` and on deletion); `rebuild` indexes every live
article again, for `manage.py search_reindex` and the demo loader; `index_pages` stores many at
once, for the WordPress import.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from masthead.search.models import SearchEntry
from masthead.search.text import clean, fold, segment_cjk, text_search_config, uses_postgres

logger = logging.getLogger(__name__)


def _article_class():
    from masthead.newsroom.models import ArticlePage

    return ArticlePage


def is_searchable(page: Page) -> bool:
    return isinstance(page, _article_class())


def _entry_values(page) -> dict:
    title = clean(page.title)
    dek = clean(page.dek)
    body = clean(page.body_text())
    return {
        "language": page.locale.language_code,
        "title": title,
        "dek": dek,
        "body": body,
        "folded": "" if uses_postgres() else _folded(title, dek, body),
    }


def _folded(*texts: str) -> str:
    """The texts case-folded with spaces normalised, one per line (so no match spans two)."""
    return "\n".join(fold(" ".join(text.split())) for text in texts)


def _text(value: str) -> Value:
    return Value(_unbracketed(value), output_field=TextField())


def _unbracketed(value: str) -> str:
    """Text for `to_tsvector`: angle brackets become spaces, since PostgreSQL's parser would
    otherwise take "<b>" or "<script>…</script>" in the plain text for markup and skip it."""
    return value.replace("<", " ").replace(">", " ")


def _write_vector(entry: SearchEntry) -> None:
    """Weight the entry's text into its search vector (PostgreSQL only)."""
    config = text_search_config(entry.language)
    vector = (
        SearchVector(_text(segment_cjk(entry.title)), weight="A", config=config)
        + SearchVector(_text(segment_cjk(entry.dek)), weight="B", config=config)
        + SearchVector(_text(segment_cjk(entry.body)), weight="C", config=config)
    )
    SearchEntry.objects.filter(pk=entry.pk).update(search_vector=vector)


def _write_vectors(entries: list[SearchEntry]) -> None:
    """`_write_vector` for many entries in one UPDATE."""
    if not entries:
        return
    parameters: list = []
    for entry in entries:
        parameters += [entry.page_id, text_search_config(entry.language)]
        parameters += [
            _unbracketed(segment_cjk(text)) for text in (entry.title, entry.dek, entry.body)
        ]
    rows = ", ".join(["(%s, %s::regconfig, %s, %s, %s)"] * len(entries))
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS entry SET search_vector = "  # noqa: S608 - values are parameters
            "setweight(to_tsvector(v.config, v.title), 'A') "
            "|| setweight(to_tsvector(v.config, v.dek), 'B') "
            "|| setweight(to_tsvector(v.config, v.body), 'C') "
            f"FROM (VALUES {rows}) AS v(page_id, config, title, dek, body) "
            "WHERE entry.page_id = v.page_id",
            parameters,
        )


def index_pages(pages: Iterable[Page]) -> int:
    """Store the entries of many published articles at once (an import's batch): one query
    inserts them all and, on PostgreSQL, one more writes their vectors, where `index_page`
    takes three or four per article. Pages that are not live articles are left out; returns
    how many were stored. Each page's `locale` should be loaded with it."""
    pages = [page for page in pages if is_searchable(page) and page.live]
    if not pages:
        return 0
    with transaction.atomic():
        SearchEntry.objects.filter(page_id__in=[page.pk for page in pages]).delete()
        entries = SearchEntry.objects.bulk_create(
            [SearchEntry(page_id=page.pk, **_entry_values(page)) for page in pages]
        )
        if uses_postgres():
            _write_vectors(entries)
    return len(entries)


def index_page(page: Page) -> SearchEntry | None:
    """Store (or refresh) a published article's entry; other pages are not indexed, and an
    article that is not live is removed."""
    page = page.specific
    if not is_searchable(page):
        return None
    if not page.live:
        remove_page(page.pk)
        return None
    with transaction.atomic():
        entry, _created = SearchEntry.objects.update_or_create(
            page_id=page.pk, defaults=_entry_values(page)
        )
        if uses_postgres():
            _write_vector(entry)
    return entry


def remove_page(page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def rebuild() -> int:
    """Index every live article page afresh; the number of entries."""
    pages = _article_class().objects.live().select_related("locale").specific()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        count, chunk = 0, []
        for page in pages.iterator(chunk_size=200):
            chunk.append(page)
            if len(chunk) == 200:
                count += index_pages(chunk)
                chunk = []
        count += index_pages(chunk)
    logger.info("Search index rebuilt: %s articles.", count)
    return count


# --- Signals ----------------------------------------------------------------------------------


def _on_published(sender, instance: Page, **kwargs) -> None:
    if is_searchable(instance):
        index_page(instance)


def _on_unpublished(sender, instance: Page, **kwargs) -> None:
    remove_page(instance.pk)


def _on_deleted(sender, instance: Page, **kwargs) -> None:
    remove_page(instance.pk)


def connect_signals() -> None:
    """Keep the index current as pages are published, unpublished and deleted."""
    page_published.connect(_on_published, dispatch_uid="masthead.search.published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="masthead.search.unpublished")
    post_delete.connect(_on_deleted, sender=Page, dispatch_uid="masthead.search.deleted")
    post_delete.connect(
        _on_deleted, sender=_article_class(), dispatch_uid="masthead.search.deleted.article"
    )
