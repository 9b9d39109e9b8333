"""The demo newsroom's identity for search engines: a publisher logo, made with Pillow."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.seo.models import SeoSettings

LOGO_SIZE = (600, 60)  # the wordmark shape Google News shows
LOGO_TITLE = "Demo: publisher logo"
INK = (24, 24, 27)
PAPER = (255, 255, 255)


def wordmark(name: str) -> bytes:
    """The newsroom's name in white on a dark band, as a PNG."""
    picture = PillowImage.new("RGB", LOGO_SIZE, INK)
    draw = ImageDraw.Draw(picture)
    try:
        font = ImageFont.load_default(size=34)
    except TypeError:  # a Pillow without the scalable default font
        font = ImageFont.load_default()
    box = draw.textbbox((0, 0), name, font=font)
    y = (LOGO_SIZE[1] - (box[3] - box[1])) / 2 - box[1]
    draw.text((16 - box[0], y), name, fill=PAPER, font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def load_demo_seo(site: Site) -> list[str]:
    """Give `site` a publisher logo if it has none; returns what was added (for the report)."""
    settings = SeoSettings.for_site(site)
    if settings.publisher_logo_id:
        return []
    name = site.site_name or "Masthead"
    Image = get_image_model()
    logo = Image.objects.filter(title=LOGO_TITLE).first() or Image.objects.create(
        title=LOGO_TITLE,
        description=name,
        file=ImageFile(io.BytesIO(wordmark(name)), name="publisher-logo.png"),
    )
    settings.publisher_logo = logo
    settings.save(update_fields=["publisher_logo"])
    return [f"publisher logo for {name!r}"]
