"""`manage.py load_bench_data`: tens of thousands of generated articles, for load and scale tests.

The rows are written in bulk, the way no editor ever would: pages straight into Wagtail's tables
with their tree paths, addresses and publication dates worked out here, bylines, tags and
translations alongside, all in one transaction. 50,000 articles take a minute or two instead of
the hours that saving and publishing them one by one would.

What it makes, on top of the newsroom that exists (run `load_demo` first on an empty site):

- sections: the home page's own sections, and generated ones (slugs "bench-…") to make up
  `--sections`, with copies in every language the home page is translated into;
- authors (slugs "bench-…"; the newsroom's own authors write the most, then these), and
  tags (slugs "bench-…") used with a long tail;
- articles (slugs "bench-<number>-…"), live, first published over the last five years, with
  one or two authors and up to four tags; `--translated-share` of them also have a published
  copy in one or two other languages (same translation key, under the section's copy there,
  with wagtail-localize's source and a machine-translation record, like the translation
  pipeline's output);
- no revisions: readers' pages only need the live rows.

Not done, because it takes long at this size: the search index (`manage.py search_reindex`)
and the related articles under each story (`manage.py related_rebuild`). Pages render without
them ("More Articles" falls back to the newest stories).

Running it again is refused while generated content exists; `--replace` deletes the previous
generated content first (pages, authors, tags, translation rows) and loads afresh. The same
`--seed` and options give the same content.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    TranslatableObject,
    Translation,
    TranslationSource,
    get_schema_version,
)

from masthead.newsroom.bulk_pages import BATCH, batched, fix_numchild, insert_pages
from masthead.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    HomePage,
    SectionPage,
)
from masthead.pagecache.store import page_store
from masthead.translation.models import TranslationRecord

PREFIX = "bench-"
YEARS = 5

SECTION_NAMES = [
    "Climate",
    "Health",
    "Justice",
    "Economy",
    "Education",
    "Cities",
    "Science",
    "Culture",
    "Labour",
    "Technology",
    "World",
    "Housing",
]
FIRST_NAMES = [
    "Ana", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustavo", "Hana", "Ilse", "Jonas",
    "Kofi", "Lucía", "Mateo", "Nadia", "Oren", "Priya", "Quentin", "Rosa", "Samir", "Tove",
    "Uma", "Víctor", "Wen", "Ximena", "Yusuf", "Zofia",
]  # fmt: skip
LAST_NAMES = [
    "Abara", "Bergström", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gallo", "Haddad",
    "Ibarra", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Pereira",
    "Quiroga", "Rinaldi", "Sato", "Tremblay", "Urquhart", "Varga", "Whitfield", "Yilmaz",
]  # fmt: skip
ROLES = ["Reporter", "Senior reporter", "Data reporter", "Editor", "Correspondent", "Columnist"]
SUBJECTS = [
    "water board", "housing agency", "provincial auditor", "port authority", "school district",
    "mining regulator", "city council", "health ministry", "transit agency", "police watchdog",
    "energy utility", "election commission", "hospital network", "pension fund", "customs service",
]  # fmt: skip
FINDINGS = [
    "missed its own deadlines", "kept an inspection report from the public",
    "paid contractors twice", "underestimated the cost of repairs", "lost track of complaints",
    "approved permits without consultation", "changed its figures after the vote",
    "let a backlog of cases grow", "ignored warnings from its own staff",
    "spent a reserve fund on consultants",
]  # fmt: skip
PLACES = [
    "in Winnipeg", "in Halifax", "in Bogotá", "in Lima", "in Montréal", "in the north",
    "across four provinces", "on the coast", "in Guatemala City", "in Santiago",
]  # fmt: skip
TOPIC_WORDS = [
    "water", "housing", "mining", "elections", "transit", "health", "schools", "policing",
    "energy", "pensions", "customs", "labour", "climate", "courts", "budgets", "contracts",
    "lobbying", "wildfires", "farming", "fisheries", "borders", "prisons", "media", "data",
]  # fmt: skip
TOPIC_KINDS = [
    "policy", "records", "audits", "funding", "safety", "rights", "oversight", "spending",
    "permits", "reform", "inquiries", "statistics", "costs", "law",
]  # fmt: skip
SENTENCES = [
    "The documents, obtained through an access-to-information request, run to {n} pages.",
    "Officials did not answer written questions sent on {day}.",
    "{name}, who has followed the file for years, called the findings troubling.",
    "The {subject} said in a statement that it was reviewing its procedures.",
    "Records show the problem was first flagged {n} months earlier.",
    "Nobody involved disputed the figures when shown them.",
    "The same pattern appears in reports from at least {n} other districts.",
    "A spokesperson said the matter was now before an independent reviewer.",
    "Residents interviewed for this story described years of unanswered complaints.",
    "The budget for the program grew by {n} per cent over the period.",
]
TRANSLATED_TITLE = {
    "fr": "{title} (en français)",
    "es": "{title} (en español)",
    "de": "{title} (auf Deutsch)",
    "it": "{title} (in italiano)",
    "pt": "{title} (em português)",
    "ru": "{title} (по-русски)",
    "zh-hans": "{title}(中文)",
}


@dataclass
class Options:
    articles: int = 50_000
    authors: int = 200
    sections: int = 6
    tags: int = 400
    translated_share: float = 0.1
    seed: int = 1
    replace: bool = False


@dataclass
class Loaded:
    """What was created, for the command's report."""

    articles: int = 0
    translations: int = 0
    sections: int = 0
    authors: int = 0
    tags: int = 0
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)


def bench_articles() -> Page:
    """The generated articles, in every language (their slugs mark them)."""
    return Page.objects.type(ArticlePage).filter(slug__startswith=PREFIX)


class BenchNewsroom:
    """Writes the generated content in bulk (see the module's docstring)."""

    def __init__(self, options: Options, now: datetime | None = None) -> None:
        self.options = options
        self.now = now or timezone.now()
        self.random = random.Random(options.seed)  # noqa: S311 - test data, not security
        self.loaded = Loaded()
        self.article_type = ContentType.objects.get_for_model(ArticlePage)
        self.section_type = ContentType.objects.get_for_model(SectionPage)
        self.page_type = ContentType.objects.get_for_model(Page)
        self.default_locale = Locale.get_default()
        self.schema_version = get_schema_version(ArticlePage._meta.app_label)
        self._last = time.perf_counter()

    # --- Entry point ---------------------------------------------------------------------

    def load(self) -> Loaded:
        started = time.perf_counter()
        home = HomePage.objects.filter(locale=self.default_locale, depth=2).order_by("path").first()
        if home is None:
            raise CommandError(
                "There is no newsroom to add to: run `manage.py load_demo` first "
                "(or create a home page)."
            )
        with transaction.atomic():
            if bench_articles().exists() or Author.objects.filter(slug__startswith=PREFIX).exists():
                if not self.options.replace:
                    raise CommandError(
                        "Generated bench content is already loaded. Run again with --replace "
                        "to delete it and load afresh."
                    )
                self.remove()
            homes = self.translated_homes(home)
            sections = self.sections(home, homes)
            authors = self.authors()
            tags = self.tags()
            self.articles(sections, authors, tags)
            self.step("articles")
        transaction.on_commit(page_store().clear, robust=True)
        self.loaded.seconds = time.perf_counter() - started
        return self.loaded

    def step(self, name: str) -> None:
        self.loaded.steps.append(f"{name}: {time.perf_counter() - self._last:.1f} s")
        self._last = time.perf_counter()

    # --- Removing the previous load ------------------------------------------------------

    def remove(self) -> None:
        """Delete the generated content of an earlier run, in bulk."""
        generated = Page.objects.filter(
            Q(content_type=self.article_type) | Q(content_type=self.section_type),
            slug__startswith=PREFIX,
        )
        rows = list(generated.values_list("pk", "translation_key", "path"))
        keys = list({key for _pk, key, _path in rows})
        for chunk in batched(keys):
            TranslationRecord.objects.filter(object_id__in=chunk).delete()
            Translation.objects.filter(source__object_id__in=chunk).delete()
            TranslationSource.objects.filter(object_id__in=chunk).delete()
            TranslatableObject.objects.filter(translation_key__in=chunk).delete()
        ids = [pk for pk, _key, _path in rows]
        for chunk in batched(ids):
            ArticleTag.objects.filter(content_object_id__in=chunk)._raw_delete(connection.alias)
            ArticleAuthor.objects.filter(page_id__in=chunk)._raw_delete(connection.alias)
        parents = {path[: -Page.steplen] for _pk, _key, path in rows}
        # A generated section goes with whatever is under it (treebeard deletes descendants);
        # revisions, log entries and the like go the ordinary way.
        for chunk in batched(ids):
            Page.objects.filter(pk__in=chunk).delete()
        Author.objects.filter(slug__startswith=PREFIX).delete()
        Tag.objects.filter(slug__startswith=PREFIX).delete()
        self.fix_numchild(parents)
        self.step("removed the previous load")

    # --- Sections, authors, tags ---------------------------------------------------------

    def translated_homes(self, home: HomePage) -> dict[int, Page]:
        """The home page's published copies in other languages, by locale id."""
        return {
            page.locale_id: page
            for page in Page.objects.filter(translation_key=home.translation_key)
            .exclude(pk=home.pk)
            .live()
        }

    def sections(self, home: HomePage, homes: dict[int, Page]) -> list[dict[int, Page]]:
        """Each section of the bench: its page in each language where it has one, by locale."""
        own = list(SectionPage.objects.child_of(home).live().order_by("path"))[
            : self.options.sections
        ]
        missing = self.options.sections - len(own)
        names = [
            SECTION_NAMES[number % len(SECTION_NAMES)]
            + (f" {number // len(SECTION_NAMES) + 1}" if number >= len(SECTION_NAMES) else "")
            for number in range(missing)
        ]
        created: list[Page] = []
        for name in names:
            key = self.uuid()
            for parent in [home, *homes.values()]:
                created.append(
                    Page(
                        title=name,
                        draft_title=name,
                        slug=PREFIX + slugify(name),
                        content_type=self.section_type,
                        locale_id=parent.locale_id,
                        translation_key=key,
                        live=True,
                        first_published_at=self.now - timedelta(days=YEARS * 365),
                        last_published_at=self.now - timedelta(days=YEARS * 365),
                    )
                )
                created[-1].parent = parent
        self.insert_pages(
            created, SectionPage, lambda page: {"intro": f"Stories about {page.title}."}
        )
        self.loaded.sections = len(names)
        self.fix_numchild({parent.path for parent in [home, *homes.values()]})
        keys = [section.translation_key for section in own] + [
            page.translation_key for page in created if page.locale_id == home.locale_id
        ]
        copies: dict[str, dict[int, Page]] = {}
        for page in (
            Page.objects.filter(translation_key__in=keys).live().filter(depth=home.depth + 1)
        ):
            copies.setdefault(str(page.translation_key), {})[page.locale_id] = page
        self.step("sections")
        return [copies[str(key)] for key in keys if home.locale_id in copies.get(str(key), {})]

    def authors(self) -> list[Author]:
        names = [(first, last) for last in LAST_NAMES for first in FIRST_NAMES]
        self.random.shuffle(names)
        authors = []
        for number in range(self.options.authors):
            first, last = names[number % len(names)]
            name = f"{first} {last}" + (
                f" {number // len(names) + 1}" if number >= len(names) else ""
            )
            authors.append(
                Author(
                    name=name,
                    slug=PREFIX + slugify(name),
                    role=self.random.choice(ROLES),
                    bio=f"<p>{name} reports for the newsroom.</p>",
                    translation_key=self.uuid(),
                    locale_id=self.default_locale.pk,
                )
            )
        created = Author.objects.bulk_create(authors, batch_size=BATCH)
        self.loaded.authors = len(created)
        self.step("authors")
        # The newsroom's own authors first: they write the most, as staff do.
        own = Author.objects.filter(locale=self.default_locale).exclude(slug__startswith=PREFIX)
        generated = Author.objects.filter(slug__startswith=PREFIX)
        return list(own.order_by("pk")) + list(generated.order_by("pk"))

    def tags(self) -> list[Tag]:
        taken = set(Tag.objects.values_list("name", flat=True))
        taken_slugs = set(Tag.objects.values_list("slug", flat=True))
        pairs = [f"{word} {kind}" for word in TOPIC_WORDS for kind in TOPIC_KINDS]
        self.random.shuffle(pairs)
        tags = []
        for number in range(self.options.tags):
            name = pairs[number % len(pairs)]
            if number >= len(pairs):
                name += f" {number // len(pairs) + 1}"
            slug = PREFIX + slugify(name)
            if name in taken or slug in taken_slugs:
                continue
            tags.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(tags, batch_size=BATCH)
        self.loaded.tags = len(tags)
        self.step("tags")
        return list(Tag.objects.filter(slug__startswith=PREFIX).order_by("pk"))

    # --- Articles ------------------------------------------------------------------------

    def articles(self, sections: list[dict[int, Page]], authors: list[Author], tags: list[Tag]):
        if not sections:
            raise CommandError("The newsroom has no section to put articles in (--sections 0?).")
        if not authors:
            raise CommandError("Articles need authors: give --authors 1 or more.")
        default = self.default_locale.pk
        images = list(
            get_image_model()
            .objects.filter(title__startswith="Illustration:")
            .values_list("pk", "description")
        )
        # A long tail: a few tags on many stories, most on few.
        tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
        author_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(authors))]
        span = timedelta(days=YEARS * 365).total_seconds()
        for chunk_start in range(0, self.options.articles, BATCH):
            numbers = range(chunk_start, min(chunk_start + BATCH, self.options.articles))
            originals: list[Page] = []
            details: list[dict] = []
            for number in numbers:
                section = self.random.choice(sections)
                title = self.headline()
                moment = self.now - timedelta(seconds=self.random.random() * span)
                changed = moment
                if self.random.random() < 0.2:  # since republished (never in the future)
                    changed = min(moment + timedelta(hours=self.random.randint(2, 72)), self.now)
                page = Page(
                    title=title,
                    draft_title=title,
                    slug=f"{PREFIX}{number + 1:06d}-{slugify(title)[:60].strip('-')}",
                    content_type=self.article_type,
                    locale_id=default,
                    translation_key=self.uuid(),
                    live=True,
                    first_published_at=moment,
                    last_published_at=changed,
                )
                page.parent = section[default]
                originals.append(page)
                image = (
                    self.random.choice(images) if images and self.random.random() < 0.5 else None
                )
                details.append(
                    {
                        "dek": self.dek(),
                        "article_type": self.random.choices(
                            [
                                ArticlePage.NEWS,
                                ArticlePage.ANALYSIS,
                                ArticlePage.OPINION,
                                ArticlePage.INVESTIGATION,
                            ],
                            weights=[6, 2, 1, 1],
                        )[0],
                        "hero_image_id": image[0] if image else None,
                        "hero_alt_text": (image[1] or "An illustration.") if image else "",
                        "body": self.body(),
                        "authors": self.random.choices(
                            authors,
                            weights=author_weights,
                            k=1 if self.random.random() < 0.8 else 2,
                        ),
                        "tags": self.random.choices(
                            tags, weights=tag_weights, k=self.random.randint(0, 4)
                        )
                        if tags
                        else [],
                        "section": section,
                    }
                )
            fields_of = {id(page): info for page, info in zip(originals, details, strict=True)}
            translations: list[Page] = []
            for page, info in zip(originals, details, strict=True):
                if self.random.random() >= self.options.translated_share:
                    continue
                elsewhere = [locale for locale in info["section"] if locale != default]
                for locale_id in self.random.sample(
                    elsewhere, k=min(len(elsewhere), self.random.randint(1, 2))
                ):
                    code = self.locale_code(locale_id)
                    title = TRANSLATED_TITLE.get(code, "{title} ({code})").format(
                        title=page.title, code=code
                    )
                    copy = Page(
                        title=title,
                        draft_title=title,
                        slug=page.slug,
                        content_type=self.article_type,
                        locale_id=locale_id,
                        translation_key=page.translation_key,
                        live=True,
                        first_published_at=page.first_published_at,
                        last_published_at=min(
                            page.last_published_at + timedelta(hours=1), self.now
                        ),
                    )
                    copy.parent = info["section"][locale_id]
                    translations.append(copy)
                    fields_of[id(copy)] = info
            everything = originals + translations

            def local_fields(page: Page, fields_of: dict = fields_of) -> dict:
                info = fields_of[id(page)]
                return {
                    key: info[key]
                    for key in ("dek", "article_type", "hero_image_id", "hero_alt_text", "body")
                }

            self.insert_pages(everything, ArticlePage, local_fields)
            ArticleAuthor.objects.bulk_create(
                [
                    ArticleAuthor(page_id=page.pk, author_id=author.pk, sort_order=order)
                    for page in everything
                    for order, author in enumerate(dict.fromkeys(fields_of[id(page)]["authors"]))
                ],
                batch_size=BATCH,
            )
            ArticleTag.objects.bulk_create(
                [
                    ArticleTag(content_object_id=page.pk, tag_id=tag.pk)
                    for page in everything
                    for tag in dict.fromkeys(fields_of[id(page)]["tags"])
                ],
                batch_size=BATCH,
            )
            self.translation_rows(originals, translations)
            self.loaded.articles += len(originals)
            self.loaded.translations += len(translations)
        self.fix_numchild(
            {path for section in sections for path in (page.path for page in section.values())}
        )

    def translation_rows(self, originals: list[Page], translations: list[Page]) -> None:
        """wagtail-localize's source for each translated original and its target languages,
        and Masthead's record of each translation (machine-translated), as the translation
        pipeline leaves them. The sources' segments are not extracted (the translation editor
        extracts them when an editor opens one)."""
        if not translations:
            return
        translated_keys = {page.translation_key for page in translations}
        sources = [page for page in originals if page.translation_key in translated_keys]
        TranslatableObject.objects.bulk_create(
            [
                TranslatableObject(
                    translation_key=page.translation_key, content_type=self.page_type
                )
                for page in sources
            ],
            batch_size=BATCH,
        )
        # The source's content is the original as wagtail-localize stores it (`to_json()`).
        stored = (
            ArticlePage.objects.filter(pk__in=[page.pk for page in sources])
            .select_related("locale")
            .prefetch_related("article_authors", "tagged_items", "corrections")
        )
        made = TranslationSource.objects.bulk_create(
            [
                TranslationSource(
                    object_id=page.translation_key,
                    specific_content_type=self.article_type,
                    locale_id=page.locale_id,
                    object_repr=page.title[:200],
                    content_json=page.to_json(),
                    schema_version=self.schema_version,
                    last_updated_at=page.last_published_at,
                )
                for page in stored
            ],
            batch_size=BATCH,
        )
        source_of = {source.object_id: source for source in made}
        Translation.objects.bulk_create(
            [
                Translation(
                    uuid=self.uuid(),
                    source=source_of[page.translation_key],
                    target_locale_id=page.locale_id,
                    translations_last_updated_at=page.last_published_at,
                    destination_last_updated_at=page.last_published_at,
                )
                for page in translations
            ],
            batch_size=BATCH,
        )
        TranslationRecord.objects.bulk_create(
            [
                TranslationRecord(
                    object_id=page.translation_key,
                    locale_id=page.locale_id,
                    state=TranslationRecord.MACHINE,
                    engine="bench",
                    detail="Generated by load_bench_data",
                )
                for page in translations
            ],
            batch_size=BATCH,
        )

    def insert_pages(self, pages: list[Page], model: type[Page], local_fields) -> None:
        for page in pages:
            page.has_unpublished_changes = False
        insert_pages(pages, model, local_fields)

    fix_numchild = staticmethod(fix_numchild)

    # --- Words ---------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    _codes: dict[int, str] = {}

    def locale_code(self, locale_id: int) -> str:
        if not self._codes:
            self._codes.update(Locale.objects.values_list("pk", "language_code"))
        return self._codes[locale_id]

    def headline(self) -> str:
        choice = self.random.choice
        subject = choice(SUBJECTS)
        return f"{subject[0].upper()}{subject[1:]} {choice(PLACES)} {choice(FINDINGS)}"

    def dek(self) -> str:
        return self.sentence() + " " + self.sentence()

    def sentence(self) -> str:
        first, last = self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)
        return self.random.choice(SENTENCES).format(
            n=self.random.randint(2, 400),
            day=f"{self.random.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday'])}",
            name=f"{first} {last}",
            subject=self.random.choice(SUBJECTS),
        )

    def body(self) -> list[dict]:
        blocks = []
        for number in range(self.random.randint(3, 6)):
            if number == 2:
                blocks.append(
                    {
                        "type": "heading",
                        "value": {"text": "What the records show", "level": "h2"},
                        "id": str(self.uuid()),
                    }
                )
            text = " ".join(self.sentence() for _ in range(self.random.randint(2, 4)))
            blocks.append({"type": "paragraph", "value": f"<p>{text}</p>", "id": str(self.uuid())})
        return blocks


class Command(BaseCommand):
    help = (
        "Add generated articles (50,000 by default) with authors, sections, tags and "
        "translations to the newsroom, in bulk, for load and scale tests. Needs a newsroom "
        "(run load_demo first). Refused when generated content exists, unless --replace. "
        "Does not build the search index or related articles (slow at this size): run "
        "search_reindex and related_rebuild afterwards if you need them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Options()
        parser.add_argument("--articles", type=int, default=defaults.articles)
        parser.add_argument("--authors", type=int, default=defaults.authors)
        parser.add_argument(
            "--sections",
            type=int,
            default=defaults.sections,
            help="Sections to spread the articles over: the site's own first, then generated "
            f"ones (default {defaults.sections}).",
        )
        parser.add_argument("--tags", type=int, default=defaults.tags)
        parser.add_argument(
            "--translated-share",
            type=float,
            default=defaults.translated_share,
            help="Share of the articles that also get a published copy in one or two other "
            f"languages (default {defaults.translated_share}).",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier generated content first."
        )

    def handle(self, *args, **options) -> None:
        chosen = Options(
            articles=options["articles"],
            authors=options["authors"],
            sections=options["sections"],
            tags=options["tags"],
            translated_share=options["translated_share"],
            seed=options["seed"],
            replace=options["replace"],
        )
        if chosen.articles < 0 or not 0 <= chosen.translated_share <= 1:
            raise CommandError("--articles must be 0 or more and --translated-share 0 to 1.")
        loaded = BenchNewsroom(chosen).load()
        self.stdout.write(
            f"Bench content: {loaded.articles} articles, {loaded.translations} translations, "
            f"{loaded.sections} new sections, {loaded.authors} authors, {loaded.tags} tags "
            f"in {loaded.seconds:.1f} s."
        )
        if options["verbosity"] > 1:
            for step in loaded.steps:
                self.stdout.write(f"  {step}")
