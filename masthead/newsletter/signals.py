"""What the newsletter listens to: a story's first publication queues its e-mail.

The mailing is keyed by the story's `translation_key`, which all its language versions share,
so the first publication of the story wins and nothing else creates another: not a re-publish
of an edit, not a translation's publication, not an unpublish and re-publish. It waits
`NewsletterSettings.article_delay_minutes` before the postman prepares it (and composes it
then, with the translations and corrections made meanwhile).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.signals import page_published

from masthead.newsletter.models import Mailing, NewsletterSettings


def article_mailing_key(page: Page) -> str:
    return f"article:{page.translation_key}"


# Wagtail stamps both dates with the same moment on a page's first publication; code that sets
# `first_published_at` itself just before publishing (imports, tests) stamps it a moment earlier.
FIRST_PUBLICATION_TOLERANCE = timedelta(minutes=1)


def is_first_publication(page: Page) -> bool:
    """Whether this publication is the story's first in any language: the page is being
    published now for the first time (its first and last publication dates are the same
    moment), and no other language version of it was ever published. A backdated page (first
    published long before now) is not."""
    first, last = page.first_published_at, page.last_published_at
    if first is None or last is None or abs(last - first) > FIRST_PUBLICATION_TOLERANCE:
        return False
    return not (
        Page.objects.filter(translation_key=page.translation_key, first_published_at__isnull=False)
        .exclude(pk=page.pk)
        .exists()
    )


def queue_article_mailing(page: Page) -> Mailing | None:
    """The ARTICLE mailing of a story published for the first time (created once; None when
    `page` is not a public story's first publication)."""
    from masthead.newsroom.models import ArticlePage, in_private_section

    if not isinstance(page, ArticlePage) or page.alias_of_id or not is_first_publication(page):
        return None
    if Page.objects.filter(pk=page.pk).filter(in_private_section()).exists():
        return None  # members-only stories are not mailed to the whole list
    site = Site.objects.filter(is_default_site=True).first()
    delay = NewsletterSettings.for_site(site).article_delay_minutes if site else 15
    with transaction.atomic():  # a savepoint: a racing duplicate leaves the publish intact
        mailing, _created = Mailing.objects.get_or_create(
            key=article_mailing_key(page),
            defaults={
                "kind": Mailing.ARTICLE,
                "article": page,
                "send_after": timezone.now() + timedelta(minutes=delay),
            },
        )
    return mailing


def page_was_published(sender, instance, **kwargs) -> None:
    queue_article_mailing(instance.specific)


def connect() -> None:
    """Connect the newsletter's signal handlers (called once, from the app's `ready`)."""
    page_published.connect(page_was_published, dispatch_uid="masthead-newsletter-article")
