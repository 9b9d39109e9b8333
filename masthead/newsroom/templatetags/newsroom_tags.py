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

from dataclasses import dataclass
from functools import cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page

from masthead.translation.languages import in_reader_language

register = template.Library()


@dataclass(frozen=True)
class PictureRole:
    """Where a picture appears: the sizes it is made in and how wide the page shows it."""

    specs: str  # a Wagtail filter spec with a {…} list of sizes, e.g. "width-{480,800}"
    sizes: str  # the `sizes` attribute: the width the layout gives the picture


PICTURE_ROLES = {
    # The article's hero, as wide as the page (75rem at most).
    "hero": PictureRole("fill-{640x360,1200x675,1600x900}", "(min-width: 75rem) 75rem, 100vw"),
    # An image in the article body, as wide as the text column.
    "figure": PictureRole("width-{480,800,1200}", "(min-width: 42rem) 42rem, 100vw"),
    # The front page's lead story: three fifths of the page on wide screens.
    "lead_card": PictureRole(
        "fill-{640x360,1200x675}", "(min-width: 75rem) 44rem, (min-width: 48rem) 60vw, 100vw"
    ),
    # A story in a grid of cards (columns of at least 16rem).
    "card": PictureRole("fill-{320x180,640x360}", "(min-width: 48rem) 24rem, 100vw"),
    # An author's portrait in the box under an article (4rem) and on their page (6rem).
    "author_photo": PictureRole("fill-{96x96,192x192}", "4rem"),
    "author_portrait": PictureRole("fill-{160x160,320x320}", "6rem"),
}

# The original's format by file extension; other formats fall back to PNG (keeps transparency).
FALLBACK_FORMATS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "png"}


@cache
def modern_formats() -> tuple[str, ...]:
    """The formats offered before the fallback, best first: AVIF only where Pillow writes it."""
    from PIL import features

    return ("avif", "webp") if features.check("avif") else ("webp",)


def fallback_format(image) -> str:
    """The format of the `<img>` every browser shows: the original's own (JPEG or PNG)."""
    extension = str(image.file.name).rsplit(".", 1)[-1].lower()
    return FALLBACK_FORMATS.get(extension, "png")


@cache
def image_filter(spec: str) -> Filter:
    """The parsed filter for a spec, kept: parsing the operations anew each render costs."""
    return Filter(spec=spec)


def picture_specs(image, role: str) -> list[str]:
    """The filter specs of every rendition a picture of `image` in `role` shows."""
    sizes = Filter.expand_spec(PICTURE_ROLES[role].specs)
    if image.is_svg():  # drawings are served as they are, at any size
        return [f"{size}|preserve-svg" for size in sizes]
    formats = [*modern_formats(), fallback_format(image)]
    return [f"{size}|format-{name}" for name in formats for size in sizes]


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
    from masthead.newsroom.models import SectionPage, in_private_section

    home = context.get("front_page")
    if not home:
        return []
    current = context.get("page")
    current_path = getattr(current, "path", "")
    sections = (
        SectionPage.objects.live().exclude(in_private_section()).child_of(home).order_by("path")
    )
    return [(section, current_path.startswith(section.path)) for section in sections]


@register.filter
def localized(instance):
    """A snippet (an author, an editor's note) in the reader's language, where it has one."""
    return in_reader_language(instance) if instance is not None else None
