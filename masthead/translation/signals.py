"""What sets automatic translation going: publishing an original page or saving an original
author or editor's note queues its translations; a person publishing a translation marks it
reviewed; unpublishing an original takes its translations offline with it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale
from wagtail.signals import page_published, page_unpublished

from masthead.translation import pipeline
from masthead.translation.languages import forget_locales
from masthead.translation.tasks import queue_translations


def page_was_published(sender, instance, revision=None, **kwargs) -> None:
    from masthead.newsroom.models import ArticlePage, HomePage, SectionPage

    page = instance.specific
    if not isinstance(page, ArticlePage | HomePage | SectionPage):
        return
    if pipeline.is_translation(page):
        if revision is not None and revision.user_id is not None:
            pipeline.mark_reviewed(page)
        return
    queue_translations(page)


def page_was_unpublished(sender, instance, **kwargs) -> None:
    from masthead.newsroom.models import ArticlePage, HomePage, SectionPage

    page = instance.specific
    if isinstance(page, ArticlePage | HomePage | SectionPage) and not pipeline.is_translation(page):
        pipeline.unpublish_translations(page)


def snippet_was_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or pipeline.is_translation(instance):
        return
    if not pipeline.has_translations(instance):
        return  # translated the first time an article needs it
    queue_translations(instance)


def connect() -> None:
    from masthead.newsroom.models import Author, EditorsNote

    post_save.connect(forget_locales, sender=Locale, dispatch_uid="masthead-locales-saved")
    post_delete.connect(forget_locales, sender=Locale, dispatch_uid="masthead-locales-deleted")
    page_published.connect(page_was_published, dispatch_uid="masthead-translate-on-publish")
    page_unpublished.connect(page_was_unpublished, dispatch_uid="masthead-unpublish-translations")
    for model in (Author, EditorsNote):
        post_save.connect(
            snippet_was_saved, sender=model, dispatch_uid=f"masthead-translate-{model}"
        )
