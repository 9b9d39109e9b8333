"""Builds newsroom content for tests through Wagtail's own page API (revisions, publishing)."""

from __future__ import annotations

import io
from datetime import datetime

from django.conf import settings as django_settings
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from masthead.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    EditorsNote,
    HomePage,
    NewsroomSettings,
    SectionPage,
)
from masthead.translation.languages import forget_locales


def make_image(title: str = "Test image", description: str = "", size=(64, 36)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (120, 40, 40)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title,
        description=description,
        file=ImageFile(buffer, name=f"{slugify(title)}.png"),
    )


class NewsroomBuilder:
    """A home page as the default site's root, and short-hands to add sections and stories."""

    def __init__(self, home: HomePage, site: Site, note: EditorsNote) -> None:
        self.home = home
        self.site = site
        self.note = note

    @classmethod
    def start(cls, name: str = "The Test Ledger") -> NewsroomBuilder:
        root = Page.get_first_root_node()
        if root is None:  # a transactional test before this one emptied the tables
            for code, _name in django_settings.LANGUAGES:
                Locale.objects.get_or_create(language_code=code)
            forget_locales()
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        if Collection.get_first_root_node() is None:  # images need the root collection
            Collection.add_root(name="Root")
        for placeholder in root.get_children():
            placeholder.delete()
        root.refresh_from_db()
        home = HomePage(
            title=name,
            slug="home",
            tagline="Independent reporting, read everywhere",
            about="A test newsroom.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.all().delete()
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=name
        )
        note = EditorsNote.objects.create(
            title="Default appeal",
            body="<p>Please consider joining {supporters} consistent financial supporters.</p>",
        )
        settings = NewsroomSettings.for_site(site)
        settings.default_editors_note = note
        settings.save()
        return cls(home, site, note)

    def section(self, title: str, intro: str = "") -> SectionPage:
        section = SectionPage(title=title, slug=slugify(title), intro=intro)
        self.home.add_child(instance=section)
        section.save_revision().publish()
        return section

    def author(self, name: str, role: str = "Reporter", bio: str = "") -> Author:
        return Author.objects.create(
            name=name,
            slug=slugify(name),
            role=role,
            bio=bio or f"<p>{name} reports for the newsroom.</p>",
        )

    def article(
        self,
        section: SectionPage,
        title: str,
        authors: list[Author],
        published_at: datetime | None = None,
        *,
        publish: bool = True,
        paragraphs: tuple[str, ...] = ("First paragraph.", "Second paragraph."),
        tags: tuple[str, ...] = (),
        **fields,
    ) -> ArticlePage:
        article = ArticlePage(
            title=title,
            slug=fields.pop("slug", slugify(title)),
            body=[("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs],
            live=False,
            **fields,
        )
        article.article_authors = [
            ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
        ]
        if tags:
            article.tags.add(*tags)
        if publish:
            article.first_published_at = published_at or timezone.now()
        section.add_child(instance=article)
        revision = article.save_revision()
        if publish:
            revision.publish()
            if published_at:
                ArticlePage.objects.filter(pk=article.pk).update(
                    first_published_at=published_at, last_published_at=published_at
                )
            article.refresh_from_db()
        return article
