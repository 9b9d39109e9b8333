"""Template tags for the reader pages: section navigation and the pieces of an article."""

from django import template
from django.http import HttpRequest
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_sections(context: template.Context) -> list[tuple[Page, bool]]:
    """The site's sections for the navigation, each with whether the reader is inside it."""
    from masthead.newsroom.models import SectionPage

    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    current_path = getattr(current, "path", "")
    sections = SectionPage.objects.live().public().child_of(site.root_page).order_by("path")
    return [(section, current_path.startswith(section.path)) for section in sections]
