"""Template tags for the reader pages: section navigation and the pieces of an article."""

from django import template
from wagtail.models import Page

from masthead.translation.languages import in_reader_language

register = template.Library()


@register.simple_tag(takes_context=True)
def site_sections(context: template.Context) -> list[tuple[Page, bool]]:
    """The sections of the front page in the reader's language, each with whether the reader
    is inside it."""
    from masthead.newsroom.models import SectionPage

    home = context.get("front_page")
    if not home:
        return []
    current = context.get("page")
    current_path = getattr(current, "path", "")
    sections = SectionPage.objects.live().public().child_of(home).order_by("path")
    return [(section, current_path.startswith(section.path)) for section in sections]


@register.filter
def localized(instance):
    """A snippet (an author, an editor's note) in the reader's language, where it has one."""
    return in_reader_language(instance) if instance is not None else None
