"""The sizes and formats each picture on a reader page is made in, and making an article's
pictures in the background when it is published, so that its first readers don't wait.

Making an AVIF of a large photo takes seconds; without this, the first reader of a new story
(during a traffic spike, many of them at once) would wait for every size and format of its hero.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from wagtail.images.models import Filter


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


def article_pictures(page) -> list[tuple[object, str]]:
    """Every (image, role) the article's own page and the cards that list it show."""
    pictures = []
    if page.hero_image:
        pictures += [(page.hero_image, role) for role in ("hero", "lead_card", "card")]
    from masthead.newsroom.models import body_images

    pictures += [(image, "figure") for image in body_images(page.body)]
    for byline in page.article_authors.select_related("author__photo"):
        if byline.author and byline.author.photo:
            pictures.append((byline.author.photo, "author_photo"))
    return pictures


def make_article_pictures(page) -> int:
    """Make every rendition the article's pictures need (those that exist are kept); returns
    how many pictures were checked."""
    pictures = article_pictures(page)
    for image, role in pictures:
        image.get_renditions(*(image_filter(spec) for spec in picture_specs(image, role)))
    return len(pictures)
