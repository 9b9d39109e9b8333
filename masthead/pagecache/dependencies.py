"""What a page showed while it rendered: its dependency record.

A page's record is a set of tags. Some are added on their own: every page, author, editor's
note, image, tag and site setting loaded from the database while the page renders adds
`<app_label>.<model>:<pk>` (pages: `page:<pk>`). Lists add the collection they show, which a
story not yet shown may join: `locale:<id>` (the newest stories in a language),
`section:<pk>`, `authored:<author's translation key>`, `tagged:<tag slug>`, `site-articles`
(every language); figures add `supporters` or `related:<article pk>`. `invalidation` bumps
the same tags.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_init
from django.utils import translation

_current: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "masthead_page_dependencies", default=None
)

SITE_ARTICLES = "site-articles"
SUPPORTERS = "supporters"


def record(*tags: str) -> None:
    """Note that the page being rendered (if one is being recorded) shows these things."""
    recorded = _current.get()
    if recorded is not None:
        recorded.update(tags)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tags recorded by the code that runs inside the block."""
    tags: set[str] = set()
    token = _current.set(tags)
    try:
        yield tags
    finally:
        _current.reset(token)


def page_tag(pk: int) -> str:
    return f"page:{pk}"


def translations_tag(translation_key, language: str | None = None) -> str:
    """A page's translations (its language switcher), or with `language`: a snippet's copy in
    that language (pages in it show another language's copy until it exists)."""
    if language:
        return f"translations:{translation_key}:{language}"
    return f"translations:{translation_key}"


def locale_tag(locale_id: int) -> str:
    return f"locale:{locale_id}"


def section_tag(pk: int) -> str:
    return f"section:{pk}"


def authored_tag(author_translation_key) -> str:
    """An author's stories, in any language (bylines may name any language's copy)."""
    return f"authored:{author_translation_key}"


def tagged_tag(slug: str) -> str:
    return f"tagged:{slug}"


def related_tag(article_pk: int) -> str:
    return f"related:{article_pk}"


def model_tag(instance) -> str:
    from wagtail.models import Page

    if isinstance(instance, Page):
        return page_tag(instance.pk)
    return f"{instance._meta.label_lower}:{instance.pk}"


def tracked_models() -> tuple[type, ...]:
    """Models whose rows appear on reader pages outside the page tree."""
    from taggit.models import Tag
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from masthead.newsroom.models import Author, EditorsNote

    return (Page, Author, EditorsNote, Tag, get_image_model(), BaseSiteSetting, BaseGenericSetting)


_TRACKED: tuple[type, ...] = ()


def _record_loaded(sender, instance, **kwargs) -> None:
    recorded = _current.get()
    if recorded is None or not isinstance(instance, _TRACKED) or instance.pk is None:
        return
    recorded.add(model_tag(instance))
    translation_key = getattr(instance, "translation_key", None)
    if translation_key is not None and not _is_page(instance):
        # A translation into the reader's language made later replaces the copy shown now.
        recorded.add(translations_tag(translation_key, translation.get_language()))


def _is_page(instance) -> bool:
    from wagtail.models import Page

    return isinstance(instance, Page)


def connect() -> None:
    global _TRACKED
    _TRACKED = tracked_models()
    post_init.connect(_record_loaded, dispatch_uid="masthead_pagecache_record_loaded")
