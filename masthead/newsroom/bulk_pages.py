"""Writing many pages at once, straight into Wagtail's tables, for the bench loader and the
WordPress import: saving and publishing pages one by one takes tens of milliseconds each.

The pages get their tree paths, depths and addresses here, at the end of their parents'
children; no revision is made, no signal sent (the caller indexes, caches and logs what it
needs). `live`, dates, locale and translation key are the caller's to set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from django.db import connection
from wagtail.models import Page

BATCH = 1000


def batched(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_pages(
    pages: list[Page], model: type[Page], local_fields: Callable[[Page], dict]
) -> None:
    """Save `pages` (plain `Page` objects, each with a `parent`) as pages of `model` at the end
    of their parents' children; `local_fields(page)` gives the values of `model`'s own
    columns. Parents' `numchild` is left to `fix_numchild`."""
    if not pages:
        return
    next_step: dict[int, int] = {}
    for page in pages:
        parent = page.parent
        if parent.pk not in next_step:
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            next_step[parent.pk] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, next_step[parent.pk])
        next_step[parent.pk] += 1
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.numchild = 0
    for chunk in batched(pages):
        Page.objects.bulk_create(chunk)
    rows = [model(page_ptr_id=page.pk, **local_fields(page)) for page in pages]
    own = list(model._meta.local_concrete_fields)
    for chunk in batched(rows):
        model._base_manager._insert(chunk, fields=own, using=connection.alias)


def fix_numchild(paths: set[str]) -> None:
    """Set `numchild` of the pages at `paths` from their children as they are now."""
    for path in paths:
        depth = len(path) // Page.steplen
        count = Page.objects.filter(path__startswith=path, depth=depth + 1).count()
        Page.objects.filter(path=path).update(numchild=count)
