"""What the newsletters say: a new story, a digest and an editor's issue, each in the reader's
language where the stories have translations (real pages, real translations, real images)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from wagtail.models import PageViewRestriction

from masthead.newsletter.composing import compose
from masthead.newsletter.models import IssueArticle, Mailing, NewsletterIssue
from masthead.testing.content import make_image
from masthead.testing.translation import translate_page

LONG_PARAGRAPH = " ".join(f"word{n}" for n in range(160))


@pytest.fixture
def desk(newsroom):
    section = newsroom.section("World")
    ana = newsroom.author("Ana Ferreira")
    li = newsroom.author("Li Wen")
    return newsroom, section, ana, li


def said_in(language: str, message: str, context: str = "", **values) -> str:
    """A message of the newsletter as readers of `language` see it (the catalogs' wording)."""
    with translation.override(language):
        text = pgettext(context, message) if context else gettext(message)
    return text % values if values else text


def article_mailing(page) -> Mailing:
    return Mailing.objects.get(key=f"article:{page.translation_key}")


def test_a_new_story_in_its_own_language(desk):
    newsroom, section, ana, li = desk
    hero = make_image("Flooded street", description="A street under water", size=(1600, 900))
    story = newsroom.article(
        section,
        "River floods the old town",
        [ana, li],
        dek="Hundreds of homes evacuated overnight & more to come.",
        hero_image=hero,
        paragraphs=("The river rose two metres.", LONG_PARAGRAPH, "Never shown."),
    )
    composed = compose(article_mailing(story), "en")

    assert composed.subject == "River floods the old town"
    assert composed.language == "en"
    page_url = settings.WAGTAILADMIN_BASE_URL + "/world/river-floods-the-old-town/"
    assert f'href="{page_url}"' in composed.html
    assert "Read the full story" in composed.html
    assert "By Ana Ferreira and Li Wen" in composed.html
    assert "WORLD" in composed.text and "World" in composed.html
    assert "Hundreds of homes evacuated overnight &amp; more to come." in composed.html
    assert "The river rose two metres." in composed.html
    assert "word100" in composed.html  # the excerpt runs to about 150 words...
    assert "Never shown." not in composed.html and "Never shown." not in composed.text
    assert timezone.localdate().strftime("%Y") in composed.text
    # The hero as an absolute JPEG rendition, with its size and alt text.
    image = re.search(r"<img [^>]*>", composed.html)[0]
    assert re.search(rf'src="{re.escape(settings.WAGTAILADMIN_BASE_URL)}/[^"]+\.jpg"', image)
    assert 'width="560" height="315"' in image and 'alt="A street under water"' in image
    assert "<script" not in composed.html and "<style" not in composed.html
    # Plain text: readable, the link written out, no markup or escaped entities.
    assert f"Read the full story: {page_url}" in composed.text
    assert "& more to come." in composed.text
    assert "<" not in composed.text


def test_a_french_reader_gets_the_translation_or_the_original_with_a_note(desk):
    newsroom, section, ana, _li = desk
    translated = newsroom.article(section, "Budget passes", [ana])
    translate_page(translated, "fr")
    untranslated = newsroom.article(section, "Storm warning", [ana])

    french = compose(article_mailing(translated), "fr")
    assert french.subject == "[fr] Budget passes"
    assert french.language == "fr"
    assert settings.WAGTAILADMIN_BASE_URL + "/fr/world/budget-passes/" in french.text
    assert said_in("fr", "Read the full story") in french.text
    assert "Storm" not in french.text

    original = compose(article_mailing(untranslated), "fr")
    assert original.subject == "Storm warning"
    assert original.language == "fr"  # the note and the labels are in French
    note = said_in(
        "fr",
        "This story is not yet available %(in_reader_language)s; here it is %(in_original)s.",
        in_reader_language=said_in("fr", "in French", "shown in a language"),
        in_original=said_in("fr", "in English", "shown in a language"),
    )
    assert note in original.text
    assert settings.WAGTAILADMIN_BASE_URL + "/world/storm-warning/" in original.text


def test_the_date_is_written_the_readers_way(desk):
    newsroom, section, ana, _li = desk
    story = newsroom.article(section, "Budget passes", [ana])
    german = compose(article_mailing(story), "de")
    month = timezone.localdate().month
    german_months = [
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
        "August", "September", "Oktober", "November", "Dezember",
    ]  # fmt: skip
    assert german_months[month - 1] in german.text
    assert said_in("de", "By %(authors)s", authors="Ana Ferreira") in german.text


def test_a_story_that_is_gone_or_old_is_not_mailed(desk):
    newsroom, section, ana, _li = desk
    withdrawn = newsroom.article(section, "Withdrawn", [ana])
    mailing = article_mailing(withdrawn)
    withdrawn.unpublish()
    assert compose(mailing, "en") is None

    members_only = newsroom.section("Members")
    private = newsroom.article(members_only, "For members", [ana])
    mailing = article_mailing(private)
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    assert compose(mailing, "en") is None

    deleted = newsroom.article(section, "Deleted", [ana])
    mailing = article_mailing(deleted)
    deleted.delete()
    mailing.refresh_from_db()
    assert compose(mailing, "en") is None

    # Published, then backdated (as imports and the demo loader do): never mailed as new.
    backdated = newsroom.article(section, "Old news", [ana])
    mailing = article_mailing(backdated)
    type(backdated).objects.filter(pk=backdated.pk).update(
        first_published_at=timezone.now() - timedelta(days=5)
    )
    assert compose(mailing, "en") is None


def digest(kind, start, end) -> Mailing:
    return Mailing(kind=kind, key=f"{kind}:test", period_start=start, period_end=end)


def test_a_digest_lists_the_periods_stories_newest_first(desk):
    newsroom, section, ana, li = desk
    now = timezone.now()
    before = newsroom.article(section, "Before the period", [ana], now - timedelta(hours=30))
    older = newsroom.article(section, "Morning story", [ana], now - timedelta(hours=20), dek="Dek")
    newer = newsroom.article(section, "Evening story", [li], now - timedelta(hours=2))
    translate_page(newer, "fr")
    translate_page(before, "fr")  # a translation published now of an older story: not new
    newsroom.article(section, "Draft", [ana], publish=False)

    composed = compose(digest(Mailing.DAILY, now - timedelta(hours=24), now), "fr")
    in_english = said_in("fr", "in English", "shown in a language")
    assert composed.subject.startswith(said_in("fr", "Your daily digest: %(date)s", date=""))
    assert "[fr] Evening story" in composed.html
    assert "Morning story" in composed.html and f"({in_english})" in composed.html
    assert composed.html.index("Evening story") < composed.html.index("Morning story")
    assert "Before the period" not in composed.html and "Draft" not in composed.html
    assert settings.WAGTAILADMIN_BASE_URL + "/fr/world/evening-story/" in composed.text
    assert settings.WAGTAILADMIN_BASE_URL + "/world/morning-story/" in composed.text
    assert said_in("fr", "By %(authors)s", authors="Li Wen") in composed.text
    assert older.dek in composed.text

    english = compose(digest(Mailing.DAILY, now - timedelta(hours=24), now), "en")
    assert english.subject == "Your daily digest: " + english.subject.split(": ", 1)[1]
    assert "(in English)" not in english.html
    assert "Evening story" in english.html and "[fr]" not in english.html


def test_a_quiet_period_has_no_digest(desk):
    newsroom, section, ana, _li = desk
    now = timezone.now()
    newsroom.article(section, "Last week", [ana], now - timedelta(days=8))
    unpublished = newsroom.article(section, "Withdrawn", [ana], now - timedelta(hours=3))
    unpublished.unpublish()
    assert compose(digest(Mailing.WEEKLY, now - timedelta(days=7), now), "en") is None


def test_a_weekly_digest_names_the_outlet_and_caps_its_list(desk, monkeypatch):
    from masthead.newsletter import composing

    newsroom, section, ana, _li = desk
    now = timezone.now()
    for hours in range(1, 6):
        newsroom.article(section, f"Story {hours}", [ana], now - timedelta(hours=hours))
    monkeypatch.setattr(composing, "DIGEST_MAX_STORIES", 3)
    composed = compose(digest(Mailing.WEEKLY, now - timedelta(days=7), now), "en")
    assert composed.subject.startswith("This week at The Test Ledger: ")
    assert "Story 3" in composed.html and "Story 4" not in composed.html
    assert f"And 2 more stories on the site: {settings.WAGTAILADMIN_BASE_URL}/" in composed.text


def test_an_unsaved_issue_previews_with_its_stories_in_order(desk, django_assert_max_num_queries):
    newsroom, section, ana, _li = desk
    first = newsroom.article(section, "Chosen first", [ana], timezone.now() - timedelta(days=30))
    second = newsroom.article(section, "Chosen second", [ana])
    translate_page(second, "de")
    issue = NewsletterIssue(
        subject="Our week in review",
        language="de",
        intro=f'<p>Hallo! Read <a linktype="page" id="{first.pk}">this</a> and '
        '<a href="/about/">about us</a>.</p>',
    )
    issue.issue_articles = [
        IssueArticle(article=second, sort_order=0),
        IssueArticle(article=first, sort_order=1),
    ]
    mailing = Mailing(kind=Mailing.ISSUE, issue=issue)

    with django_assert_max_num_queries(12):
        composed = compose(mailing, "en")

    assert composed.subject == "Our week in review"
    assert composed.language == "de"
    base = settings.WAGTAILADMIN_BASE_URL
    assert f'href="{base}/world/chosen-first/"' in composed.html
    assert f'href="{base}/about/"' in composed.html
    assert composed.html.index("[de] Chosen second") < composed.html.index("Chosen first")
    assert "({})".format(said_in("de", "in English", "shown in a language")) in composed.html
    assert f"this ({base}/world/chosen-first/)" in composed.text
    assert NewsletterIssue.objects.count() == 0
