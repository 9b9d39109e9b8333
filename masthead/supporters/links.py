"""Where the Support page is, in each language: the button under every article and the links
in e-mails need its address, so it is cached (and forgotten when the page is published,
unpublished, moved or deleted) instead of looked up on every page view."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.models import Locale
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

CACHE_KEY = "supporters:support-page-path:v1:{}"


def support_page_path(language: str) -> str | None:
    """The Support page's path in `language` (the original's where it has no copy), or None
    when the site has no live Support page."""
    key = CACHE_KEY.format(language)
    path = cache.get(key)
    if path is None:
        path = _find(language) or ""
        cache.set(key, path, timeout=None)
    return path or None


def _find(language: str) -> str | None:
    from masthead.supporters.models import SupportPage

    pages = SupportPage.objects.live().public().select_related("locale")
    page = (
        pages.filter(locale__language_code=language).first()
        or pages.filter(locale__language_code=Locale.get_default().language_code).first()
    )
    return page.url if page else None


def support_page_url(language: str, route: str = "") -> str:
    """The absolute address of the Support page (or one of its routes), for e-mails."""
    path = support_page_path(language) or "/support/"
    if path.startswith("http"):
        return path + route
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}{route}"


def forget(**kwargs) -> None:
    cache.delete_many([CACHE_KEY.format(code) for code, _name in settings.LANGUAGES])


def connect() -> None:
    from masthead.supporters.models import SupportPage

    for signal in (page_published, page_unpublished, page_slug_changed):
        signal.connect(forget, sender=SupportPage, dispatch_uid=f"support-path-{id(signal)}")
    post_page_move.connect(forget, dispatch_uid="support-path-move")
    post_delete.connect(forget, sender=SupportPage, dispatch_uid="support-path-delete")
