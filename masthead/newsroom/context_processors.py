"""What every reader page knows: the newsroom's name and settings, its front page in the
reader's language (tagline, footer text, sections) and the page's language tag."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy
from wagtail.models import Page, Site

from masthead.translation.languages import bcp47, in_reader_language


def newsroom_name(site: Site | None) -> str:
    """The newsroom's name: its site's own name, else `MASTHEAD_SITE_NAME`."""
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def front_page(request: HttpRequest) -> Page | None:
    """The site's front page in the language of the request (the original where it has none)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return in_reader_language(site.root_page).specific


def newsroom(request: HttpRequest) -> dict:
    from masthead.newsroom.models import NewsroomSettings

    def site_name() -> str:
        return newsroom_name(Site.find_for_request(request))

    return {
        "site_name": lazy(site_name, str)(),
        "newsroom": SimpleLazyObject(lambda: NewsroomSettings.for_request(request)),
        "front_page": SimpleLazyObject(lambda: front_page(request)),
        "html_lang": bcp47(translation.get_language() or settings.LANGUAGE_CODE),
    }
