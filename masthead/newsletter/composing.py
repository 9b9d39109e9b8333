"""What each mailing says, in one language: the subject and the body (HTML with inline styles,
and plain text) of a new story, a digest, or an editor's issue.

The body here is the *inside* of the e-mail; `masthead.newsletter.messages` wraps it in the
layout every newsletter shares (outlet name, postal address, unsubscribe and preferences links)
and adds the headers. The postman composes each mailing once per language, not per subscriber,
at the moment it prepares it, so late translations and corrections are included.

Every story is shown in the reader's language where it has a live, public translation, else in
its original language with a note saying so. A story is found through its `translation_key`
(all its language versions share it); its first publication is the earliest of its versions'.
"""

from __future__ import annotations

import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext, pgettext
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from masthead.newsletter.models import Mailing, NewsletterIssue
from masthead.newsroom.context_processors import newsroom_name
from masthead.newsroom.models import ArticlePage, Author, block_text, in_private_section

# A story first published longer ago than this is never mailed as new (imported and backdated
# stories, the demo's, a story re-published long after it first appeared).
ARTICLE_MAIL_WINDOW = timedelta(hours=48)
EXCERPT_WORDS = 150
DIGEST_MAX_STORIES = 30
HERO_RENDITION = "fill-1200x675|format-jpeg"
HERO_WIDTH, HERO_HEIGHT = 560, 315  # shown at the e-mail column's width


@dataclass(frozen=True)
class Composed:
    """A mailing's content in one language."""

    subject: str
    html: str  # the body's HTML (inline styles; no <html>/<body>: the layout adds those)
    text: str  # the same as plain text
    language: str  # the language it is actually written in (may differ from the one asked for)


@dataclass
class StoryCard:
    """One story as a digest or an issue lists it."""

    headline: str
    url: str
    dek: str
    section: str
    byline: str
    other_language: str = ""  # e.g. "in English" when it is shown in another language


@dataclass
class Versions:
    """Every version of one story (one per language), with what is needed to choose one."""

    pages: list[ArticlePage] = field(default_factory=list)

    @property
    def first_published_at(self) -> datetime | None:
        return min(filter(None, (page.first_published_at for page in self.pages)), default=None)

    def readable(self) -> list[ArticlePage]:
        return [page for page in self.pages if page.live and not page.private]

    def original(self) -> ArticlePage | None:
        """The first-published live, public version (the default language's on a tie)."""
        return min(
            self.readable(),
            key=lambda page: (
                page.first_published_at or timezone.now(),
                page.locale.language_code != settings.LANGUAGE_CODE,
                page.pk,
            ),
            default=None,
        )

    def for_reader(self, language: str, original: ArticlePage | None = None) -> ArticlePage | None:
        """The version in `language` when it is live and public, else the original."""
        for page in self.readable():
            if page.locale.language_code == language:
                return page
        return original or self.original()


def compose(mailing: Mailing, language: str) -> Composed | None:
    """`mailing`'s content for subscribers reading `language`, or None when there is nothing
    to send (a digest of a quiet period, a story since unpublished)."""
    if mailing.kind == Mailing.ARTICLE:
        return compose_article(mailing, language)
    if mailing.kind in (Mailing.DAILY, Mailing.WEEKLY):
        return compose_digest(mailing, language)
    if mailing.kind == Mailing.ISSUE and mailing.issue is not None:
        return compose_issue(mailing.issue)
    return None


# --- A new story -------------------------------------------------------------------------------


def compose_article(
    mailing: Mailing, language: str, now: datetime | None = None
) -> Composed | None:
    """The new story in the reader's language (else the original with a note), or None when it
    is gone: deleted, unpublished, private, or first published more than 48 hours ago."""
    if mailing.article_id is None:
        return None
    first = Page.objects.filter(pk=mailing.article_id).values("translation_key").first()
    if first is None:
        return None
    versions = load_versions([first["translation_key"]]).get(first["translation_key"])
    if versions is None:
        return None
    published = versions.first_published_at
    if published is None or published < (now or timezone.now()) - ARTICLE_MAIL_WINDOW:
        return None
    original = (
        next((page for page in versions.readable() if page.pk == mailing.article_id), None)
        or versions.original()
    )
    if original is None:
        return None
    story = versions.for_reader(language, original)
    with translation.override(language):
        byline = byline_text(reader_authors([story], language)[story.pk])
        context = {
            "story": story,
            "url": absolute_url(story.get_url()),
            "section": section_titles([story]).get(story.pk, ""),
            "byline": byline,
            "date": local_date(story.first_published_at or published),
            "hero": hero_picture(story),
            "paragraphs": leading_paragraphs(story),
            "note": language_note(language, story.locale.language_code),
        }
        return render("article", story.title, context, language)


def leading_paragraphs(story: ArticlePage, words: int = EXCERPT_WORDS) -> list[str]:
    """The body's first paragraphs as plain text, about `words` words in all (the last one cut
    at a word, with an ellipsis, where it runs over by much)."""
    paragraphs: list[str] = []
    count = 0
    for block in story.body:
        if block.block_type != "paragraph":
            continue
        text = block_text(block)
        if not text:
            continue
        text_words = text.split()
        room = words - count
        if len(text_words) > room + 30:
            paragraphs.append(" ".join(text_words[: max(room, 30)]) + "…")
            break
        paragraphs.append(text)
        count += len(text_words)
        if count >= words:
            break
    return paragraphs


def hero_picture(story: ArticlePage) -> dict | None:
    """The hero image as a JPEG rendition (mail clients show it, unlike WebP/AVIF)."""
    if story.hero_image is None:
        return None
    try:
        rendition = story.hero_image.get_rendition(HERO_RENDITION)
    except SourceImageIOError:  # the file is missing: send the story without its picture
        return None
    height = round(HERO_WIDTH * rendition.height / rendition.width) if rendition.width else 0
    return {
        "url": absolute_url(rendition.url),
        "width": HERO_WIDTH,
        "height": height or HERO_HEIGHT,
        "alt": story.hero_alt,
        "credit": story.hero_credit,
    }


# --- Digests -----------------------------------------------------------------------------------


def compose_digest(mailing: Mailing, language: str) -> Composed | None:
    """The stories first published in the mailing's period, newest first, or None if none."""
    if mailing.period_start is None or mailing.period_end is None:
        return None
    stories = stories_first_published(mailing.period_start, mailing.period_end)
    if not stories:
        return None
    shown, more = stories[:DIGEST_MAX_STORIES], len(stories) - DIGEST_MAX_STORIES
    with translation.override(language):
        outlet = outlet_name()
        last_day = mailing.period_end - timedelta(microseconds=1)
        if mailing.kind == Mailing.DAILY:
            subject = gettext("Your daily digest: %(date)s") % {"date": local_date(last_day)}
            heading = gettext("The day's stories")
        else:
            subject = gettext("This week at %(outlet)s: %(start)s – %(end)s") % {  # noqa: RUF001
                "outlet": outlet,
                "start": local_date(mailing.period_start),
                "end": local_date(last_day),
            }
            heading = gettext("The week's stories")
        context = {
            "heading": heading,
            "cards": story_cards(shown, language),
            "more": max(more, 0),
            "home_url": home_url(language),
        }
        return render("digest", subject, context, language)


def stories_first_published(start: datetime, end: datetime) -> list[Versions]:
    """The live, public stories whose first publication (in any language) fell in
    [start, end), newest first."""
    keys = ArticlePage.objects.filter(
        first_published_at__gte=start, first_published_at__lt=end
    ).values("translation_key")
    stories = [
        versions
        for versions in load_versions(keys).values()
        if versions.original() is not None
        and versions.first_published_at is not None
        and start <= versions.first_published_at < end
    ]
    stories.sort(key=lambda versions: versions.first_published_at, reverse=True)
    return stories


# --- An editor's issue -------------------------------------------------------------------------


def compose_issue(issue: NewsletterIssue) -> Composed:
    """The editor's introduction, then the chosen stories in order, in the issue's language.
    Works on an unsaved issue with its stories in memory (the admin's preview)."""
    language = issue.language
    chosen = sorted(
        issue.issue_articles.all(),
        key=lambda item: item.sort_order if item.sort_order is not None else 0,
    )
    article_ids = [item.article_id for item in chosen if item.article_id]
    keys_by_id = dict(Page.objects.filter(pk__in=article_ids).values_list("pk", "translation_key"))
    loaded = load_versions(set(keys_by_id.values()))
    stories = []
    # Each story once, in the editor's order (two language versions of one story are one).
    story_keys = [keys_by_id[pk] for pk in article_ids if pk in keys_by_id]
    for key in dict.fromkeys(story_keys):
        versions = loaded.get(key)
        if versions is not None and versions.original() is not None:
            stories.append(versions)
    with translation.override(language):
        intro = absolute_links(expand_db_html(issue.intro or ""))
        context = {
            "intro_html": intro,
            "intro_text": html_as_text(intro),
            "cards": story_cards(stories, language),
        }
        return render("issue", issue.subject, context, language)


def absolute_links(markup: str) -> str:
    """Rich text with its site-relative links and images made absolute (an e-mail has no
    site to be relative to)."""
    base = settings.WAGTAILADMIN_BASE_URL
    return re.sub(r'(\s(?:href|src)=")/(?!/)', lambda match: f"{match[1]}{base}/", markup)


def html_as_text(markup: str) -> str:
    """Simple HTML (expanded rich text) as plain text: one paragraph or list item a line, links
    written out."""
    markup = re.sub(
        r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda match: f"{match[2]} ({match[1]})",
        markup,
        flags=re.IGNORECASE | re.DOTALL,
    )
    markup = re.sub(r"<li[^>]*>", "- ", markup, flags=re.IGNORECASE)
    markup = re.sub(r"</(?:p|li|h\d|ul|ol)>|<br\s*/?>", "\n", markup, flags=re.IGNORECASE)
    lines = (" ".join(line.split()) for line in unescape(strip_tags(markup)).splitlines())
    return "\n".join(line for line in lines if line)


# --- Shared pieces -----------------------------------------------------------------------------


def load_versions(keys) -> dict:
    """Every version of the stories with these translation keys, by key: one query for the
    pages (with whether each lies in a private section), one for their bylines."""
    pages = (
        ArticlePage.objects.filter(translation_key__in=keys)
        .annotate(private=in_private_section())
        .select_related("locale", "hero_image")
        .for_listing()
    )
    found: dict = defaultdict(Versions)
    for page in pages:
        found[page.translation_key].pages.append(page)
    return dict(found)


def story_cards(stories: list[Versions], language: str) -> list[StoryCard]:
    """A card for each story, in the reader's language where it has a translation."""
    pages = [versions.for_reader(language) for versions in stories]
    sections = section_titles(pages)
    authors = reader_authors(pages, language)
    return [
        StoryCard(
            headline=page.title,
            url=absolute_url(page.get_url()),
            dek=page.dek,
            section=sections.get(page.pk, ""),
            byline=byline_text(authors[page.pk]),
            other_language=(
                in_language(page.locale.language_code)
                if page.locale.language_code != language
                else ""
            ),
        )
        for page in pages
    ]


def section_titles(pages: list[ArticlePage]) -> dict[int, str]:
    """Each page's section title (its parent's), in one query for them all."""
    parent_paths = {page.pk: page.path[: -Page.steplen] for page in pages}
    titles = dict(
        Page.objects.filter(path__in=set(parent_paths.values())).values_list("path", "title")
    )
    return {pk: titles.get(path, "") for pk, path in parent_paths.items()}


def reader_authors(pages: list[ArticlePage], language: str) -> dict[int, list[Author]]:
    """Each page's authors in byline order, each as its copy in `language` where it has one."""
    authors = {page.pk: page.authors for page in pages}
    keys = {author.translation_key for names in authors.values() for author in names}
    copies = {}
    if keys:
        copies = {
            copy.translation_key: copy
            for copy in Author.objects.filter(
                translation_key__in=keys, locale__language_code=language
            )
        }
    return {
        pk: [copies.get(author.translation_key, author) for author in names]
        for pk, names in authors.items()
    }


def byline_text(authors: list[Author]) -> str:
    """ "By A", "By A and B", "By A, B and C" in the active language ("" with no author)."""
    names = [author.name for author in authors]
    if not names:
        return ""
    if len(names) == 1:
        joined = names[0]
    else:
        separator = pgettext("between names in a byline", ", ")
        last = pgettext("before the last name in a byline", " and ")
        joined = separator.join(names[:-1]) + last + names[-1]
    return gettext("By %(authors)s") % {"authors": joined}


def in_language(code: str) -> str:
    """ "in English", "in French"... in the active language (for notes about a story shown in
    a language other than the reader's)."""
    names = {
        "en": pgettext("shown in a language", "in English"),
        "fr": pgettext("shown in a language", "in French"),
        "de": pgettext("shown in a language", "in German"),
        "it": pgettext("shown in a language", "in Italian"),
        "pt": pgettext("shown in a language", "in Portuguese"),
        "ru": pgettext("shown in a language", "in Russian"),
        "es": pgettext("shown in a language", "in Spanish"),
        "zh-hans": pgettext("shown in a language", "in Chinese"),
    }
    return names.get(code, code)


def language_note(reader_language: str, story_language: str) -> str:
    """The note above a story that has no translation in the reader's language yet."""
    if reader_language == story_language:
        return ""
    return gettext(
        "This story is not yet available %(in_reader_language)s; here it is %(in_original)s."
    ) % {
        "in_reader_language": in_language(reader_language),
        "in_original": in_language(story_language),
    }


def local_date(moment: datetime) -> str:
    """A date in the site's time zone, written the active language's way."""
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return date_format(local.date(), "DATE_FORMAT")


def absolute_url(url: str | None) -> str:
    if not url:
        return settings.WAGTAILADMIN_BASE_URL + "/"
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL + url


def home_url(language: str) -> str:
    prefix = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    return settings.WAGTAILADMIN_BASE_URL + prefix


def outlet_name() -> str:
    return newsroom_name(Site.objects.filter(is_default_site=True).first())


def render(template: str, subject: str, context: dict, language: str) -> Composed:
    """Both parts of a mailing's content from its templates (under the active language)."""
    html = render_to_string(f"newsletter/emails/content/{template}.html", context)
    text = render_to_string(f"newsletter/emails/content/{template}.txt", context)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return Composed(
        subject=" ".join(subject.split()), html=html.strip(), text=text, language=language
    )
