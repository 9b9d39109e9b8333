"""Pictures on reader pages: AVIF (where this Pillow writes it) and WebP for the browsers that
take them, the original's own format for the rest, several widths with `sizes`, width and height
always (nothing shifts while they load), lazy below the fold and high priority at the top."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import features
from wagtail.images import get_image_model

from masthead.testing.content import make_image

pytestmark = pytest.mark.django_db

AVIF = features.check("avif")
MODERN_TYPES = ["image/avif", "image/webp"] if AVIF else ["image/webp"]


@dataclass
class PictureTag:
    sources: list[dict[str, str]] = field(default_factory=list)
    img: dict[str, str] = field(default_factory=dict)

    def candidates(self) -> list[str]:
        """Every address in the picture: each source's and the img's srcset, and its src."""
        addresses = [self.img["src"]]
        for srcset in [source["srcset"] for source in self.sources] + [self.img["srcset"]]:
            addresses += [candidate.split()[0] for candidate in srcset.split(",")]
        return addresses


class PictureParser(HTMLParser):
    """The <picture> elements of a piece of HTML, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.pictures: list[PictureTag] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "picture":
            self.pictures.append(PictureTag())
            self.inside = True
        elif tag == "source" and self.inside:
            self.pictures[-1].sources.append(values)
        elif tag == "img" and self.inside:
            self.pictures[-1].img = values

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self.inside = False


def pictures_in(html: str, start: str, end: str) -> list[PictureTag]:
    """The pictures between the first `start` and the next `end` in `html`."""
    part = html[html.index(start) :]
    parser = PictureParser()
    parser.feed(part[: part.index(end)])
    return parser.pictures


def make_jpeg(title: str, size: tuple[int, int], description: str = ""):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (30, 90, 140)).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, description=description, file=ImageFile(buffer, name="photo.jpg")
    )


def stored_file(url: str) -> Path:
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT, url.removeprefix(settings.MEDIA_URL))


@pytest.fixture
def story(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    maya = small_newsroom.author("Maya Okafor")
    maya.photo = make_image("Maya", size=(300, 300))
    maya.save()
    small_newsroom.article(  # shown under the story, in More Articles
        canada,
        "Night buses join the ferries",
        [maya],
        timezone.now() - timedelta(hours=2),
        hero_image=make_image("Bus", size=(640, 360), description="A night bus"),
    )
    story = small_newsroom.article(
        canada,
        "Ferries to run all night",
        [maya],
        timezone.now() - timedelta(hours=1),
        hero_image=make_jpeg("Ferry at night", (1600, 900), description="A ferry at night"),
    )
    chart = make_image("Crossings chart", size=(1200, 800))
    chart.contextual_alt_text, chart.decorative = "Crossings per hour", False
    story.body.append(("image", {"image": chart, "caption": "Crossings", "credit": ""}))
    story.save_revision().publish()
    return story


def test_hero_and_figures_offer_modern_formats_then_the_original(client, story):
    html = client.get(story.url).content.decode()
    [hero] = pictures_in(html, '<figure class="hero">', "</figure>")
    [figure] = pictures_in(html, '<figure class="figure">', "</figure>")

    for picture, original in ((hero, ".jpg"), (figure, ".png")):
        assert [source["type"] for source in picture.sources] == MODERN_TYPES
        for source in picture.sources:
            assert source["sizes"] == picture.img["sizes"]
            assert len(source["srcset"].split(",")) == 3  # three widths of each format
        # The fallback every browser can show is in the original's own format.
        assert picture.img["src"].endswith(original)
        assert all(
            candidate.split()[0].endswith(original)
            for candidate in picture.img["srcset"].split(",")
        )
        # Its box is known before it loads.
        assert int(picture.img["width"]) > 0 and int(picture.img["height"]) > 0

    assert hero.img["alt"] == "A ferry at night"
    assert (hero.img["width"], hero.img["height"]) == ("640", "360")
    assert figure.img["alt"] == "Crossings per hour"
    assert (figure.img["width"], figure.img["height"]) == ("480", "320")


def test_only_the_hero_loads_at_once(client, story):
    html = client.get(story.url).content.decode()
    [hero] = pictures_in(html, '<figure class="hero">', "</figure>")
    below = pictures_in(html, '<div class="story-body', 'class="site-footer"')
    assert len(below) >= 3  # the figure, the author's photo, the More Articles cards

    assert hero.img.get("fetchpriority") == "high"
    assert "loading" not in hero.img
    for picture in below:
        assert picture.img["loading"] == "lazy"
        assert picture.img["decoding"] == "async"
        assert "fetchpriority" not in picture.img
        assert picture.img["width"] and picture.img["height"]


def test_rendition_files_really_are_in_the_formats_they_claim(client, story):
    html = client.get(story.url).content.decode()
    [hero] = pictures_in(html, '<figure class="hero">', "</figure>")
    [figure] = pictures_in(html, '<figure class="figure">', "</figure>")

    pillow_formats = {"image/avif": "AVIF", "image/webp": "WEBP"}
    for picture, original in ((hero, "JPEG"), (figure, "PNG")):
        for source in picture.sources:
            for candidate in source["srcset"].split(","):
                url, width = candidate.split()
                with PillowImage.open(stored_file(url)) as opened:
                    assert opened.format == pillow_formats[source["type"]]
                    assert f"{opened.width}w" == width
        for url in [picture.img["src"]]:
            with PillowImage.open(stored_file(url)) as opened:
                assert opened.format == original
                assert (opened.width, opened.height) == (
                    int(picture.img["width"]),
                    int(picture.img["height"]),
                )


def test_the_front_page_lead_picture_loads_first_and_the_cards_lazily(client, small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    for days in (0, 1):
        small_newsroom.article(
            canada,
            f"Pictured story {days}",
            [small_newsroom.author(f"Photographer {days}")],
            timezone.now() - timedelta(minutes=10 + days),
            hero_image=make_jpeg(f"Photo {days}", (1200, 675), description="A photo"),
        )
    html = client.get("/").content.decode()
    [lead] = pictures_in(html, 'class="lead"', "</section>")
    cards = pictures_in(html, 'id="latest-heading"', "</section>")

    assert lead.img.get("fetchpriority") == "high" and "loading" not in lead.img
    assert [source["type"] for source in lead.sources] == MODERN_TYPES
    assert lead.img["width"] and lead.img["height"]
    assert len(cards) == 1
    assert cards[0].img["loading"] == "lazy" and "fetchpriority" not in cards[0].img
    assert cards[0].img["width"] and cards[0].img["height"]


def test_author_photos_are_responsive_pictures(client, story):
    html = client.get(story.url).content.decode()
    [photo] = pictures_in(html, 'class="author-box"', "</section>")
    assert photo.img["class"] == "author-photo" and photo.img["alt"] == ""
    assert (photo.img["width"], photo.img["height"]) == ("96", "96")
    assert "192w" in photo.img["srcset"]
    assert [source["type"] for source in photo.sources] == MODERN_TYPES

    author_page = client.get("/authors/maya-okafor/").content.decode()
    [portrait] = pictures_in(author_page, 'class="author-header"', "</header>")
    assert (portrait.img["width"], portrait.img["height"]) == ("160", "160")
    assert "loading" not in portrait.img  # at the top of the page


def test_a_published_storys_pictures_are_made_before_its_first_reader(small_newsroom):
    from masthead.newsroom.pictures import picture_specs
    from masthead.testing.supporters import committed

    canada = small_newsroom.home.get_children().get(slug="canada").specific
    hero = make_jpeg("Harbour", (1600, 900), description="The harbour at dawn")
    chart = make_image("Chart", size=(1200, 800))
    story = small_newsroom.article(canada, "Harbour reopens", [], publish=False, hero_image=hero)
    story.body.append(("image", {"image": chart, "caption": "", "credit": ""}))
    assert not hero.renditions.exists()

    committed(lambda: story.save_revision().publish())  # the worker runs after the commit

    made = set(hero.renditions.values_list("filter_spec", flat=True))
    for role in ("hero", "lead_card", "card"):
        assert set(picture_specs(hero, role)) <= made, role
    assert set(picture_specs(chart, "figure")) <= set(
        chart.renditions.values_list("filter_spec", flat=True)
    )
    for rendition in hero.renditions.all():
        assert stored_file(rendition.url).exists()
