"""Template tags for the reader pages: section navigation, the pieces of an article and its
responsive pictures.

`{% responsive_picture image "hero" alt=... %}` renders a `<picture>`: AVIF (where this Pillow
can write it) and WebP `<source>`s, then an `<img>` in the original's own format (JPEG or PNG)
for browsers that take neither, each with a `srcset` of several widths and the role's `sizes`,
and the `<img>` always with `width` and `height` so that nothing shifts while it loads.
Pictures load lazily unless the tag says `eager=True` (in view when the page opens) or
`priority=True` (the page's main picture, fetched first: `fetchpriority="high"`).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page

from masthead.newsroom.pictures import PICTURE_ROLES, image_filter, picture_specs
from masthead.translation.languages import in_reader_language

register = template.Library()


@register.simple_tag
def responsive_picture(
    image, role: str, *, alt: str = "", eager: bool = False, priority: bool = False, **attrs
) -> SafeString:
    """A `<picture>` of `image` for `role` (see PICTURE_ROLES); "" without an image.

    Pictures load lazily, when the reader scrolls near them, unless `eager` (in view when the
    page opens) or `priority` (the page's main picture, fetched before anything else). Extra
    keyword arguments become attributes of the `<img>` (e.g. `class`).
    """
    if not image:
        return ""
    filters = [image_filter(spec) for spec in picture_specs(image, role)]
    renditions = get_renditions_or_not_found(image, filters)
    img_attrs = {"alt": alt or "", "sizes": PICTURE_ROLES[role].sizes, **attrs}
    if priority:
        img_attrs["fetchpriority"] = "high"
    elif not eager:
        img_attrs["loading"] = "lazy"
        img_attrs["decoding"] = "async"
    return mark_safe(Picture(renditions, img_attrs).__html__())  # noqa: S308 - flatatt escapes


@register.simple_tag(takes_context=True)
def site_sections(context: template.Context) -> list[tuple[Page, bool]]:
    """The sections of the front page in the reader's language, each with whether the reader
    is inside it."""
    from masthead.newsroom.models import SectionPage, children_of, in_private_section

    home = context.get("front_page")
    if not home:
        return []
    current = context.get("page")
    current_path = getattr(current, "path", "")
    # The ids first (from the page tree's index), then the sections: one query joining both
    # makes the databases read every page on a large site.
    ids = list(
        Page.objects.live()
        .filter(children_of(home))
        .type(SectionPage)
        .exclude(in_private_section())
        .values_list("pk", flat=True)
    )
    sections = SectionPage.objects.filter(pk__in=ids).order_by("path")
    return [(section, current_path.startswith(section.path)) for section in sections]


@register.filter
def localized(instance):
    """A snippet (an author, an editor's note) in the reader's language, where it has one."""
    return in_reader_language(instance) if instance is not None else None
