"""What every reader page knows about the newsroom: its name and its settings."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, lazy
from wagtail.models import Site


def newsroom(request: HttpRequest) -> dict:
    from masthead.newsroom.models import NewsroomSettings

    def site_name() -> str:
        site = Site.find_for_request(request)
        return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME

    return {
        "site_name": lazy(site_name, str)(),
        "newsroom": SimpleLazyObject(lambda: NewsroomSettings.for_request(request)),
    }
