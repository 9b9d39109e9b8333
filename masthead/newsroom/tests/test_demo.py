"""`manage.py load_demo`: a complete demo newsroom, and safe to run again."""

import io
import re

import pytest
from django.core.management import call_command
from taggit.models import Tag
from wagtail.models import Locale, Site

from masthead.newsroom.demo.human_translations import available_languages
from masthead.newsroom.models import ArticlePage, Author, HomePage, NewsroomSettings, SectionPage
from masthead.related.models import RelatedArticle
from masthead.translation.models import TranslationRecord

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def test_demo_newsroom_is_complete_and_every_story_reads_well(client):
    load_demo()
    english = Locale.objects.get(language_code="en")
    articles = ArticlePage.objects.live().filter(locale=english)
    assert articles.count() >= 12
    assert SectionPage.objects.live().filter(locale=english).count() == 3
    assert Author.objects.filter(locale=english).count() == 3
    assert all(author.bio and author.photo for author in Author.objects.all())
    assert Tag.objects.count() >= 5
    assert {page.article_type for page in articles} == {
        "news",
        "analysis",
        "opinion",
        "investigation",
    }

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    settings = NewsroomSettings.for_site(site)
    assert settings.default_editors_note is not None
    assert site.root_page.specific.lead_story is not None

    for article in articles.specific():
        assert article.hero_image and article.hero_alt, article.slug
        response = client.get(article.url)
        assert response.status_code == 200, article.url
        html = response.content.decode()
        assert "{supporters}" not in html
        assert "consistent financial supporters" in html
        assert html.count('class="card-title"') == 4  # More Articles


def test_running_it_again_creates_nothing_and_keeps_editors_changes(client):
    load_demo()
    story = ArticlePage.objects.live().order_by("pk").first()
    story.title = "An editor changed this headline"
    story.save_revision().publish()
    counts = (ArticlePage.objects.count(), Author.objects.count(), SectionPage.objects.count())

    output = load_demo()
    assert "everything is in place already" in output
    assert (
        ArticlePage.objects.count(),
        Author.objects.count(),
        SectionPage.objects.count(),
    ) == counts
    assert ArticlePage.objects.get(pk=story.pk).title == "An editor changed this headline"
    assert "An editor changed this headline" in client.get("/").content.decode()


def test_a_deleted_demo_story_comes_back_and_nothing_else_changes():
    load_demo()
    story = next(page for page in ArticlePage.objects.order_by("pk") if not page.get_translations())
    slug, total = story.slug, ArticlePage.objects.count()
    story.delete()
    output = load_demo()
    assert f"+ article {slug!r}" in output
    assert ArticlePage.objects.count() == total


def test_the_lead_and_two_more_stories_read_in_all_eight_languages_and_the_rest_say_so(client):
    load_demo()
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert sorted(available_languages()) == sorted(["de", "es", "fr", "it", "pt", "ru", "zh-hans"])
    lead_url = re.search(
        r'class="lead".*?<a href="([^"]+)"', client.get("/").content.decode(), re.S
    ).group(1)
    lead = ArticlePage.objects.get(pk=home.lead_story_id)
    assert lead_url == lead.url

    translated = [
        page
        for page in ArticlePage.objects.live().filter(locale__language_code="en")
        if page.get_translations().live().count() == 7
    ]
    assert lead in translated
    assert len(translated) >= 3
    for article in translated:
        english_bio = article.authors[0].bio
        for version in article.get_translations().live().specific():
            code = version.locale.language_code
            html = client.get(version.url).content.decode()
            assert f'lang="{code if code != "zh-hans" else "zh-Hans"}"' in html
            assert '<p class="translation-notice">' in html, version.url  # reviewed, not machine
            assert "{supporters}" not in html
            assert english_bio not in html  # the author's bio is translated too
            record = TranslationRecord.objects.for_instance(article).get(locale=version.locale)
            assert record.state == TranslationRecord.REVIEWED

    # The other stories show every missing language as such.
    untranslated = next(
        page
        for page in ArticlePage.objects.live().filter(locale__language_code="en")
        if not page.get_translations().exists()
    )
    html = client.get(untranslated.url).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert switcher.count('class="unavailable"') == 7


def test_the_demo_can_be_found_by_search_and_relates_its_stories(client):
    load_demo()
    english = Locale.objects.get(language_code="en")
    articles = list(ArticlePage.objects.live().filter(locale=english).order_by("pk"))
    story = articles[0]
    word = max(re.findall(r"\w+", story.title), key=len)

    results = client.get("/search/", {"q": word}).content.decode()

    assert f'href="{story.url}"' in results
    related = RelatedArticle.objects.filter(article__in=articles)
    assert {row.article_id for row in related} >= {page.pk for page in articles[:3]}
    assert not related.exclude(related__locale=english).exists()
