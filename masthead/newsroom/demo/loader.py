"""Turns the demo content into a working newsroom: pages, authors, images, settings.

Safe to run again: whatever exists already (matched by slug or title) is left exactly as an
editor may have changed it, and only what is missing is created.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from masthead.editorial.roles import apply_roles
from masthead.newsletter.demo import load_demo_newsletter
from masthead.newsletter.roles import apply_newsletter_roles
from masthead.newsroom.demo import content
from masthead.newsroom.demo.human_translations import translate_demo
from masthead.newsroom.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    AuthorLink,
    EditorsNote,
    HomePage,
    NewsroomSettings,
    SectionPage,
)
from masthead.related.compute import rebuild as rebuild_related_articles
from masthead.search.index import rebuild as rebuild_search_index
from masthead.seo.demo import load_demo_seo
from masthead.supporters.demo import load_demo_supporters
from masthead.supporters.roles import apply_supporter_roles
from masthead.tips.demo import load_demo_tips
from masthead.tips.roles import apply_tip_roles

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (400, 400)


def gradient_illustration(colors: tuple[tuple[int, int, int], ...], seed: str) -> bytes:
    """An abstract JPEG: a diagonal gradient between two colours with a few soft shapes."""
    start, end = colors
    width, height = HERO_SIZE
    mask = PillowImage.linear_gradient("L").rotate(-35, expand=True).resize(HERO_SIZE)
    picture = PillowImage.composite(
        PillowImage.new("RGB", HERO_SIZE, end), PillowImage.new("RGB", HERO_SIZE, start), mask
    )
    shapes = PillowImage.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    chance = random.Random(seed)  # noqa: S311 - decoration, not security
    for _ in range(7):
        radius = chance.randint(height // 8, height // 2)
        x, y = chance.randint(0, width), chance.randint(0, height)
        shade = (255, 255, 255, chance.randint(18, 45))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    for _ in range(4):
        y = chance.randint(0, height)
        draw.line((0, y, width, y + chance.randint(-200, 200)), fill=(0, 0, 0, 40), width=6)
    picture = PillowImage.alpha_composite(picture.convert("RGBA"), shapes).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def initials_portrait(name: str, color: tuple[int, int, int]) -> bytes:
    """A square portrait placeholder: the author's initials on a coloured ground."""
    picture = PillowImage.new("RGB", PORTRAIT_SIZE, color)
    draw = ImageDraw.Draw(picture)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = _font(160)
    box = draw.textbbox((0, 0), initials, font=font)
    x = (PORTRAIT_SIZE[0] - (box[2] - box[0])) / 2 - box[0]
    y = (PORTRAIT_SIZE[1] - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), initials, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without scalable default font
        return ImageFont.load_default()


def demo_image(title: str, make_bytes, description: str = ""):
    """The demo image with this title, made (and uploaded) the first time only."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    filename = title.lower().replace(" ", "-").replace(":", "") + ".jpg"
    return Image.objects.create(
        title=title,
        description=description,
        file=ImageFile(io.BytesIO(make_bytes()), name=filename),
    )


class DemoNewsroom:
    """Creates what is missing of the demo newsroom, reporting what it did."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.created: list[str] = []

    @transaction.atomic
    def load(self) -> list[str]:
        apply_roles(apps)
        apply_supporter_roles(apps)  # apply_roles resets the Editors' rights
        apply_newsletter_roles(apps)
        apply_tip_roles(apps)
        home = self.home_page()
        self.site(home)
        sections = {spec["slug"]: self.section(home, spec) for spec in content.SECTIONS}
        authors = {spec["slug"]: self.author(spec) for spec in content.AUTHORS}
        note = self.editors_note()
        self.newsroom_settings(home, note)
        self.created += load_demo_seo(Site.objects.get(root_page=home))
        articles = [self.article(sections, authors, spec) for spec in content.ARTICLES]
        if home.lead_story_id is None:
            lead = next(
                (page for page in articles if page.article_type == ArticlePage.INVESTIGATION),
                articles[0],
            )
            home.lead_story = lead
            home.save_revision().publish()
        self.created += translate_demo(
            home, sections, authors, note, {page.slug: page for page in articles}
        )
        self.created += load_demo_supporters(home, articles, now=self.now)
        self.created += load_demo_newsletter(articles, now=self.now)
        self.created += load_demo_tips()
        if self.created:
            # The stories were backdated after publishing: index them and relate them afresh.
            rebuild_search_index()
            rebuild_related_articles()
        return self.created

    def home_page(self) -> HomePage:
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home:
            return home
        root = Page.get_first_root_node()
        # Wagtail's placeholder "Welcome" page makes way for the newsroom's front page.
        for placeholder in root.get_children().filter(content_type__model="page"):
            if placeholder.numchild == 0:
                placeholder.delete()
        root.refresh_from_db()
        home = HomePage(
            title=content.NEWSROOM["name"],
            slug="home",
            tagline=content.NEWSROOM["tagline"],
            about=content.NEWSROOM["about"],
            live=False,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        self.created.append(f"home page {home.title!r}")
        return home

    def site(self, home: HomePage) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=content.NEWSROOM["name"],
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = site.site_name or content.NEWSROOM["name"]
            site.save()

    def section(self, home: HomePage, spec: dict) -> SectionPage:
        section = SectionPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if section:
            return section
        section = SectionPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
        home.add_child(instance=section)
        section.save_revision().publish()
        self.created.append(f"section {section.title!r}")
        return section

    def author(self, spec: dict) -> Author:
        author = Author.objects.filter(slug=spec["slug"], locale=Locale.get_default()).first()
        if author:
            return author
        photo = demo_image(
            f"Portrait: {spec['name']}",
            lambda: initials_portrait(spec["name"], spec["photo_color"]),
            description=f"Portrait placeholder for {spec['name']}",
        )
        author = Author(
            name=spec["name"],
            slug=spec["slug"],
            role=spec["role"],
            bio=f"<p>{spec['bio']}</p>",
            photo=photo,
        )
        author.links = [AuthorLink(label=label, url=url) for label, url in spec["links"]]
        author.save()
        self.created.append(f"author {author.name!r}")
        return author

    def editors_note(self) -> EditorsNote:
        note = EditorsNote.objects.filter(
            title=content.EDITORS_NOTE["title"], locale=Locale.get_default()
        ).first()
        if note:
            return note
        self.created.append("editor's note")
        return EditorsNote.objects.create(
            title=content.EDITORS_NOTE["title"], body=content.EDITORS_NOTE["body"]
        )

    def newsroom_settings(self, home: HomePage, note: EditorsNote) -> None:
        site = Site.objects.get(root_page=home)
        settings = NewsroomSettings.for_site(site)
        if settings.default_editors_note_id is None:
            settings.default_editors_note = note
            settings.save()

    def article(self, sections: dict, authors: dict, spec: dict) -> ArticlePage:
        section = sections[spec["section"]]
        article = ArticlePage.objects.child_of(section).filter(slug=spec["slug"]).first()
        if article:
            return article
        published_at = self.now - timedelta(days=spec["days_ago"], hours=spec["days_ago"] % 7)
        hero = spec["hero"]
        article = ArticlePage(
            title=spec["headline"],
            slug=spec["slug"],
            dek=spec["dek"],
            article_type=spec["type"],
            hero_image=demo_image(
                f"Illustration: {spec['slug']}",
                lambda: gradient_illustration(hero["colors"], spec["slug"]),
                description=hero["alt"],
            ),
            hero_alt_text=hero["alt"],
            hero_caption=hero["caption"],
            hero_credit=hero["credit"],
            body=[self.block(block_type, value) for block_type, value in spec["body"]],
            first_published_at=published_at,
            live=False,
        )
        article.article_authors = [
            ArticleAuthor(author=authors[slug], sort_order=order)
            for order, slug in enumerate(spec["authors"])
        ]
        article.corrections = [
            ArticleCorrection(
                made_at=published_at + timedelta(days=entry["days_after"], hours=3),
                kind=entry["kind"],
                text=entry["text"],
                sort_order=order,
            )
            for order, entry in enumerate(spec["corrections"])
        ]
        article.tags.add(*spec["tags"])
        section.add_child(instance=article)
        article.save_revision().publish()
        # Publishing stamps "now"; the demo's stories should look as old as they are.
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )
        article.refresh_from_db()
        self.created.append(f"article {article.slug!r}")
        return article

    @staticmethod
    def block(block_type: str, value):
        if block_type == "paragraph":
            return (block_type, RichText(value))
        if block_type == "heading":
            return (block_type, {"text": value, "level": "h2"})
        return (block_type, value)
