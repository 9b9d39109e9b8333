"""Importing a WordPress export: authors, sections, tags, posts, pages, images and old links.

`import_wordpress(options)` reads the export twice, streaming (`wxr.read_wxr`): a first pass
learns the site, counts the posts and pages (for the progress bar) and collects the
attachments (so that a featured image named before its file still resolves); the second
imports, in file order:

- `wp:author` → `Author` (display name, slug from the login, bio where the export has one;
  the e-mail address is kept in the `ImportedItem`, never published). An existing author with
  the same slug is used rather than copied.
- top-level categories → `SectionPage` under the home page (an existing section with the same
  slug is used); subcategories and a post's other categories → tags, its section being its
  primary category's top-level ancestor (Yoast's primary category where the export names it).
  `wp:tag` → tags.
- posts → `ArticlePage` (title, excerpt as dek, body as blocks, featured image as hero,
  bylines from the author and Co-Authors Plus co-authors, tags, original dates); published
  stays published, drafts, pending, private and scheduled posts become drafts, trash and
  auto-drafts are skipped. Pages → `StandardPage`, nested as they were.
- redirects from every old address (see `redirects`).

Posts are written in batches straight into the page tables (`newsroom.bulk_pages`), each batch
in one transaction; if a batch fails, its posts are written one by one, so that one bad post
fails alone and no post is ever half-written. Importing again is keyed on the site and the
WordPress ids (`ImportedItem`): an unchanged item is passed over, a changed one updated in
place, unless an editor has edited (or deleted) it in Masthead since, which the import
respects. A dry run does all of it inside a transaction that is rolled back, so it prints the
report a real run would.

Imported pages are not translated on the way in (run `manage.py translate_archive` for that);
their search entries are written as they go; "More Articles" lists are recomputed in the
background afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Max
from django.urls import get_resolver, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Page, PageLogEntry, PageViewRestriction

from masthead.newsroom.bulk_pages import fix_numchild, insert_pages
from masthead.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    HomePage,
    SectionPage,
    StandardPage,
    children_of,
)
from masthead.wordpress.bodies import convert_body, plain_text
from masthead.wordpress.media import Attachment, MediaLibrary
from masthead.wordpress.models import ImportedItem
from masthead.wordpress.redirects import RedirectWriter, query_path
from masthead.wordpress.report import Report
from masthead.wordpress.wxr import (
    Channel,
    WxrAuthor,
    WxrError,
    WxrItem,
    WxrTerm,
    parse_wp_date,
    read_wxr,
)

# Part of every item's fingerprint: raise it when conversion changes, so that the next import
# updates what it made before.
CONVERSION_VERSION = "1"
BATCH_SIZE = 250
TITLE_MAX = 255
DEK_MAX = 400
CAPTION_MAX = 300
UNCATEGORIZED = "uncategorized"

LIVE = "publish"
BECOME_DRAFTS = {
    "draft": "",
    "pending": "",
    "private": "private in WordPress: imported as a draft",
    "future": "scheduled in WordPress: imported as a draft (schedule it again in Masthead)",
}
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an empty draft WordPress saved on its own",
}


@dataclass
class ImportOptions:
    path: Path
    media_dir: Path | None = None
    fetch_media: bool = False
    dry_run: bool = False
    language: str = ""  # a language code; "" = the site's default language
    batch_size: int = BATCH_SIZE


class RolledBack(Exception):
    """Ends a dry run's transaction."""


def import_wordpress(
    options: ImportOptions, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Import the export `options.path` (see the module's docstring); `progress(done, total)`
    is called as posts and pages are done. Raises WxrError when the file cannot be read at
    all (nothing is written then)."""
    return WordPressImport(options, progress).run()


@dataclass
class Planned:
    """A new post or page, ready to be written."""

    item: WxrItem
    model: type[Page]
    page: Page
    fields: dict
    author_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    fingerprint: str = ""
    missing_media: int = 0
    record: ImportedItem | None = None
    password: str = ""


class WordPressImport:
    def __init__(
        self, options: ImportOptions, progress: Callable[[int, int], None] | None = None
    ) -> None:
        self.options = options
        self.progress = progress or (lambda done, total: None)
        self.report = Report(dry_run=options.dry_run)
        self.redirects = RedirectWriter()
        self.tz = timezone.get_default_timezone()
        self.site = ""
        self.media: MediaLibrary | None = None
        self.total = 0
        self.done = 0
        self.authors: dict[str, Author] = {}  # by login
        self.author_ids: dict[str, int] = {}  # WordPress author id (as text) → login
        self.categories: dict[str, WxrTerm] = {}  # by slug
        self.category_ids: dict[str, str] = {}  # term id (as text) → slug
        self.sections: dict[str, SectionPage] = {}  # by top-level category slug
        self.tags: dict[str, int] = {}  # Tag ids by name
        self.sibling_slugs: dict[int, set[str]] = {}
        self.waiting_terms: list[WxrTerm] = []
        self.waiting_authors: list[WxrAuthor] = []
        self.waiting_pages: list[WxrItem] = []
        self.posts: list[WxrItem] = []
        self.attachments: list[Attachment] = []
        self.seen_ids: set[tuple[str, int]] = set()
        self.languages: set[str] = set()  # Polylang/WPML languages the items name
        self.content_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (ArticlePage, StandardPage, SectionPage, Author, Tag)
        }

    # --- The run -------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.perf_counter()
        self.locale = self.target_locale()
        with translation.override(self.locale.language_code):
            self.home = self.home_page()
            self.scan()
            if self.options.dry_run:
                try:
                    with transaction.atomic():
                        self.import_everything()
                        raise RolledBack
                except RolledBack:
                    pass
            else:
                self.import_everything()
                self.after_import()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def target_locale(self) -> Locale:
        if not self.options.language:
            return Locale.get_default()
        locale = Locale.objects.filter(language_code=self.options.language).first()
        if locale is None:
            codes = ", ".join(Locale.objects.values_list("language_code", flat=True))
            raise WxrError(f'Masthead has no language "{self.options.language}" (it has: {codes}).')
        return locale

    def home_page(self) -> HomePage:
        home = HomePage.objects.filter(locale=self.locale).order_by("depth", "path").first()
        if home is None:
            raise WxrError(
                f"There is no home page in {self.locale.get_display_name()} to import under: "
                "create the newsroom first (./run makes the demo one)."
            )
        return home

    def scan(self) -> None:
        """The first pass: the site, the number of posts and pages, the attachments."""
        try:
            for thing in read_wxr(self.options.path):
                if isinstance(thing, Channel):
                    self.start(thing)
                elif isinstance(thing, WxrItem):
                    if thing.post_type == "attachment":
                        attachment = attachment_of(thing)
                        self.media.add_attachment(attachment)
                        self.attachments.append(attachment)
                    elif thing.post_type in ("post", "page"):
                        self.total += 1
        except WxrError as error:
            if self.media is None:
                raise
            self.report.file_error = str(error)

    def start(self, channel: Channel) -> None:
        self.site = (channel.base_blog_url or channel.link or channel.base_site_url).rstrip("/")
        self.report.site = self.site
        self.report.wxr_version = channel.wxr_version
        self.media = MediaLibrary(
            site=self.site,
            media_dir=self.options.media_dir,
            fetch=self.options.fetch_media,
            dry_run=self.options.dry_run,
        )

    def import_everything(self) -> None:
        try:
            for thing in read_wxr(self.options.path):
                if isinstance(thing, WxrAuthor):
                    self.waiting_authors.append(thing)
                elif isinstance(thing, WxrTerm):
                    self.waiting_terms.append(thing)
                elif isinstance(thing, WxrItem):
                    self.take_item(thing)
        except WxrError:
            pass  # the first pass recorded it; what came before is imported
        self.settle_taxonomy()
        self.import_posts()
        self.import_pages()
        self.attachment_redirects()
        self.redirects.flush(self.page_paths)
        self.report.count("redirects", "created", self.redirects.created)
        self.report.count("redirects", "unchanged", self.redirects.unchanged)
        for path in self.redirects.conflicts:
            self.report.note(
                f"old address {path}", "already redirects elsewhere: that redirect was kept"
            )
        self.report.count("images", "created", self.media.imported)
        self.report.count("images", "unchanged", self.media.reused)
        self.report.count("images", "skipped", len(self.media.missing))
        if self.languages:
            self.report.follow_ups.append(
                "This export names languages ("
                + ", ".join(sorted(self.languages))
                + "; Polylang or WPML): everything was imported in "
                + f"{self.locale.get_display_name()}. Move or link the translations by hand."
            )
        self.report.missing_media = [
            (missing.url, missing.reason, list(missing.used_by), missing.also_used_by)
            for missing in self.media.missing.values()
        ]

    def take_item(self, item: WxrItem) -> None:
        self.settle_taxonomy()
        if item.post_type == "attachment":
            return
        if item.post_type not in ("post", "page"):
            self.report.skipped_types[item.post_type] += 1
            return
        kind = "posts" if item.post_type == "post" else "pages"
        self.languages |= {term.slug for term in item.terms if term.domain == "language"}
        if item.status in SKIPPED_STATUSES:
            if not self.unpublish_trashed(item, kind):
                self.report.skip(kind, item.describe(), SKIPPED_STATUSES[item.status])
            self.tick()
        elif item.status != LIVE and item.status not in BECOME_DRAFTS:
            self.report.skip(kind, item.describe(), f'its status "{item.status}" is unknown')
            self.tick()
        elif (item.post_type, item.wp_id) in self.seen_ids:
            self.report.fail(
                kind,
                item.describe(),
                f"the export has {item.post_type} id {item.wp_id} twice (line {item.line}): "
                "this second one was left out",
            )
            self.tick()
        elif item.post_type == "page":
            self.seen_ids.add((item.post_type, item.wp_id))
            self.waiting_pages.append(item)
        else:
            self.seen_ids.add((item.post_type, item.wp_id))
            self.posts.append(item)
            if len(self.posts) >= self.options.batch_size:
                self.import_posts()

    def unpublish_trashed(self, item: WxrItem, kind: str) -> bool:
        """A post imported before and trashed in WordPress since is unpublished here too,
        unless an editor has worked on it in Masthead. True if it was."""
        record_kind = ImportedItem.POST if item.post_type == "post" else ImportedItem.PAGE
        record = self.records(record_kind, [str(item.wp_id)]).get(str(item.wp_id))
        page = self.target(record, Page)
        if page is None or not page.live:
            return False
        if self.edited_in_masthead({record.key: record}, {page.pk: page}):
            return False
        with transaction.atomic():
            page.specific.unpublish(log_action=None)
            record.fingerprint = item_fingerprint(item)
            record.save(update_fields=["fingerprint", "last_imported_at"])
        self.report.count(kind, "updated")
        self.report.note(item.describe(), "in WordPress's trash now: unpublished")
        return True

    def tick(self) -> None:
        self.done += 1
        self.progress(self.done, self.total)

    def after_import(self) -> None:
        from masthead.pagecache.store import page_store
        from masthead.related.tasks import rebuild_related

        page_store().clear()
        if self.report.counts["posts"]["created"] or self.report.counts["posts"]["updated"]:
            rebuild_related.enqueue(self.locale.language_code)
            self.report.follow_ups.append(
                '"More Articles" under each story is being recomputed in the background.'
            )

    # --- Authors -------------------------------------------------------------------------

    def settle_taxonomy(self) -> None:
        """Import the authors and terms read so far (the export lists them before its items)."""
        if self.waiting_authors:
            authors, self.waiting_authors = self.waiting_authors, []
            self.import_authors(authors)
        if self.waiting_terms:
            terms, self.waiting_terms = self.waiting_terms, []
            self.import_terms(terms)
        with transaction.atomic():
            self.redirects.flush(self.page_paths)

    def import_authors(self, authors: list[WxrAuthor]) -> None:
        records = self.records(ImportedItem.AUTHOR, [author.login for author in authors])
        for author in authors:
            if author.wp_id is not None:
                self.author_ids[str(author.wp_id)] = author.login
            try:
                with transaction.atomic():
                    self.import_author(author, records.get(author.login))
            except Exception as error:  # reported, and the run goes on
                self.report.fail("authors", f'author "{author.login}"', describe_error(error))

    def import_author(self, author: WxrAuthor, record: ImportedItem | None) -> Author:
        name = (
            plain_text(author.display_name)
            or plain_text(f"{author.first_name} {author.last_name}")
            or author.login
        )[:120]
        bio = bio_html(author.bio)
        fingerprint = fingerprint_of(name, author.bio, author.email)
        private = {"login": author.login, "email": author.email, "imported": [name, bio]}
        existing = self.target(record, Author)
        if existing is not None:
            if record.fingerprint != fingerprint:
                # Only what nobody changed in Masthead since the last import is updated.
                before_name, before_bio = record.private.get("imported", [None, None])
                if existing.name == before_name:
                    existing.name = name
                if existing.bio == before_bio:
                    existing.bio = bio
                existing.save()
                self.remember(record, ImportedItem.AUTHOR, author.login, existing, fingerprint)
                record.private = private
                record.save(update_fields=["private"])
                self.report.count("authors", "updated")
            else:
                self.report.count("authors", "unchanged")
            self.authors[author.login] = existing
            self.author_redirects(author.login, author.wp_id, existing)
            return existing
        slug = slug_of(author.login, fallback=f"author-{author.wp_id or len(self.authors) + 1}")
        matched = Author.objects.filter(locale=self.locale, slug=slug[:80]).first()
        if matched is not None:
            self.report.note(
                f'author "{author.login}"', f"matched the existing author {matched.name}"
            )
            self.report.count("authors", "unchanged")
            found = matched
        else:
            found = Author(
                name=name,
                slug=slug[:80],
                bio=bio,
                locale=self.locale,
                translation_key=uuid.uuid4(),
            )
            found.save()
            self.report.count("authors", "created")
        record = self.remember(record, ImportedItem.AUTHOR, author.login, found, fingerprint)
        record.private = private
        record.save(update_fields=["private"])
        self.authors[author.login] = found
        self.author_redirects(author.login, author.wp_id, found)
        return found

    def author_redirects(self, login: str, wp_id: int | None, author: Author) -> None:
        link = author.get_absolute_url()
        self.redirects.add(f"/author/{quote(slug_of(login, fallback=login))}/", link=link)
        if wp_id is not None:
            self.redirects.add(query_path("author", wp_id), link=link)

    def author_for(self, login: str, name: str = "") -> Author:
        """The author with this login; one the export's author list lacks (a guest author)
        is made from the name the post gives."""
        login = login.strip()
        if login.startswith("cap-") and login not in self.authors:
            login = login.removeprefix("cap-")
        author = self.authors.get(login)
        if author is None:
            author = self.import_author(
                WxrAuthor(
                    login=login,
                    wp_id=None,
                    email="",
                    display_name=name or login,
                    first_name="",
                    last_name="",
                    bio="",
                ),
                self.records(ImportedItem.AUTHOR, [login]).get(login),
            )
        return author

    # --- Sections and tags ---------------------------------------------------------------

    def import_terms(self, terms: list[WxrTerm]) -> None:
        for term in terms:
            if term.kind == "category":
                self.categories[term.slug] = term
                if term.wp_id is not None:
                    self.category_ids[str(term.wp_id)] = term.slug
        records = self.records(ImportedItem.CATEGORY, [term.slug for term in terms])
        tag_records = self.records(ImportedItem.TAG, [term.slug for term in terms])
        # Top-level categories first, so that a subcategory's section exists.
        ordered = sorted(terms, key=lambda term: bool(term.parent_slug))
        for term in ordered:
            label = f'{term.kind} "{term.slug}"'
            try:
                with transaction.atomic():
                    if term.kind == "category":
                        self.import_category(term, records.get(term.slug))
                    elif term.kind == "tag":
                        tag_id = self.tag_id(term.name or term.slug)
                        self.remember_tag(ImportedItem.TAG, term, tag_id, tag_records)
                        self.tag_redirects(term, tag_id, "tag")
                    else:
                        self.report.skipped_types[f"{term.kind} term"] += 1
            except Exception as error:  # reported, and the run goes on
                kind = "sections" if term.kind == "category" else "tags"
                self.report.fail(kind, label, describe_error(error))

    def import_category(self, term: WxrTerm, record: ImportedItem | None) -> None:
        top = self.top_category(term.slug)
        if top != term.slug:
            # A subcategory: a tag on its posts, which go to the top-level category's section.
            tag_id = self.tag_id(term.name or term.slug)
            self.remember_tag(ImportedItem.CATEGORY, term, tag_id, {term.slug: record})
            self.tag_redirects(term, tag_id, "category")
            return
        section = self.section_for(term, record)
        for path in self.category_paths(term.slug):
            self.redirects.add(path, page_id=section.pk)
        if term.wp_id is not None:
            self.redirects.add(query_path("cat", term.wp_id), page_id=section.pk)

    def section_for(self, term: WxrTerm, record: ImportedItem | None) -> SectionPage:
        fingerprint = fingerprint_of(term.name, term.description)
        section = self.target(record, SectionPage)
        if section is not None:
            self.report.count("sections", "unchanged")
        else:
            slug = slug_of(term.slug, fallback=f"category-{term.wp_id}")
            section = (
                SectionPage.objects.filter(children_of(self.home), slug=slug).first()
                if record is None
                else None
            )
            if section is not None:
                self.report.count("sections", "unchanged")
            else:
                title = plain_text(term.name) or slug
                slug = self.unique_slug(self.home, slug, f'category "{term.slug}"')
                page = self.new_page(SectionPage, title, slug, self.home, live=True)
                insert_pages(
                    [page], SectionPage, lambda _: {"intro": plain_text(term.description)[:300]}
                )
                fix_numchild({self.home.path})
                section = SectionPage.objects.get(pk=page.pk)
                self.report.count("sections", "created")
            self.remember(record, ImportedItem.CATEGORY, term.slug, section, fingerprint)
        self.sections[term.slug] = section
        return section

    def top_category(self, slug: str) -> str:
        seen = set()
        while slug in self.categories and self.categories[slug].parent_slug and slug not in seen:
            seen.add(slug)
            parent = self.categories[slug].parent_slug
            if parent not in self.categories:
                break
            slug = parent
        return slug

    def category_paths(self, slug: str) -> list[str]:
        """/category/x/ and, for a subcategory, /category/parent/x/ as WordPress links it."""
        chain = [slug]
        while chain[0] in self.categories and self.categories[chain[0]].parent_slug:
            parent = self.categories[chain[0]].parent_slug
            if parent in chain or len(chain) > 10:
                break
            chain.insert(0, parent)
        paths = [f"/category/{quote(slug)}/"]
        if len(chain) > 1:
            paths.append("/category/" + "/".join(quote(part) for part in chain) + "/")
        return paths

    def tag_id(self, name: str) -> int:
        name = plain_text(name)[:100] or "untitled"
        if name not in self.tags:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name)
                self.report.count("tags", "created")
            self.tags[name] = tag.pk
        return self.tags[name]

    def remember_tag(self, kind: str, term: WxrTerm, tag_id: int, records: dict) -> None:
        record = records.get(term.slug)
        if record is not None and record.object_id == tag_id:
            self.report.count("tags", "unchanged")
            return
        tag = Tag(pk=tag_id)
        self.remember(record, kind, term.slug, tag, fingerprint_of(term.name))

    def tag_redirects(self, term: WxrTerm, tag_id: int, kind: str) -> None:
        slug = Tag.objects.filter(pk=tag_id).values_list("slug", flat=True).first()
        link = reverse("newsroom:tag", kwargs={"slug": slug})
        if kind == "tag":
            self.redirects.add(f"/tag/{quote(term.slug)}/", link=link)
            self.redirects.add(query_path("tag", term.slug), link=link)
        else:
            for path in self.category_paths(term.slug):
                self.redirects.add(path, link=link)
            if term.wp_id is not None:
                self.redirects.add(query_path("cat", term.wp_id), link=link)

    def section_of(self, item: WxrItem) -> tuple[SectionPage, list[str]]:
        """The post's section and the names of its other categories (which become tags)."""
        categories = [term for term in item.terms if term.domain == "category"]
        primary_id = item.meta.get("_yoast_wpseo_primary_category", "").strip()
        primary = self.category_ids.get(primary_id)
        slugs = [term.slug for term in categories]
        chosen = primary if primary in slugs else (slugs[0] if slugs else UNCATEGORIZED)
        for term in categories:
            if term.slug not in self.categories:
                # A category the export's list lacks: a top-level one, named as the post says.
                self.categories[term.slug] = WxrTerm("category", None, term.slug, term.name, "", "")
                self.import_category(self.categories[term.slug], None)
        if chosen == UNCATEGORIZED and chosen not in self.categories:
            self.categories[chosen] = WxrTerm("category", None, chosen, "Uncategorized", "", "")
            records = self.records(ImportedItem.CATEGORY, [chosen])
            self.import_category(self.categories[chosen], records.get(chosen))
        top = self.top_category(chosen)
        if top not in self.sections:
            records = self.records(ImportedItem.CATEGORY, [top])
            self.section_for(self.categories[top], records.get(top))
        others = [term.name or term.slug for term in categories if term.slug != top]
        return self.sections[top], others

    # --- Posts ---------------------------------------------------------------------------

    def import_posts(self) -> None:
        items, self.posts = self.posts, []
        if not items:
            return
        records = self.records(ImportedItem.POST, [str(item.wp_id) for item in items])
        self.records_by_guid(ImportedItem.POST, items, records)
        existing = self.existing_pages(records.values())
        edited = self.edited_in_masthead(records, existing)
        planned = []
        for item in items:
            description = item.describe()
            record = records.get(str(item.wp_id))
            try:
                plan = self.plan_or_update(item, record, existing, edited, "posts", ArticlePage)
                if plan is not None:
                    planned.append(plan)
            except Exception as error:  # reported, and the run goes on
                self.report.fail("posts", description, describe_error(error))
            self.tick()
        self.write_new(planned, "posts")

    def import_pages(self) -> None:
        """WordPress pages, parents before their children."""
        pages, self.waiting_pages = self.waiting_pages, []
        by_id = {item.wp_id: item for item in pages}
        records = self.records(ImportedItem.PAGE, [str(item.wp_id) for item in pages])
        self.records_by_guid(ImportedItem.PAGE, pages, records)
        parent_records = self.records(
            ImportedItem.PAGE, [str(item.parent_id) for item in pages if item.parent_id]
        )

        def depth(item: WxrItem) -> int:
            level, parent, seen = 0, item.parent_id, set()
            while parent in by_id and parent not in seen:
                seen.add(parent)
                level += 1
                parent = by_id[parent].parent_id
            return level

        for level in sorted({depth(item) for item in pages}):
            generation = [item for item in pages if depth(item) == level]
            existing = self.existing_pages(records.values())
            edited = self.edited_in_masthead(records, existing)
            planned = []
            for item in generation:
                record = records.get(str(item.wp_id))
                try:
                    parent = self.parent_page(item, parent_records)
                    plan = self.plan_or_update(
                        item, record, existing, edited, "pages", StandardPage, parent
                    )
                    if plan is not None:
                        planned.append(plan)
                except Exception as error:  # reported, and the run goes on
                    self.report.fail("pages", item.describe(), describe_error(error))
                self.tick()
            self.write_new(planned, "pages")
            parent_records.update(
                self.records(ImportedItem.PAGE, [str(item.wp_id) for item in generation])
            )

    def parent_page(self, item: WxrItem, parent_records: dict) -> Page:
        record = parent_records.get(str(item.parent_id)) if item.parent_id else None
        parent = self.target(record, StandardPage) if record else None
        return parent or self.home

    def plan_or_update(
        self,
        item: WxrItem,
        record: ImportedItem | None,
        existing: dict[int, Page],
        edited: set[int],
        kind: str,
        model: type[Page],
        parent: Page | None = None,
    ) -> Planned | None:
        """Pass over an unchanged item, update a changed one, or plan a new one."""
        fingerprint = item_fingerprint(item)
        page = existing.get(record.object_id) if record and record.object_id else None
        if record is not None and record.object_id and page is None:
            self.report.skip(kind, item.describe(), "deleted in Masthead since it was imported")
            return None
        if page is not None:
            retry_media = record.missing_media and (
                self.options.media_dir or self.options.fetch_media
            )
            if record.fingerprint == fingerprint and not retry_media:
                self.report.count(kind, "unchanged")
                return None
            if page.pk in edited:
                self.report.skip(
                    kind, item.describe(), "edited in Masthead since it was imported: left as it is"
                )
                return None
            with transaction.atomic():
                updated = self.update(item, record, page.specific, model, parent, fingerprint)
            self.report.count(kind, "updated" if updated else "unchanged")
            return None
        return self.plan(item, record, model, parent, fingerprint)

    def content_of(self, item: WxrItem, model: type[Page]) -> dict:
        """The page's own fields, bylines and tags made from the item."""
        description = item.describe()
        body = convert_body(
            item.content,
            self.media.finder(description),
            footnotes=item.meta.get("footnotes", ""),
        )
        self.report.shortcodes(description, body.unknown_shortcodes)
        for what in body.dropped:
            self.report.dropped.append((description, what))
        excerpt = plain_text(item.excerpt)
        content = {"missing_media": len(body.missing_images)}
        if model is ArticlePage:
            hero = None
            attachment = None
            thumbnail = item.meta.get("_thumbnail_id", "").strip()
            if thumbnail.isdigit():
                attachment = self.media.attachment(int(thumbnail))
                hero = self.media.featured(int(thumbnail), description)
                if hero is None:
                    content["missing_media"] += 1
            content["fields"] = {
                "dek": shorten(excerpt, DEK_MAX),
                "article_type": ArticlePage.NEWS,
                "hero_image_id": hero.pk if hero is not None else None,
                "hero_alt_text": (attachment.alt if attachment and hero is not None else "")[
                    :CAPTION_MAX
                ],
                "hero_caption": shorten(attachment.caption, CAPTION_MAX)
                if attachment and hero is not None
                else "",
                "hero_credit": "",
                "body": body.blocks,
                "editors_note_id": None,
                "social_image_id": None,
            }
            logins = [(item.creator, "")] if item.creator.strip() else []
            logins += [(term.slug, term.name) for term in item.terms if term.domain == "author"]
            if not logins:
                logins = [("admin", "")]
            authors = []
            for login, name in logins:
                author = self.author_for(login, name)
                if author.pk not in authors:
                    authors.append(author.pk)
            content["author_ids"] = authors
            section, other_categories = self.section_of(item)
            content["parent"] = section
            names = other_categories + [
                term.name or term.slug for term in item.terms if term.domain == "post_tag"
            ]
            content["tag_ids"] = list(dict.fromkeys(self.tag_id(name) for name in names))
        else:
            content["fields"] = {"intro": shorten(excerpt, DEK_MAX), "body": body.blocks}
            content["author_ids"] = []
            content["tag_ids"] = []
        return content

    def plan(
        self,
        item: WxrItem,
        record: ImportedItem | None,
        model: type[Page],
        parent: Page | None,
        fingerprint: str,
    ) -> Planned:
        live, published, modified = self.status_and_dates(item)
        title = self.title_of(item)
        content = self.content_of(item, model)
        parent = content.get("parent", parent)
        slug = self.free_slug(parent, item)
        page = self.new_page(model, title, slug, parent, live=live)
        page.first_published_at = published if live else None
        page.last_published_at = max(filter(None, [published, modified])) if live else None
        return Planned(
            item=item,
            model=model,
            page=page,
            fields=content["fields"],
            author_ids=content["author_ids"],
            tag_ids=content["tag_ids"],
            fingerprint=fingerprint,
            missing_media=content["missing_media"],
            record=record,
            password=self.password_of(item),
        )

    def update(
        self,
        item: WxrItem,
        record: ImportedItem,
        page: Page,
        model: type[Page],
        parent: Page | None,
        fingerprint: str,
    ) -> bool:
        """Bring the page up to date with the item; False when only missing images were
        looked for again and none was found (then nothing is written)."""
        live, published, modified = self.status_and_dates(item)
        content = self.content_of(item, model)
        if record.fingerprint == fingerprint and content["missing_media"] >= record.missing_media:
            return False
        parent = content.get("parent", parent)
        if parent is not None and page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        page.title = page.draft_title = self.title_of(item)
        for name, value in content["fields"].items():
            setattr(page, name, value)
        page.live = live
        page.has_unpublished_changes = not live
        page.first_published_at = published if live else None
        page.last_published_at = max(filter(None, [published, modified])) if live else None
        page.save(clean=False)
        if model is ArticlePage:
            ArticleAuthor.objects.filter(page_id=page.pk).delete()
            ArticleTag.objects.filter(content_object_id=page.pk).delete()
            self.bylines_and_tags([(page.pk, content["author_ids"], content["tag_ids"])])
        PageViewRestriction.objects.filter(
            page_id=page.pk, restriction_type=PageViewRestriction.PASSWORD
        ).delete()
        if password := self.password_of(item):
            PageViewRestriction.objects.create(
                page_id=page.pk, restriction_type=PageViewRestriction.PASSWORD, password=password
            )
        record.fingerprint = fingerprint
        record.missing_media = content["missing_media"]
        record.guid = item.guid[:500]
        record.save()
        self.page_redirects(item, page.pk, live)
        self.index([page.pk] if live else [], removed=[] if live else [page.pk])
        return True

    def write_new(self, planned: list[Planned], kind: str) -> None:
        """Write the planned pages together; if that fails, one by one."""
        if not planned:
            return
        before = self.redirects.snapshot()
        try:
            with transaction.atomic():
                self.insert(planned)
        except Exception:  # retried one by one below, each failure reported
            self.redirects.restore(before)
            if len(planned) == 1:
                plan = planned[0]
                try:
                    with transaction.atomic():
                        self.insert([plan])
                except Exception as error:  # reported, and the run goes on
                    self.redirects.restore(before)
                    self.report.fail(kind, plan.item.describe(), describe_error(error))
                    return
            else:
                for plan in planned:
                    self.write_new([plan], kind)
                return
        self.report.count(kind, "created", len(planned))

    def insert(self, planned: list[Planned]) -> None:
        for model in (ArticlePage, StandardPage):
            mine = [plan for plan in planned if plan.model is model]
            fields = {id(plan.page): plan.fields for plan in mine}
            insert_pages(
                [plan.page for plan in mine], model, lambda page, fields=fields: fields[id(page)]
            )
        fix_numchild({plan.page.parent.path for plan in planned})
        self.bylines_and_tags(
            [(plan.page.pk, plan.author_ids, plan.tag_ids) for plan in planned if plan.author_ids]
        )
        PageViewRestriction.objects.bulk_create(
            [
                PageViewRestriction(
                    page_id=plan.page.pk,
                    restriction_type=PageViewRestriction.PASSWORD,
                    password=plan.password,
                )
                for plan in planned
                if plan.password
            ]
        )
        new_records = []
        for plan in planned:
            kind = ImportedItem.POST if plan.model is ArticlePage else ImportedItem.PAGE
            values = {
                "content_type": self.content_types[plan.model],
                "object_id": plan.page.pk,
                "fingerprint": plan.fingerprint,
                "guid": plan.item.guid[:500],
                "missing_media": plan.missing_media,
                "key": str(plan.item.wp_id),
            }
            if plan.record is None:
                new_records.append(ImportedItem(site=self.site, kind=kind, **values))
            else:
                # Known from an earlier import, but what it made is gone: made again.
                for name, value in values.items():
                    setattr(plan.record, name, value)
                plan.record.save()
            self.page_redirects(plan.item, plan.page.pk, plan.page.live)
        ImportedItem.objects.bulk_create(new_records)
        self.redirects.flush(self.page_paths)
        self.index(
            [plan.page.pk for plan in planned if plan.page.live and plan.model is ArticlePage]
        )

    def bylines_and_tags(self, rows: Iterable[tuple[int, list[int], list[int]]]) -> None:
        bylines, tags = [], []
        for page_id, author_ids, tag_ids in rows:
            bylines += [
                ArticleAuthor(page_id=page_id, author_id=author_id, sort_order=order)
                for order, author_id in enumerate(author_ids)
            ]
            tags += [ArticleTag(content_object_id=page_id, tag_id=tag_id) for tag_id in tag_ids]
        ArticleAuthor.objects.bulk_create(bylines)
        ArticleTag.objects.bulk_create(tags)

    def index(self, page_ids: list[int], removed: Iterable[int] = ()) -> None:
        from masthead.search.index import index_pages, remove_page

        for page_id in removed:
            remove_page(page_id)
        if page_ids:
            index_pages(ArticlePage.objects.filter(pk__in=page_ids).select_related("locale"))

    def page_redirects(self, item: WxrItem, page_id: int, live: bool) -> None:
        if not live:
            return
        self.redirects.add(item.link, page_id=page_id)
        self.redirects.add(query_path("p", item.wp_id), page_id=page_id)
        if item.post_type == "page":
            self.redirects.add(query_path("page_id", item.wp_id), page_id=page_id)

    def attachment_redirects(self) -> None:
        """Attachment pages go to the post they belong to; uploaded files' addresses to the
        imported image."""
        from wagtail.images import get_image_model

        pages = dict(
            ImportedItem.objects.filter(
                site=self.site, kind__in=[ImportedItem.POST, ImportedItem.PAGE]
            ).values_list("key", "object_id")
        )
        live = set(
            Page.objects.filter(pk__in=list(pages.values()), live=True).values_list("pk", flat=True)
        )
        images = dict(
            ImportedItem.objects.filter(site=self.site, kind=ImportedItem.ATTACHMENT).values_list(
                "key", "object_id"
            )
        )
        files = get_image_model().objects.in_bulk(list(images.values()))
        for attachment in self.attachments:
            page_id = pages.get(str(attachment.parent_id))
            image = self.media.image_this_run(attachment.wp_id) or files.get(
                images.get(str(attachment.wp_id))
            )
            if image is not None and image.pk is None:  # a dry run's: never written
                image = DryRunImage(attachment.wp_id)
            if page_id in live:
                self.redirects.add(attachment.link, page_id=page_id)
                self.redirects.add(query_path("attachment_id", attachment.wp_id), page_id=page_id)
            elif image is not None:
                self.redirects.add(attachment.link, link=image.file.url)
                self.redirects.add(
                    query_path("attachment_id", attachment.wp_id), link=image.file.url
                )
            if image is not None:
                self.redirects.add(attachment.url, link=image.file.url)

    # --- Pieces --------------------------------------------------------------------------

    def status_and_dates(self, item: WxrItem) -> tuple[bool, datetime | None, datetime | None]:
        live = item.status == LIVE
        if not live and BECOME_DRAFTS.get(item.status):
            self.report.note(item.describe(), BECOME_DRAFTS[item.status])
        published = self.date_of(item.post_date_gmt, item.post_date)
        if published is None and item.pub_date.strip():
            try:
                published = parsedate_to_datetime(item.pub_date)
            except (TypeError, ValueError):
                published = None
        modified = self.date_of(item.modified_gmt, item.modified)
        if live and published is None:
            raise WxrError("published, but the export gives no date it was published")
        if published and modified and modified < published:
            modified = published
        return live, published, modified

    def date_of(self, gmt: str, local: str) -> datetime | None:
        return parse_wp_date(gmt, UTC) or parse_wp_date(local, self.tz)

    def password_of(self, item: WxrItem) -> str:
        """A password-protected post stays behind its password (Wagtail asks for it); its
        content is never shown without it, in listings, feeds or search either."""
        if item.password:
            self.report.note(
                item.describe(),
                "password-protected in WordPress: readers need the same password in Masthead",
            )
        return item.password[:255]

    def title_of(self, item: WxrItem) -> str:
        title = plain_text(item.title)
        if not title:
            title = f"Untitled {item.post_type} {item.wp_id}"
            self.report.note(item.describe(), f'has no title: imported as "{title}"')
        if len(title) > TITLE_MAX:
            self.report.note(item.describe(), f"title cut to {TITLE_MAX} characters")
            title = title[: TITLE_MAX - 1] + "…"
        return title

    def free_slug(self, parent: Page, item: WxrItem) -> str:
        wanted = slug_of(item.slug, fallback="") or slug_of(
            plain_text(item.title), fallback=f"{item.post_type}-{item.wp_id}"
        )
        return self.unique_slug(parent, wanted[:200], item.describe())

    def unique_slug(self, parent: Page, wanted: str, description: str) -> str:
        """`wanted`, or `wanted-2`, `-3`... if a page under `parent` has it (or, right under
        the home page, if Masthead's own addresses use it)."""
        taken = self.taken_slugs(parent)
        slug, number = wanted, 1
        while slug in taken:
            number += 1
            slug = f"{wanted}-{number}"
        if slug != wanted:
            self.report.note(
                description,
                f'the address "{wanted}" is already taken in {parent.title}: imported as "{slug}"',
            )
        taken.add(slug)
        return slug

    def taken_slugs(self, parent: Page) -> set[str]:
        taken = self.sibling_slugs.get(parent.pk)
        if taken is None:
            taken = set(Page.objects.filter(children_of(parent)).values_list("slug", flat=True))
            if parent.pk == self.home.pk:
                taken |= reserved_addresses()
            self.sibling_slugs[parent.pk] = taken
        return taken

    def new_page(
        self, model: type[Page], title: str, slug: str, parent: Page, *, live: bool
    ) -> Page:
        now = timezone.now()
        page = Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_types[model],
            locale_id=self.locale.pk,
            translation_key=uuid.uuid4(),
            live=live,
            has_unpublished_changes=not live,
            first_published_at=now if live else None,
            last_published_at=now if live else None,
        )
        page.parent = parent
        self.taken_slugs(parent).add(slug)
        return page

    def page_paths(self, page_ids: Iterable[int]) -> dict[int, str]:
        """The addresses of these pages on the site (under the home page), without a query
        per page."""
        home_path = self.home.url_path
        prefix = (
            "" if self.locale.pk == Locale.get_default().pk else f"/{self.locale.language_code}"
        )
        return {
            pk: prefix + "/" + url_path.removeprefix(home_path)
            for pk, url_path in Page.objects.filter(pk__in=list(page_ids)).values_list(
                "pk", "url_path"
            )
            if url_path.startswith(home_path)
        }

    # --- Remembering what became of each item --------------------------------------------

    def records(self, kind: str, keys: list[str]) -> dict[str, ImportedItem]:
        return {
            record.key: record
            for record in ImportedItem.objects.filter(site=self.site, kind=kind, key__in=keys)
        }

    def records_by_guid(self, kind: str, items: list[WxrItem], records: dict) -> None:
        """Items whose id changed (an export of a copied site) are still known by GUID."""
        unknown = {
            item.guid: item for item in items if str(item.wp_id) not in records and item.guid
        }
        if not unknown:
            return
        claimed = {record.pk for record in records.values()}
        for record in ImportedItem.objects.filter(
            site=self.site, kind=kind, guid__in=list(unknown)
        ):
            if record.pk in claimed or record.guid not in unknown:
                continue  # already the record of another item of this export
            claimed.add(record.pk)
            item = unknown.pop(record.guid)
            record.key = str(item.wp_id)
            records[record.key] = record

    def edited_in_masthead(self, records: dict, pages: dict[int, Page]) -> set[int]:
        """The pages someone has worked on in Masthead since their last import: saved a
        revision, or did anything Wagtail logs (publishing, unpublishing, moving, privacy)."""
        edited = {pk for pk, page in pages.items() if page.latest_revision_id}
        imported_at = {
            record.object_id: record.last_imported_at
            for record in records.values()
            if record.object_id in pages
        }
        if imported_at:
            logged = (
                PageLogEntry.objects.filter(page_id__in=list(imported_at))
                .values("page_id")
                .annotate(last=Max("timestamp"))
                .order_by()
            )
            edited |= {
                row["page_id"] for row in logged if row["last"] > imported_at[row["page_id"]]
            }
        return edited

    def existing_pages(self, records: Iterable[ImportedItem]) -> dict[int, Page]:
        ids = [record.object_id for record in records if record.object_id]
        return Page.objects.in_bulk(ids) if ids else {}

    def target(self, record: ImportedItem | None, model: type) -> object | None:
        """What `record` made, if it is (still) a `model`."""
        if record is None or record.object_id is None:
            return None
        if model is not Page and record.content_type_id != self.content_type(model).pk:
            return None
        return model.objects.filter(pk=record.object_id).first()

    def content_type(self, model: type) -> ContentType:
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model)
        return self.content_types[model]

    def remember(
        self, record: ImportedItem | None, kind: str, key: str, target, fingerprint: str
    ) -> ImportedItem:
        """Record (or update the record) that the item `key` became `target`. (Posts and
        pages are recorded in bulk by `insert`.)"""
        values = {
            "content_type": self.content_type(type(target)),
            "object_id": target.pk,
            "fingerprint": fingerprint,
            "key": key,
        }
        if record is None:
            record = ImportedItem(site=self.site, kind=kind, **values)
        else:
            for name, value in values.items():
                setattr(record, name, value)
        record.save()
        return record


# --- Small pure functions --------------------------------------------------------------------


@dataclass
class DryRunImage:
    """Stands for an image a dry run would import, for the redirects it would get."""

    wp_id: int

    @property
    def file(self):
        return self

    @property
    def url(self) -> str:
        return f"/media/(dry run)/{self.wp_id}"


def reserved_addresses() -> set[str]:
    """The first parts of addresses that Masthead's own views and languages answer (search,
    admin, feeds, tips, /fr/...): a page right under the home page with one of these slugs
    could never be reached."""
    reserved = {code.lower() for code, _name in settings.LANGUAGES}

    def walk(patterns) -> None:
        for pattern in patterns:
            parts = str(pattern.pattern).lstrip("^").split("/")
            if not parts[0]:
                walk(getattr(pattern, "url_patterns", []))
            elif re.fullmatch(r"[\w.\-]+", parts[0]) and not (
                len(parts) > 2 and re.fullmatch(r"[\w.\-]+", parts[1])
            ):
                reserved.add(parts[0].lower())

    walk(get_resolver().url_patterns)
    return reserved


def attachment_of(item: WxrItem) -> Attachment:
    return Attachment(
        wp_id=item.wp_id,
        url=item.attachment_url or item.guid,
        title=plain_text(item.title),
        alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
        caption=plain_text(item.excerpt),
        description=plain_text(item.content),
        parent_id=item.parent_id,
        link=item.link,
    )


def item_fingerprint(item: WxrItem) -> str:
    return fingerprint_of(
        CONVERSION_VERSION,
        item.post_type,
        item.status,
        item.title,
        item.slug,
        item.content,
        item.excerpt,
        item.post_date,
        item.post_date_gmt,
        item.modified,
        item.modified_gmt,
        item.creator,
        item.parent_id,
        [(term.domain, term.slug, term.name) for term in item.terms],
        item.meta.get("_thumbnail_id", ""),
        item.meta.get("_yoast_wpseo_primary_category", ""),
        item.password,
    )


def fingerprint_of(*values) -> str:
    data = json.dumps(values, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(data).hexdigest()


def slug_of(raw: str, *, fallback: str) -> str:
    """A Masthead slug from a WordPress one (which percent-encodes other alphabets)."""
    return slugify(unquote(raw or ""), allow_unicode=True)[:200] or fallback


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def bio_html(bio: str) -> str:
    text = plain_text(bio)
    return f"<p>{escape(text)}</p>" if text else ""


def describe_error(error: Exception) -> str:
    if isinstance(error, (WxrError, ObjectDoesNotExist)):
        return str(error)
    return f"{type(error).__name__}: {error}"
