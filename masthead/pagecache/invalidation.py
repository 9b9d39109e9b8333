"""When cached pages stop being current: the changes that bump dependency tags.

- A page published: its own tag (every page that showed it, in a list, a byline's story,
  "More Articles" or the navigation, recorded it). When it goes live or its place changes (it
  was not live before), also the lists it joins: its language's newest stories, its section,
  its authors', its tags', and every language's (the sitemaps and the all-languages feed),
  and its translations (the language switcher).
- A page withdrawn, deleted or moved: the same, for where it was and where it went; a moved
  page's descendants too (their addresses changed).
- An author, editor's note, image, tag or site setting saved or deleted: its own tag; a new
  or deleted translation of one also its translations into that language (pages in that
  language showed another language's copy in its place).
- The supporter figures recomputed (`supporter_figures_changed`): `supporters`.
- An article's "More Articles" recomputed with a different result: `related:<pk>`
  (see masthead.related.compute).

Tags are bumped after the database transaction commits, so a page rendered in between can't
be stored with the old data under the new versions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.pagecache import dependencies
from masthead.pagecache.store import page_store


def invalidate(*tags: str) -> None:
    """Make every cached page that recorded one of `tags` out of date (after the commit)."""
    tags_to_bump = set(tags)
    if tags_to_bump:
        transaction.on_commit(lambda: page_store().invalidate(tags_to_bump), robust=True)


# --- Pages ------------------------------------------------------------------------------------


def lists_of(page: Page, parent_pk: int | None = None) -> set[str]:
    """The tags of every list `page` appears in (where it is now, or under `parent_pk`)."""
    tags = {
        dependencies.locale_tag(page.locale_id),
        dependencies.SITE_ARTICLES,
        dependencies.translations_tag(page.translation_key),
    }
    if parent_pk is None:
        parent = Page.objects.filter(path=page.path[: -Page.steplen]).values("pk").first()
        parent_pk = parent["pk"] if parent else None
    if parent_pk is not None:
        tags.add(dependencies.section_tag(parent_pk))
    specific = page.specific_deferred if type(page) is Page else page
    if hasattr(specific, "article_authors"):
        from masthead.newsroom.models import ArticleAuthor

        keys = ArticleAuthor.objects.filter(page_id=page.pk).values_list(
            "author__translation_key", flat=True
        )
        tags.update(dependencies.authored_tag(key) for key in keys if key)
    if hasattr(specific, "tags"):
        tags.update(dependencies.tagged_tag(tag.slug) for tag in specific.tags.all())
    return tags


def remember_if_live(sender, instance, raw=False, **kwargs) -> None:
    """Before a page is saved, note whether it was live, to tell a first publication (or a
    republication) from an edit."""
    if raw or not isinstance(instance, Page) or instance.pk is None:
        return
    instance._pagecache_was_live = (
        Page.objects.filter(pk=instance.pk).values_list("live", flat=True).first()
    )


def page_was_published(sender, instance, **kwargs) -> None:
    tags = {dependencies.page_tag(instance.pk)}
    if not getattr(instance, "_pagecache_was_live", False):
        tags |= lists_of(instance)
    else:
        # An edit: the lists it is in already show it (and recorded its tag), but not the
        # lists it joins by a new author or tag, nor the sitemaps (their dates change).
        tags |= {
            tag
            for tag in lists_of(instance)
            if tag.startswith(("authored:", "tagged:")) or tag == dependencies.SITE_ARTICLES
        }
    invalidate(*tags)


def page_was_unpublished(sender, instance, **kwargs) -> None:
    invalidate(dependencies.page_tag(instance.pk), *lists_of(instance))


def page_is_being_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.live:
        invalidate(dependencies.page_tag(instance.pk), *lists_of(instance))


def page_was_moved(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    moved = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    invalidate(
        *(dependencies.page_tag(pk) for pk in moved),
        *lists_of(instance, parent_pk=parent_page_before.pk),
        *lists_of(instance, parent_pk=parent_page_after.pk),
    )


# --- Snippets, images, tags and settings ------------------------------------------------------


def row_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or isinstance(instance, Page) or not isinstance(instance, dependencies._TRACKED):
        return
    tags = {dependencies.model_tag(instance)}
    deleted = kwargs.get("signal") is post_delete
    translation_key = getattr(instance, "translation_key", None)
    if translation_key is not None and (created or deleted):
        language = instance.locale.language_code
        tags.add(dependencies.translations_tag(translation_key, language))
    invalidate(*tags)


def supporter_figures_changed(sender, **kwargs) -> None:
    invalidate(dependencies.SUPPORTERS)


def connect() -> None:
    from masthead.supporters.figures import supporter_figures_changed as figures_signal

    uid = "masthead_pagecache"
    pre_save.connect(remember_if_live, dispatch_uid=f"{uid}_remember_if_live")
    page_published.connect(page_was_published, dispatch_uid=f"{uid}_published")
    page_unpublished.connect(page_was_unpublished, dispatch_uid=f"{uid}_unpublished")
    pre_delete.connect(page_is_being_deleted, dispatch_uid=f"{uid}_deleted")
    post_page_move.connect(page_was_moved, dispatch_uid=f"{uid}_moved")
    post_save.connect(row_changed, dispatch_uid=f"{uid}_row_saved")
    post_delete.connect(row_changed, dispatch_uid=f"{uid}_row_deleted")
    figures_signal.connect(supporter_figures_changed, dispatch_uid=f"{uid}_supporters")
