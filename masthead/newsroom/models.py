"""The newsroom's content: home, section and article pages, authors, editor's notes, settings.

Pages form the tree Home → Section → Article. Authors and editor's notes are snippets that
articles point at; each author also has a public page (see `views.py`).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.rich_text import expand_db_html
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from masthead.newsroom.blocks import ArticleBodyBlock
from masthead.pagecache import dependencies
from masthead.translation.languages import active_locale, page_versions
from masthead.translation.notices import translation_notice

ARTICLES_PER_PAGE = 12
MORE_ARTICLES_COUNT = 4
HEADLINE_MAX_LENGTH = 200

BIO_FEATURES = ["bold", "italic", "link"]
NOTE_FEATURES = ["bold", "italic", "link"]


def paginate(
    items: QuerySet,
    request: HttpRequest,
    per_page: int = ARTICLES_PER_PAGE,
    *,
    ids: QuerySet | None = None,
):
    """The page of `items` named by ?page= (the first or last page when it is out of range).

    With `ids` (the same list as bare page ids, in order: see `listed_ids`), the count and the
    slicing run on that narrow query, which the database answers from an index even with tens
    of thousands of articles, and only the page's own articles are loaded from `items`."""
    if ids is None:
        return Paginator(items, per_page).get_page(request.GET.get("page"))
    return IdsFirstPaginator(ids, items, per_page).get_page(request.GET.get("page"))


class IdsFirstPaginator(Paginator):
    """Counts and slices a query of ids, then loads just the page's articles in full."""

    def __init__(self, ids: QuerySet, items: ArticlePageQuerySet, per_page: int) -> None:
        super().__init__(ids, per_page)
        self.items = items

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self.items.in_order(object_list), number, paginator)


def listed_ids(pages: PageQuerySet) -> QuerySet:
    """The ids of the published articles among `pages`, newest first. It reads the page tree
    alone (not the articles' own columns), so the index migration 0004 adds answers it."""
    return (
        pages.type(ArticlePage)
        .live()
        .exclude(in_private_section())
        .order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)
    )


def children_of(page: Page) -> models.Q:
    """The pages right below `page`, as a range of tree paths. (Wagtail's `child_of()` is a
    LIKE on the path, which SQLite never answers from an index.)"""
    return models.Q(path__gt=page.path, path__lt=page._inc_path(), depth=page.depth + 1)


# --- Snippets ---------------------------------------------------------------------------------


@register_snippet
class Author(TranslatableMixin, index.Indexed, ClusterableModel):
    """A person who writes for the newsroom, with a public page at /authors/<slug>/.

    Each language has its own copy (same name, slug and photo; translated role and bio).
    """

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, help_text="The last part of the author's page address.")
    role = models.CharField(max_length=120, blank=True, help_text='e.g. "Investigations editor"')
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = RichTextField(features=BIO_FEATURES, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        InlinePanel("links", label="Links"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    translatable_fields = [
        SynchronizedField("name", overridable=False),
        SynchronizedField("slug", overridable=False),
        TranslatableField("role"),
        TranslatableField("bio"),
        SynchronizedField("photo"),
        SynchronizedField("links"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:author", kwargs={"slug": self.slug})

    def articles(self, locale: Locale | None = None) -> ArticlePageQuerySet:
        """This author's published articles in `locale` (default: the author's own language).
        Bylines may point at any language's copy of the author."""
        return (
            ArticlePage.objects.live()
            .exclude(in_private_section())
            .filter(locale_id=locale.pk if locale else self.locale_id, pk__in=self._bylines())
            .for_listing()
            .newest()
        )

    def article_ids(self, locale: Locale | None = None) -> QuerySet:
        """The ids of `articles(locale)`, in order (for `paginate`)."""
        pages = Page.objects.filter(
            locale_id=locale.pk if locale else self.locale_id, pk__in=self._bylines()
        )
        return listed_ids(pages)

    def _bylines(self) -> QuerySet:
        return ArticleAuthor.objects.filter(author__translation_key=self.translation_key).values(
            "page_id"
        )


class AuthorLink(Orderable):
    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text='e.g. "Website", "Mastodon"')
    url = models.URLField()

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"


@register_snippet
class EditorsNote(TranslatableMixin, models.Model):
    """A box of text shown under articles, such as an appeal for support.

    Write `{supporters}` where the live number of recurring supporters belongs; see
    `masthead.newsroom.supporter_count`.
    """

    title = models.CharField(max_length=120, help_text="For editors only; readers don't see it.")
    body = RichTextField(
        features=NOTE_FEATURES,
        help_text="Write {supporters} where the live number of recurring supporters belongs.",
    )

    panels = [FieldPanel("title"), FieldPanel("body")]
    translatable_fields = [SynchronizedField("title"), TranslatableField("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "editor's note"

    def __str__(self) -> str:
        return self.title

    def render_body(self) -> SafeString:
        """The note as HTML, with the live supporter count where `{supporters}` was written."""
        count = supporter_count()
        number = (
            format_html(
                '<strong class="supporter-count">{}</strong>',
                number_format(count, force_grouping=True),
            )
            if count is not None
            else gettext("many")
        )
        return mark_safe(expand_db_html(self.body).replace(SUPPORTERS_TOKEN, number))  # noqa: S308


SUPPORTERS_TOKEN = "{supporters}"  # noqa: S105 - a placeholder, not a password


def supporter_count() -> int | None:
    """The number of recurring supporters, from the first `masthead_supporter_count` hook.

    The supporters app registers that hook; until one does, notes say "many" instead.
    """
    for count_supporters in hooks.get_hooks("masthead_supporter_count"):
        count = count_supporters()
        if count is not None:
            return count
    return None


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting):
    """Newsroom-wide choices. (The tagline and the footer's about text are on the home page,
    so that they are translated with it.)"""

    default_editors_note = models.ForeignKey(
        EditorsNote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown under every article that doesn't choose its own note.",
    )

    panels = [FieldPanel("default_editors_note")]

    class Meta:
        verbose_name = "newsroom settings"


# --- Pages ------------------------------------------------------------------------------------


class ArticlePageQuerySet(PageQuerySet):
    """Article queries with everything a list of article cards needs, in few SQL queries."""

    def newest(self) -> ArticlePageQuerySet:
        return self.order_by("-first_published_at", "-pk")

    def for_listing(self) -> ArticlePageQuerySet:
        return self.select_related("hero_image").prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            )
        )

    def in_order(self, ids) -> list[ArticlePage]:
        """The articles of this query with these ids, in the order of `ids`."""
        ids = list(ids)
        if not ids:
            return []
        found = {article.pk: article for article in self.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]


class ArticlePageManager(PageManager.from_queryset(ArticlePageQuerySet)):
    pass


class ReaderPageMixin:
    """What every reader page has: its versions in each language, and if it is a translation,
    the label saying so."""

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        versions = page_versions(self, request)
        context["language_versions"] = versions
        context["translation_notice"] = translation_notice(self, versions)
        return context


class HomePage(ReaderPageMixin, Page):
    """The front page: a lead story, the latest articles and a block for each section."""

    tagline = models.CharField(max_length=200, blank=True, help_text="Shown under the name.")
    about = models.TextField(blank=True, help_text="One or two sentences shown in the footer.")
    lead_story = models.ForeignKey(
        "newsroom.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top of the front page. Empty: the newest article.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("about"),
        FieldPanel("lead_story"),
    ]
    override_translatable_fields = [
        SynchronizedField("slug", overridable=False),
        SynchronizedField("lead_story", overridable=False),
    ]
    subpage_types = ["newsroom.SectionPage", "newsroom.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    LATEST_COUNT = 6
    SECTION_BLOCK_COUNT = 3

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        dependencies.record(dependencies.locale_tag(self.locale_id))
        # (The language narrows it to an index of pages by language and date: migration 0004.)
        articles = (
            ArticlePage.objects.live()
            .exclude(in_private_section())
            .descendant_of(self)
            .filter(locale=self.locale_id)
        )
        # The editors' choice, while it is published on this site; otherwise the newest story.
        lead = None
        if self.lead_story_id:
            # The lead is chosen once, on the original; each language shows its own version.
            chosen = Page.objects.filter(pk=self.lead_story_id).values("translation_key")
            lead = articles.for_listing().filter(translation_key__in=chosen).first()
        if lead is None:
            lead = articles.for_listing().newest().first()
        others = articles.exclude(pk=lead.pk) if lead else articles
        context["lead"] = lead
        context["latest"] = list(others.for_listing().newest()[: self.LATEST_COUNT])
        shown = {page.pk for page in context["latest"]} | ({lead.pk} if lead else set())
        sections = list(
            SectionPage.objects.live()
            .exclude(in_private_section())
            .filter(children_of(self))
            .order_by("path")
        )
        # Each section's newest ids (from the page tree's index), then their articles at once.
        picks = [
            list(section.article_ids().exclude(pk__in=shown)[: self.SECTION_BLOCK_COUNT])
            for section in sections
        ]
        loaded = ArticlePage.objects.for_listing().in_order(pk for ids in picks for pk in ids)
        by_pk = {article.pk: article for article in loaded}
        context["section_blocks"] = [
            (section, [by_pk[pk] for pk in ids if pk in by_pk])
            for section, ids in zip(sections, picks, strict=True)
        ]
        return context


class SectionPage(ReaderPageMixin, Page):
    """A beat or desk, e.g. "Canada" or "Analysis": its articles, newest first."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    def articles(self) -> ArticlePageQuerySet:
        return (
            ArticlePage.objects.live()
            .exclude(in_private_section())
            .filter(children_of(self))
            .for_listing()
            .newest()
        )

    def article_ids(self) -> QuerySet:
        """The ids of `articles()`, in order (for `paginate`)."""
        return listed_ids(Page.objects.filter(children_of(self)))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        dependencies.record(dependencies.section_tag(self.pk))
        context["articles"] = paginate(self.articles(), request, ids=self.article_ids())
        return context


class StandardPage(ReaderPageMixin, Page):
    """A page that is not a story: "About us", "Contact", "Our corrections policy". Pages
    imported from WordPress land here too, nested as they were."""

    intro = models.TextField(
        max_length=400, blank=True, help_text="A sentence or two under the title."
    )
    body = StreamField(ArticleBodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["newsroom.HomePage", "newsroom.StandardPage"]
    subpage_types = ["newsroom.StandardPage"]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    class Meta:
        verbose_name = "standard page"


class ArticleAuthor(Orderable):
    """One author on an article's byline, in byline order."""

    page = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_authors")

    panels = [FieldPanel("author")]


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleCorrection(TranslatableMixin, Orderable):
    """A dated correction or update, shown at the foot of the article (translated with it)."""

    CORRECTION = "correction"
    UPDATE = "update"
    KINDS = [
        (CORRECTION, pgettext_lazy("correction kind", "Correction")),
        (UPDATE, pgettext_lazy("correction kind", "Update")),
    ]

    page = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    made_at = models.DateTimeField(default=timezone.now, verbose_name="date")
    kind = models.CharField(max_length=20, choices=KINDS, default=CORRECTION)
    text = models.TextField(help_text="What was wrong or what changed, in a sentence or two.")

    panels = [FieldPanel("made_at"), FieldPanel("kind"), FieldPanel("text")]
    translatable_fields = [
        SynchronizedField("made_at", overridable=False),
        SynchronizedField("kind", overridable=False),
        TranslatableField("text"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = "correction or update"


class ArticlePage(ReaderPageMixin, Page):
    """A story: headline, dek, byline, hero image, body and everything around it."""

    NEWS = "news"
    ANALYSIS = "analysis"
    OPINION = "opinion"
    INVESTIGATION = "investigation"
    TYPES = [
        (NEWS, pgettext_lazy("article type", "News")),
        (ANALYSIS, pgettext_lazy("article type", "Analysis")),
        (OPINION, pgettext_lazy("article type", "Opinion")),
        (INVESTIGATION, pgettext_lazy("article type", "Investigation")),
    ]

    dek = models.TextField(
        max_length=400,
        blank=True,
        verbose_name="dek",
        help_text="The standfirst under the headline.",
    )
    article_type = models.CharField(max_length=20, choices=TYPES, default=NEWS, verbose_name="type")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt_text = models.CharField(
        max_length=300,
        blank=True,
        verbose_name="alt text",
        help_text="Describe the image for readers who can't see it. "
        "Empty: the image's own description.",
    )
    hero_caption = models.CharField(max_length=300, blank=True, verbose_name="caption")
    hero_credit = models.CharField(max_length=150, blank=True, verbose_name="credit")
    body = StreamField(ArticleBodyBlock())
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    editors_note = models.ForeignKey(
        EditorsNote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="editor's note",
        help_text="Empty: the newsroom's default note.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The picture shown when the story is shared or found by search engines, "
        "at least 1200 pixels wide. Empty: the hero image.",
    )

    objects = ArticlePageManager()

    content_panels = [
        TitleFieldPanel(
            "title",
            heading="Headline",
            help_text=f"At most {HEADLINE_MAX_LENGTH} characters; put the detail in the dek.",
        ),
        FieldPanel("dek"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_alt_text"),
                FieldPanel("hero_caption"),
                FieldPanel("hero_credit"),
            ],
            heading="Hero image",
        ),
        FieldPanel("body"),
        InlinePanel("article_authors", label="Authors", min_num=1),
        MultiFieldPanel(
            [FieldPanel("article_type"), FieldPanel("tags"), FieldPanel("editors_note")],
            heading="Labels",
        ),
        InlinePanel("corrections", label="Corrections and updates"),
    ]
    promote_panels = [
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "seo_title",
                    help_text="The headline search engines and shared links show. "
                    "Empty: the headline.",
                ),
                FieldPanel(
                    "search_description",
                    help_text="The summary search engines and shared links show. Empty: the dek.",
                ),
                FieldPanel("social_image"),
            ],
            heading="Search engines and sharing",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("dek"),
        index.SearchField("body"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []
    # Translations keep the original's address (/fr/<section>/<slug>/) and editor's note choice
    # (shown in the reader's language when the note has a translation).
    override_translatable_fields = [
        SynchronizedField("slug", overridable=False),
        SynchronizedField("editors_note", overridable=False),
        SynchronizedField("social_image"),
    ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if len(self.title) > HEADLINE_MAX_LENGTH:
            errors["title"] = (
                f"Headlines can be at most {HEADLINE_MAX_LENGTH} characters "
                f"(this one has {len(self.title)}). Move the detail into the dek."
            )
        if self.hero_image and not self.hero_alt:
            errors["hero_alt_text"] = (
                "Add alt text for the hero image (here or as the image's description)."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def headline(self) -> str:
        return self.title

    @property
    def share_title(self) -> str:
        """The title search engines, feeds and shared links show (the editor's SEO title)."""
        return self.seo_title or self.title

    @property
    def summary(self) -> str:
        """One or two sentences about the story: the editor's search description, or the dek."""
        return self.search_description or self.dek

    @property
    def share_image(self):
        """The picture for shared links and structured data: the social image, else the hero."""
        return self.social_image or self.hero_image

    def body_text(self) -> str:
        """The body as plain text, one block per line (for search, feeds and related stories)."""
        return "\n".join(filter(None, (block_text(block) for block in self.body)))

    def plain_text(self) -> str:
        """Headline, dek and body as plain text."""
        return "\n".join(filter(None, [self.title, self.dek, self.body_text()]))

    @property
    def hero_alt(self) -> str:
        if self.hero_alt_text:
            return self.hero_alt_text
        return self.hero_image.description if self.hero_image else ""

    @cached_property
    def section(self) -> SectionPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @cached_property
    def authors(self) -> list[Author]:
        bylines = self.article_authors.all()
        if not getattr(self, "_prefetched_objects_cache", {}).get("article_authors"):
            bylines = bylines.select_related("author")
        return [byline.author for byline in bylines if byline.author_id]

    @property
    def updated_at(self):
        """When the story last changed in a way readers should know about, if it did."""
        if self.corrections_log:
            return self.corrections_log[-1].made_at
        first, last = self.first_published_at, self.last_published_at
        if first and last and last - first > timedelta(hours=1):
            return last
        return None

    @property
    def modified_at(self):
        """When the story last changed at all (for feeds and search engines): its last
        publication or latest correction, whichever is later, never before it first appeared."""
        moments = [self.first_published_at, self.last_published_at, self.updated_at]
        return max(filter(None, moments), default=None)

    @cached_property
    def corrections_log(self) -> list[ArticleCorrection]:
        return sorted(self.corrections.all(), key=lambda correction: correction.made_at)

    def get_editors_note(self, request: HttpRequest) -> EditorsNote | None:
        if self.editors_note_id:
            return self.editors_note
        return NewsroomSettings.for_request(request).default_editors_note

    def reader_editors_note(self, request: HttpRequest) -> EditorsNote | None:
        """The article's editor's note (else the newsroom's default) in the reader's language
        where it has a translation: `get_editors_note` and `in_reader_language` in one query."""
        note_id = (
            self.editors_note_id or NewsroomSettings.for_request(request).default_editors_note_id
        )
        if not note_id:
            return None
        locale = active_locale()
        chosen_key = EditorsNote.objects.filter(pk=note_id).values("translation_key")[:1]
        notes = EditorsNote.objects.filter(
            Q(pk=note_id) | Q(translation_key=Subquery(chosen_key), locale_id=locale.pk)
        )
        # The reader's language first, else the chosen note itself.
        return min(notes, key=lambda note: note.locale_id != locale.pk, default=None)

    @cached_property
    def bylines(self) -> list[Author]:
        """The authors in byline order, each in the article's language where it has a copy
        (translated role and bio), in one query for them all rather than one per author."""
        authors = self.authors
        keys = {author.translation_key for author in authors if author.locale_id != self.locale_id}
        if not keys:
            return authors
        copies = {
            copy.translation_key: copy
            for copy in Author.objects.filter(translation_key__in=keys, locale_id=self.locale_id)
        }
        return [copies.get(author.translation_key, author) for author in authors]

    def more_articles(self, count: int = MORE_ARTICLES_COUNT) -> list[ArticlePage]:
        """The most related live articles in this one's language (worked out in the background
        when articles are published), then the newest; never this one."""
        from masthead.related.picks import more_articles

        return more_articles(self, count)

    def prefetch_for_reading(self) -> None:
        """Load what the article page shows in a fixed number of queries, however many authors,
        tags, corrections and pictures it has: the bylines, tags and corrections; the hero, the
        social image and the authors' photos in one query; then the renditions of every
        picture on the page (those and the body's) in one more."""
        prefetch_related_objects(
            [self],
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            ),
            "tags",
        )
        self.corrections_log  # noqa: B018 - loads the corrections once for every reader
        # What else reads the byline (share cards, structured data) gets it in this language.
        self.authors = self.bylines
        image_ids = {self.hero_image_id, self.social_image_id}
        image_ids |= {author.photo_id for author in self.bylines}
        from wagtail.images import get_image_model

        images = get_image_model().objects.in_bulk(filter(None, image_ids))
        if self.hero_image_id:
            self.hero_image = images.get(self.hero_image_id)
        if self.social_image_id:
            self.social_image = images.get(self.social_image_id)
        for author in self.bylines:
            if author.photo_id:
                author.photo = images.get(author.photo_id)
        self._pictures = [*images.values(), *body_images(self.body)]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        # A preview shows the editor's unsaved bylines, tags and corrections, not the stored.
        reading = bool(self.pk) and not getattr(request, "is_preview", False)
        if reading:
            self.prefetch_for_reading()
        context = super().get_context(request, *args, **kwargs)
        context["editors_note"] = self.reader_editors_note(request)
        context["more_articles"] = self.more_articles()
        context["bylines"] = self.bylines
        if reading:
            cards = [article.hero_image for article in context["more_articles"]]
            prefetch_renditions([*self._pictures, *cards])
        return context


def in_private_section() -> Exists:
    """Whether a page lies in a private section (at or under a page with a view restriction),
    as SQL: `.exclude(in_private_section())` is Wagtail's `.public()` without the extra query
    `.public()` makes for the list of restrictions."""
    from wagtail.models import PageViewRestriction

    # Driven from the (few) restricted pages: joining the restrictions from the page side
    # makes SQLite and PostgreSQL walk the whole page table on a large site.
    restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
    return Exists(restricted.filter(path=Substr(OuterRef("path"), 1, Length("path"))))


def body_images(body) -> list:
    """The images of an article body's figures (loaded together, in one query)."""
    return [
        block.value["image"]
        for block in body
        if block.block_type == "image" and block.value.get("image") is not None
    ]


def prefetch_renditions(images) -> None:
    """Fetch the existing renditions of all these images in one query, so that showing them (in
    any size or format) costs no further query; renditions not made yet are made as usual."""
    prefetch_related_objects([image for image in images if image is not None], "renditions")


BLOCK_BREAK = re.compile(r"</(?:p|li|h\d)>|<br\s*/?>", re.IGNORECASE)


def rich_text_as_plain(markup: str) -> str:
    """Rich text (a paragraph block, a bio) as one line of plain text, its paragraphs and list
    items separated by spaces."""
    words = strip_tags(BLOCK_BREAK.sub(" ", markup or ""))
    return " ".join(html.unescape(words).split())


def block_text(block) -> str:
    """The words a reader sees in one body block, without markup (images and embeds: their
    captions)."""
    value = block.value
    if block.block_type == "paragraph":
        return rich_text_as_plain(value.source)
    if block.block_type in ("heading",):
        return value["text"]
    if block.block_type == "quote":
        return " ".join(filter(None, [value["text"], value["attribution"]]))
    if block.block_type == "pull_quote":
        return str(value)
    if block.block_type in ("image", "embed"):
        return value.get("caption") or ""
    return ""


def tagged_articles(tag_slug: str, locale: Locale | None = None) -> ArticlePageQuerySet:
    """Published articles with this tag, in `locale` (default: the reader's language)."""
    locale = locale or active_locale()
    return (
        ArticlePage.objects.live()
        .exclude(in_private_section())
        .filter(locale=locale, pk__in=_tagged(tag_slug))
        .for_listing()
        .newest()
    )


def tagged_ids(tag_slug: str, locale: Locale | None = None) -> QuerySet:
    """The ids of `tagged_articles(tag_slug, locale)`, in order (for `paginate`)."""
    locale = locale or active_locale()
    return listed_ids(Page.objects.filter(locale=locale, pk__in=_tagged(tag_slug)))


def _tagged(tag_slug: str) -> QuerySet:
    return ArticleTag.objects.filter(tag__slug=tag_slug).values("content_object_id")
