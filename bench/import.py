"""Benchmark: importing a synthetic 20,000-post WordPress export, against Wagtail page by page.

Writes a WordPress export (WXR) of `--posts` posts to a temporary folder, streamed to disk and the
same every run (seeded): 20 authors, 12 categories (a few under a parent), 300 tags; posts about
half classic (wpautop) and half Gutenberg markup, about 8 paragraphs with links and bold, a
heading or two, a list; one post in ten has an attachment (its featured image, `_thumbnail_id`,
and often a `[caption]` or image block in the body); about 8 % drafts, a few pages, now and then
a title in another script. The files themselves are not there (no `--media-dir`): every image is
reported missing, which is the "without media" of the target.

Then, in a fresh data folder (SQLite, or the PostgreSQL database `--database-url` names, dropped
and made again), `manage.py migrate` and `manage.py load_demo`, and three runs of the command
under test, each in its own process:

- **dry run**: `manage.py import_wordpress EXPORT --dry-run`, first, as an operator would
  (the whole import, rolled back; it must leave the database as it was: the counts of pages
  of every type, articles, revisions, images, imported items, redirects, authors, sections,
  tags and search entries, before and after, must be the same);
- **import**: `manage.py import_wordpress EXPORT`, timed (wall clock, Django's start included);
  posts/s counts the published and draft posts the export holds; peak memory is that process's
  own peak resident set (`os.wait4`'s `ru_maxrss`);
- **rerun**: the same command again, nothing changed: it must add no page of any type (the
  count of Wagtail pages is the same before and after) and it must take less time than the
  import (it finds every item already imported, so it makes nothing).

**Baseline**, in the same run and data folder, after the import: Wagtail's ordinary way, one
page at a time, for the first `--baseline-posts` published posts of the same export (the body
converted by the importer's own `convert_body`, so only the way pages are made differs):
`section.add_child(instance=ArticlePage(...))`, then `page.save_revision().publish()`.

    .venv/bin/python bench/import.py [--posts N] [--baseline-posts N] [--keep]
    .venv/bin/python bench/import.py --database-url postgres://postgres@127.0.0.1:5432/<name>
    .venv/bin/python bench/import.py --posts 200 --export-only /tmp/export.xml  # just the file

Prints the export's size, each run's time and peak memory, the command's last report lines,
the baseline's posts/s and the ratio (import posts/s over baseline posts/s), and last, the
machine-readable line
`posts_per_s=<n> peak_mb=<MiB> import_s=<s> rerun_s=<s> dry_run_s=<s> baseline_posts_per_s=<n>
ratio=<r>` (on one line). Targets: ≥ 200 posts/s and a peak under 300 MiB, without media; the
exit status is 1 when either is missed (or the import fails, the rerun fails, adds a page or
takes as long as the import, or the dry run fails or writes anything).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = 20_000
TARGET_POSTS_PER_S = 200
TARGET_PEAK_MB = 300
REPORT_LINES = 8

AUTHOR_NAMES = [
    "Ana Ferreira", "Ben Okafor", "Chloé Martin", "Daniel Kim", "Elif Yılmaz",  # noqa: RUF001
    "Farah Haddad", "George Whitfield", "Hana Nováková", "Ines Duarte", "Jonas Lindqvist",
    "Kwame Mensah", "Laura Bianchi", "Miguel Ángel Ruiz", "Nadia Petrova", "Owen Price",
    "Priya Raman", "Søren Dahl", "Tomás O'Neill", "Wei Zhang", "Zoë Ashworth",
]  # fmt: skip
# (slug, name, parent slug): parents first, as WordPress writes them.
CATEGORIES = [
    ("world", "World", ""),
    ("canada", "Canada", "world"),
    ("europe", "Europe", "world"),
    ("business", "Business", ""),
    ("markets", "Markets", "business"),
    ("politics", "Politics", ""),
    ("technology", "Technology", ""),
    ("science", "Science", ""),
    ("culture", "Culture", ""),
    ("books", "Books", "culture"),
    ("sport", "Sport", ""),
    ("opinion", "Opinion", ""),
]
PAGES = [
    "About us", "Contact", "Advertise with us", "Privacy policy", "Ethics policy",
    "Corrections", "Jobs", "Newsletters", "Terms of use", "Our team",
]  # fmt: skip
VOCABULARY = (
    "council budget harbour housing report minister water contract election court ruling "
    "inquiry agency province city mayor union strike workers tenants landlords rent price "
    "market shares bank interest rate inflation energy pipeline mine permit forest river "
    "school teachers students hospital nurses doctors patients clinic vaccine research study "
    "data records documents audit spending tender supplier deadline review committee hearing "
    "witness evidence testimony police officers investigation charges trial judge appeal law "
    "bill vote parliament senate party leader campaign poll voters district border trade "
    "tariff export import farmers harvest drought flood storm climate emissions transit "
    "railway airport port container shipping fishing festival museum gallery novel author "
    "film theatre music season match team coach league final stadium fans club transfer "
    "said according officials spokesperson statement interview residents community local "
    "national regional federal public private new former senior independent annual weekly "
    "quietly sharply early late again still however meanwhile because although while after "
    "before during since the a of to and in for on with that was were has had will would "
    "could should more than over under about into from by as at its their this these those"
)
WORDS = VOCABULARY.split()
SUBJECTS = [
    "City council", "Provincial auditor", "Harbour authority", "Teachers' union",
    "Water board", "Housing agency", "Hospital nurses", "Transit commission", "Mine operator",
    "Federal court", "Local farmers", "Museum trustees", "Energy regulator", "School board",
    "Port workers", "Tenants' association", "Health ministry", "Fishing fleet",
]  # fmt: skip
VERBS = [
    "approves", "rejects", "delays", "questions", "defends", "reviews", "cuts", "expands",
    "reopens", "challenges", "quietly changes", "pledges to fix", "misses deadline on",
]  # fmt: skip
OBJECTS = [
    "budget for harbour repairs", "rent freeze", "new water contract", "pipeline permit",
    "staffing plan", "emergency funding", "lead testing rules", "container inspections",
    "tender for school buses", "flood defences", "public records policy", "lithium agreement",
    "night train service", "festival grant", "drought relief", "clinic closures",
]  # fmt: skip
UNICODE_TITLES = [
    "Zürich café owners fight rent rises", "Москва: новые правила для арендаторов",
    "東京の港で新しい検査制度", "São Paulo aprova orçamento da saúde",
    "Kraków’s trams run late again", "Ελλάδα: νέος νόμος για το νερό",  # noqa: RUF001
    "“Ça suffit”: les pêcheurs bloquent le port", "مجلس المدينة يوافق على الميزانية",
    "Bogotá’s water board under review 💧", "Reykjavík festival draws record crowds",  # noqa: RUF001
]  # fmt: skip


@dataclass
class GeneratedExport:
    """What the synthetic export holds."""

    path: Path
    published: int
    drafts: int
    pages: int
    attachments: int
    authors: int
    categories: int
    tags: int

    @property
    def posts(self) -> int:
        return self.published + self.drafts

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1e6


@dataclass
class ChildRun:
    """One `manage.py` process: its wall time, peak memory, exit status and output."""

    seconds: float
    peak_mib: float
    returncode: int
    output: str


# --- The export ------------------------------------------------------------------------------


def write_export(path: Path, posts: int, seed: int = SEED) -> GeneratedExport:
    """Write a WXR export of `posts` posts (plus pages and attachments) to `path`, one item at
    a time; the same `seed` writes the same file."""
    from masthead.testing.wordpress import WxrExport

    rng = random.Random(seed)  # noqa: S311 (made-up text, not secrets)
    export = WxrExport(title="The Old Ledger")
    logins = []
    for number, name in enumerate(AUTHOR_NAMES, start=1):
        first, _, last = name.partition(" ")
        login = ascii_words(name).lower().replace(" ", ".").replace("'", "")
        logins.append(login)
        export.author(
            login,
            display_name=name,
            email=f"{login}@old.example.org",
            first_name=first,
            last_name=last,
            bio=f"{first} covers {CATEGORIES[number % len(CATEGORIES)][1].lower()}."
            if number % 3
            else None,
        )
    for slug, name, parent in CATEGORIES:
        export.category(slug, name, parent=parent)
    tags: list[str] = []
    tag_names: set[str] = set()
    while len(tags) < 300:
        name = " ".join(rng.sample(WORDS[:120], 2))
        if name not in tag_names:
            tag_names.add(name)
            tags.append(name.replace(" ", "-"))
            export.tag(tags[-1], name)
    author_weights = [rng.choice((1, 1, 2, 4, 8)) for _ in logins]
    category_slugs = [slug for slug, _name, _parent in CATEGORIES]

    counts = {"publish": 0, "draft": 0, "page": 0, "attachment": 0}
    used_slugs: set[str] = set()
    recent_links: deque[str] = deque(maxlen=50)
    start = datetime(2015, 1, 1, 6, 0)
    step = timedelta(days=3650) / max(posts, 1)
    head = export.xml()
    closing = "</channel>\n</rss>\n"
    if not head.endswith(closing):
        raise RuntimeError("WxrExport.xml() no longer ends the channel as expected")

    def write_item(handle) -> None:
        item = export.items.pop()
        if item.slug and item.slug in used_slugs:  # WordPress keeps post names unique
            number = 2
            while f"{item.slug}-{number}" in used_slugs:
                number += 1
            unique = f"{item.slug}-{number}"
            item.link = item.link.replace(f"/{item.slug}/", f"/{unique}/")
            item.slug = unique
        if item.slug:
            used_slugs.add(item.slug)
        handle.write(export._item_xml(item))
        counts[item.status if item.post_type == "post" else item.post_type] += 1

    wp_id = 10
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head[: -len(closing)])
        for index, title in enumerate(PAGES):
            wp_id += 1
            parent = wp_id - 1 if title == "Our team" else 0  # a page under "Terms of use"
            export.page(
                wp_id,
                title,
                classic_body(rng, paragraphs=3, links=[]),
                date="2014-12-01 10:00:00",
                creator=logins[0],
                parent=parent,
                menu_order=index,
            )
            write_item(handle)
        for number in range(posts):
            wp_id += 1
            moment = start + step * number + timedelta(minutes=rng.randrange(600))
            date = moment.strftime("%Y-%m-%d %H:%M:%S")
            status = "draft" if rng.random() < 0.08 else "publish"
            gutenberg = rng.random() < 0.5
            title = (
                rng.choice(UNICODE_TITLES)
                if rng.random() < 0.04
                else f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            )
            attachment_id = wp_id + 1 if number % 10 == 0 else None
            image = None
            if attachment_id:
                file = f"{date[:4]}/{date[5:7]}/photo-{attachment_id}.jpg"
                image = (attachment_id, file, f"Photo for “{title}”", rng.random() < 0.6)
            body_maker = gutenberg_body if gutenberg else classic_body
            content = body_maker(
                rng, paragraphs=rng.randint(6, 10), links=recent_links, image=image
            )
            creator = rng.choices(logins, weights=author_weights)[0]
            meta = {"_edit_last": "1"}
            if attachment_id:
                meta["_thumbnail_id"] = str(attachment_id)
            export.post(
                wp_id,
                title,
                content,
                status=status,
                date=date,
                modified=(moment + timedelta(days=rng.randrange(3))).strftime("%Y-%m-%d %H:%M:%S"),
                creator=creator,
                excerpt=sentence(rng, 18) if rng.random() < 0.3 else "",
                categories=rng.sample(category_slugs, rng.choice((1, 1, 1, 2))),
                tags=rng.sample(tags, rng.randint(0, 5)),
                meta=meta,
            )
            if status == "publish":
                recent_links.append(export.items[-1].link)
            write_item(handle)
            if attachment_id:
                wp_id += 1
                export.attachment(
                    attachment_id,
                    image[1],
                    title=f"photo-{attachment_id}",
                    parent=attachment_id - 1,
                    alt=image[2],
                    caption=sentence(rng, 10),
                    date=date,
                )
                export.items[-1].creator = creator  # uploaded by the post's author
                write_item(handle)
        handle.write(closing)
    return GeneratedExport(
        path=path,
        published=counts["publish"],
        drafts=counts["draft"],
        pages=counts["page"],
        attachments=counts["attachment"],
        authors=len(logins),
        categories=len(CATEGORIES),
        tags=len(tags),
    )


def ascii_words(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def sentence(rng: random.Random, words: int) -> str:
    chosen = rng.choices(WORDS, k=words)
    return " ".join(chosen).capitalize() + "."


def inline_text(rng: random.Random, links) -> str:
    """A paragraph's HTML: three to five sentences, with a link or some bold now and then."""
    parts = [sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(3, 5))]
    if rng.random() < 0.6:
        target = rng.choice(links) if links and rng.random() < 0.5 else "https://example.com/report"
        words = " ".join(rng.choices(WORDS, k=3))
        parts.insert(rng.randrange(len(parts)), f'See <a href="{target}">{words}</a>.')
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts)), f"<strong>{sentence(rng, 6)}</strong>")
    if rng.random() < 0.15:
        parts.insert(rng.randrange(len(parts)), f"<em>{sentence(rng, 5)}</em>")
    return " ".join(parts)


def classic_body(rng: random.Random, paragraphs: int, links, image=None) -> str:
    """Classic editor content: blank lines between paragraphs (wpautop), headings and lists as
    HTML, a `[caption]` shortcode for an image."""
    chunks = [inline_text(rng, links) for _ in range(paragraphs)]
    for _ in range(rng.randint(1, 2)):
        chunks.insert(rng.randrange(1, len(chunks)), f"<h2>{sentence(rng, 5)[:-1]}</h2>")
    items = "\n".join(f"\t<li>{sentence(rng, 7)}</li>" for _ in range(rng.randint(3, 5)))
    chunks.insert(rng.randrange(1, len(chunks)), f"<ul>\n{items}\n</ul>")
    if rng.random() < 0.2:  # a line break inside a paragraph
        chunks[0] = chunks[0] + "\n" + sentence(rng, 8)
    if image and image[3]:
        attachment_id, file, alt, _ = image
        src = f"https://old.example.org/wp-content/uploads/{file[:-4]}-1024x683.jpg"
        chunks.insert(
            1,
            f'[caption id="attachment_{attachment_id}" align="aligncenter" width="1024"]'
            f'<img class="size-large wp-image-{attachment_id}" src="{src}" alt="{alt}" '
            f'width="1024" height="683" /> {sentence(rng, 8)}[/caption]',
        )
    return "\n\n".join(chunks)


def gutenberg_body(rng: random.Random, paragraphs: int, links, image=None) -> str:
    """Block editor content: each block between its `<!-- wp:... -->` comments."""
    blocks = [
        f"<!-- wp:paragraph -->\n<p>{inline_text(rng, links)}</p>\n<!-- /wp:paragraph -->"
        for _ in range(paragraphs)
    ]
    for _ in range(rng.randint(1, 2)):
        blocks.insert(
            rng.randrange(1, len(blocks)),
            f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{sentence(rng, 5)[:-1]}</h2>\n'
            "<!-- /wp:heading -->",
        )
    items = "".join(
        f"<!-- wp:list-item -->\n<li>{sentence(rng, 7)}</li>\n<!-- /wp:list-item -->\n"
        for _ in range(rng.randint(3, 5))
    )
    blocks.insert(
        rng.randrange(1, len(blocks)),
        f'<!-- wp:list -->\n<ul class="wp-block-list">{items}</ul>\n<!-- /wp:list -->',
    )
    if image and image[3]:
        attachment_id, file, alt, _ = image
        src = f"https://old.example.org/wp-content/uploads/{file[:-4]}-1024x683.jpg"
        blocks.insert(
            1,
            f'<!-- wp:image {{"id":{attachment_id},"sizeSlug":"large",'
            f'"linkDestination":"none"}} -->\n<figure class="wp-block-image size-large">'
            f'<img src="{src}" alt="{alt}" class="wp-image-{attachment_id}"/>'
            f'<figcaption class="wp-element-caption">{sentence(rng, 8)}</figcaption></figure>\n'
            "<!-- /wp:image -->",
        )
    return "\n\n".join(blocks)


# --- Running Masthead --------------------------------------------------------------------------


def child_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="masthead.settings",
        MASTHEAD_DATA_DIR=str(data_dir),
        MASTHEAD_CACHE_PREFIX=f"masthead-bench-import-{os.getpid()}",
        MASTHEAD_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    environment.pop("REDIS_URL", None)  # the file cache in the data folder
    environment.pop("DATABASE_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def run_child(command: list[str], environment: dict[str, str], log: Path) -> ChildRun:
    """Run `command` from the repository root, output to `log`; its wall time and its own peak
    resident set (from `wait4`, which reaps exactly this process)."""
    with open(log, "w", encoding="utf-8") as output:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (this script's own commands)
            command, cwd=REPO_ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    return ChildRun(
        seconds=seconds,
        peak_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=process.returncode,
        output=log.read_text(encoding="utf-8", errors="replace"),
    )


def manage(environment: dict[str, str], log: Path, *arguments: str) -> ChildRun:
    return run_child([sys.executable, "manage.py", *arguments], environment, log)


def checked(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        print(run.output[-4000:])
        raise SystemExit(f"{what} failed (exit status {run.returncode}); its output is above.")
    return run


COUNT_CODE = """
import json
from wagtail.images import get_image_model
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision
from masthead.newsroom.models import ArticlePage, Author, SectionPage, StandardPage
from masthead.search.models import SearchEntry
from masthead.wordpress.models import ImportedItem
print("counts=" + json.dumps({
    "all_pages": Page.objects.count(),
    "articles": ArticlePage.objects.count(),
    "live_articles": ArticlePage.objects.live().count(),
    "pages": StandardPage.objects.count(),
    "sections": SectionPage.objects.count(),
    "revisions": Revision.objects.count(),
    "images": get_image_model().objects.count(),
    "imported_items": ImportedItem.objects.count(),
    "redirects": Redirect.objects.count(),
    "authors": Author.objects.count(),
    "tags": Tag.objects.count(),
    "search_entries": SearchEntry.objects.count(),
}))
"""


def counts(environment: dict[str, str], log: Path) -> dict[str, int]:
    """How many of each thing an import makes the database holds (see COUNT_CODE): all pages
    of every type, articles, standard pages, sections, revisions, images, imported items,
    redirects, authors, tags and search entries."""
    run = checked(manage(environment, log, "shell", "-c", COUNT_CODE), "Counting pages")
    for line in run.output.splitlines():
        if line.startswith("counts="):
            return json.loads(line.removeprefix("counts="))
    raise SystemExit(f"Counting pages printed no counts:\n{run.output[-2000:]}")


def changed_counts(before: dict[str, int], after: dict[str, int]) -> str:
    """What differs between two `counts`, e.g. "redirects 3 → 5, tags 10 → 12"; "" for none."""
    return ", ".join(
        f"{name} {before.get(name)} → {after.get(name)}"
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    )


def report_summary(output: str, tail: int = REPORT_LINES) -> str:
    """The command's report, shortened: its title and table of counts, then the headings of the
    lists after it (e.g. "Missing media: 2000 file(s)") and its last line. Without a report
    (the command failed early): the last `tail` lines."""
    lines = output.splitlines()
    start = next(
        (n for n, line in enumerate(lines) if line.startswith(("Import finished.", "Dry run:"))),
        None,
    )
    if start is None:
        kept = [line for line in lines if line.strip()][-tail:]
    else:
        blanks = [n for n in range(start, len(lines)) if not lines[n].strip()]
        table_end = blanks[1] if len(blanks) > 1 else len(lines)
        kept = [line for line in lines[start:table_end] if line.strip()]
        kept += [line for line in lines[table_end:] if line.strip() and not line[0].isspace()]
        if lines[-1].strip() and lines[-1] not in kept:
            kept.append(lines[-1])
    return "\n".join(f"    | {line}" for line in kept)


def fresh_postgres_database(database_url: str, *, create_again: bool) -> None:
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create_again:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- The baseline (runs in its own process: `bench/import.py --baseline-of EXPORT`) ----------


def read_sample(path: Path, count: int) -> tuple[dict[str, str], list[dict]]:
    """The export's authors (login → display name) and its first `count` published posts."""
    from xml.etree import ElementTree

    def name(element) -> str:
        return element.tag.rsplit("}", 1)[-1]

    authors: dict[str, str] = {}
    posts: list[dict] = []
    for _event, element in ElementTree.iterparse(path, events=("end",)):  # noqa: S314 (our file)
        tag = name(element)
        if tag == "author":
            fields = {name(child): child.text or "" for child in element}
            authors[fields["author_login"]] = fields["author_display_name"]
        elif tag == "item":
            fields = {name(child): child.text or "" for child in element}
            if fields.get("post_type") == "post" and fields.get("status") == "publish":
                fields["tags"] = [
                    child.text or ""
                    for child in element
                    if name(child) == "category" and child.get("domain") == "post_tag"
                ]
                fields.pop("encoded", None)  # content:encoded and excerpt:encoded share it
                for child in element:
                    if child.tag.endswith("}encoded"):
                        key = "excerpt" if "/excerpt/" in child.tag else "content"
                        fields[key] = child.text or ""
                posts.append(fields)
                if len(posts) == count:
                    break
            element.clear()
    return authors, posts


def baseline(path: Path, count: int) -> None:
    """Create `count` of the export's posts the ordinary Wagtail way and print the time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()

    from datetime import UTC
    from urllib.parse import unquote

    from django.utils.text import slugify
    from wagtail.models import Locale

    from masthead.newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage
    from masthead.wordpress import bodies

    authors, posts = read_sample(path, count)
    locale = Locale.get_default()
    home = HomePage.objects.filter(locale=locale).first()
    section = home.add_child(instance=SectionPage(title="Baseline", slug="bench-baseline"))
    section.save_revision().publish()
    people = {}
    for login, display_name in authors.items():
        people[login] = Author.objects.filter(name=display_name, locale=locale).first()
        if people[login] is None:
            people[login] = Author.objects.create(
                name=display_name, slug=f"{slugify(ascii_words(display_name))}-baseline"
            )

    started = time.perf_counter()
    for post in posts:
        blocks = bodies.convert_body(post["content"], lambda request: None).blocks
        date = datetime.strptime(post["post_date_gmt"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        article = ArticlePage(
            title=post["title"],
            slug=slugify(unquote(post["post_name"]), allow_unicode=True)
            or f"post-{post['post_id']}",
            dek=post.get("excerpt", ""),
            body=json.dumps(blocks),
            first_published_at=date,
            live=False,
        )
        article.article_authors = [ArticleAuthor(author=people[post["creator"]])]
        if post["tags"]:
            article.tags.add(*post["tags"])
        section.add_child(instance=article)
        article.save_revision().publish()
    seconds = time.perf_counter() - started
    print(f"baseline={json.dumps({'posts': len(posts), 'seconds': seconds})}")


# --- The benchmark -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000, help="posts (default 20,000)")
    parser.add_argument(
        "--baseline-posts", type=int, default=300, help="posts the baseline makes (default 300)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL database to drop, create and use (default: SQLite in the temporary "
        "folder); dropped at the end unless --keep",
    )
    parser.add_argument(
        "--export-only", type=Path, metavar="PATH", help="write the export to PATH and stop"
    )
    parser.add_argument("--baseline-of", type=Path, help=argparse.SUPPRESS)  # the child's part
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))

    if arguments.baseline_of:
        baseline(arguments.baseline_of, arguments.baseline_posts)
        return
    if arguments.export_only:
        started = time.perf_counter()
        generated = write_export(arguments.export_only, arguments.posts)
        describe_export(generated, time.perf_counter() - started)
        return

    scratch = Path(tempfile.mkdtemp(prefix="masthead-bench-import-"))
    try:
        failed = benchmark(arguments, scratch)
    finally:
        if arguments.keep:
            print(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
            if arguments.database_url:
                fresh_postgres_database(arguments.database_url, create_again=False)
    if failed:
        sys.exit(1)


def describe_export(generated: GeneratedExport, seconds: float) -> None:
    print(
        f"Export: {generated.path.name}, {generated.size_mb:.1f} MB, written in {seconds:.1f} s: "
        f"{generated.published} published posts, {generated.drafts} drafts, "
        f"{generated.pages} pages, {generated.attachments} attachments (no files), "
        f"{generated.authors} authors, {generated.categories} categories, {generated.tags} tags"
    )


def benchmark(arguments: argparse.Namespace, scratch: Path) -> bool:
    """Everything but the clean-up; True when a target is missed or something went wrong."""
    started = time.perf_counter()
    generated = write_export(scratch / "export.xml", arguments.posts)
    describe_export(generated, time.perf_counter() - started)

    if arguments.database_url:
        fresh_postgres_database(arguments.database_url, create_again=True)
    data_dir = scratch / "data"
    (data_dir / "static").mkdir(parents=True)
    environment = child_environment(data_dir, arguments.database_url)
    logs = scratch / "logs"
    logs.mkdir()
    started = time.perf_counter()
    checked(manage(environment, logs / "migrate.log", "migrate", "--no-input"), "migrate")
    checked(manage(environment, logs / "load_demo.log", "load_demo"), "load_demo")
    database = "PostgreSQL" if arguments.database_url else "SQLite"
    print(
        f"Masthead: {database}, migrated and demo loaded in {time.perf_counter() - started:.0f} s"
    )
    before = counts(environment, logs / "counts.log")

    export = str(generated.path)
    # The dry run first, as an operator would: the whole import, rolled back.
    dry_run = manage(environment, logs / "dry-run.log", "import_wordpress", export, "--dry-run")
    after_dry = counts(environment, logs / "counts.log")
    dry_run_changes = changed_counts(before, after_dry)
    print(
        f"dry run: {dry_run.seconds:.1f} s, peak {dry_run.peak_mib:.0f} MiB, exit status "
        f"{dry_run.returncode}; "
        + (f"WROTE SOMETHING: {dry_run_changes}" if dry_run_changes else "wrote nothing")
    )
    print(report_summary(dry_run.output))

    first = manage(environment, logs / "import.log", "import_wordpress", export)
    if first.returncode != 0:
        print(report_summary(first.output, 30))
        print(f"The import failed (exit status {first.returncode}).")
        return True
    posts_per_s = generated.posts / first.seconds
    print(
        f"import: {generated.posts} posts (+{generated.pages} pages, {generated.attachments} "
        f"attachments) in {first.seconds:.1f} s = {posts_per_s:.0f} posts/s; "
        f"peak {first.peak_mib:.0f} MiB"
    )
    print(report_summary(first.output))
    after_first = counts(environment, logs / "counts.log")
    imported = after_first["articles"] - before["articles"]
    print(
        f"  articles made: {imported} ({after_first['live_articles'] - before['live_articles']} "
        f"live), standard pages: {after_first['pages'] - before['pages']}, "
        f"images: {after_first['images'] - before['images']}, "
        f"revisions: {after_first['revisions'] - before['revisions']}, "
        f"redirects: {after_first['redirects'] - before['redirects']}, "
        f"authors: {after_first['authors'] - before['authors']}, "
        f"sections: {after_first['sections'] - before['sections']}, "
        f"tags: {after_first['tags'] - before['tags']}"
    )
    if imported != generated.posts:
        print(f"  (the export has {generated.posts} posts: {generated.drafts} of them drafts)")

    rerun = manage(environment, logs / "rerun.log", "import_wordpress", export)
    after_rerun = counts(environment, logs / "counts.log")
    pages_added = after_rerun["all_pages"] - after_first["all_pages"]
    rerun_slow = rerun.seconds >= first.seconds
    print(
        f"rerun (nothing changed): {rerun.seconds:.1f} s "
        f"({rerun.seconds / first.seconds:.0%} of the import's), peak {rerun.peak_mib:.0f} MiB, "
        f"exit status {rerun.returncode}; pages added {pages_added} (articles "
        f"{after_rerun['articles'] - after_first['articles']}), revisions added "
        f"{after_rerun['revisions'] - after_first['revisions']}"
    )
    print(report_summary(rerun.output))

    run = checked(
        run_child(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--baseline-of",
                export,
                "--baseline-posts",
                str(arguments.baseline_posts),
            ],
            environment,
            logs / "baseline.log",
        ),
        "The baseline",
    )
    measured = next(
        json.loads(line.removeprefix("baseline="))
        for line in run.output.splitlines()
        if line.startswith("baseline=")
    )
    baseline_per_s = measured["posts"] / measured["seconds"]
    ratio = posts_per_s / baseline_per_s
    print(
        f"baseline (add_child + save_revision().publish(), one page at a time): "
        f"{measured['posts']} posts in {measured['seconds']:.1f} s = {baseline_per_s:.1f} posts/s"
    )
    print(
        f"ratio: {ratio:.1f} (import posts/s over baseline posts/s); "
        f"cores: {len(os.sched_getaffinity(0))}"
    )

    missed = []
    if posts_per_s < TARGET_POSTS_PER_S:
        missed.append(f"{posts_per_s:.0f} posts/s (target ≥ {TARGET_POSTS_PER_S})")
    if first.peak_mib >= TARGET_PEAK_MB:
        missed.append(f"peak {first.peak_mib:.0f} MiB (target < {TARGET_PEAK_MB})")
    if rerun.returncode != 0 or pages_added:
        missed.append("the rerun failed or added pages")
    if rerun_slow:
        missed.append("the rerun took as long as the import")
    if dry_run.returncode != 0 or dry_run_changes:
        missed.append("the dry run failed or wrote something")
    print("Targets: " + ("missed: " + "; ".join(missed) if missed else "met"))
    print(
        f"posts_per_s={posts_per_s:.0f} peak_mb={first.peak_mib:.0f} import_s={first.seconds:.1f} "
        f"rerun_s={rerun.seconds:.1f} dry_run_s={dry_run.seconds:.1f} "
        f"baseline_posts_per_s={baseline_per_s:.1f} ratio={ratio:.1f}"
    )
    return bool(missed)


if __name__ == "__main__":
    main()
