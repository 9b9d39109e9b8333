"""`manage.py load_bench_data`: generated articles in bulk that readers' pages serve like any."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from wagtail.models import Page

from masthead.newsroom.models import ArticlePage, Author, HomePage, SectionPage
from masthead.translation.models import TranslationRecord


def load(*arguments: str) -> str:
    out = io.StringIO()
    call_command("load_bench_data", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def bench(small_newsroom):
    """The small test newsroom with 300 generated articles, a fifth of them translated."""
    from wagtail.models import Locale

    french = Locale.objects.get(language_code="fr")
    small_newsroom.home.copy_for_translation(french).save_revision().publish()
    load("--articles", "300", "--sections", "4", "--authors", "12", "--tags", "30",
         "--translated-share", "0.2", "--seed", "7")  # fmt: skip
    return small_newsroom


def bench_articles():
    return ArticlePage.objects.filter(slug__startswith="bench-")


def test_articles_are_live_in_sections_with_authors_tags_and_translations(bench):
    english = bench_articles().filter(locale=bench.home.locale)
    assert english.count() == 300
    assert not bench_articles().filter(live=False).exists()
    # The site's two sections and two generated ones, each with its share.
    sections = SectionPage.objects.child_of(bench.home)
    assert sections.count() == 4
    for section in sections:
        assert ArticlePage.objects.child_of(section).live().exists()
        assert section.numchild == ArticlePage.objects.child_of(section).count()
    assert not english.filter(article_authors=None).exists()
    assert english.exclude(tagged_items=None).count() > 150
    translated = bench_articles().exclude(locale=bench.home.locale)
    assert 30 <= translated.count() <= 120
    for copy in translated[:5]:
        original = english.get(translation_key=copy.translation_key)
        assert copy.get_parent().translation_key == original.get_parent().translation_key
        assert copy.url_path.endswith(f"/{original.slug}/")
        assert TranslationRecord.objects.filter(
            object_id=copy.translation_key, locale=copy.locale
        ).exists()
    # Treebeard finds nothing wrong with the tree's paths, depths and child counts.
    assert Page.find_problems() == ([], [], [], [], [])


def test_reader_pages_serve_generated_articles(bench):
    client = Client()
    article = bench_articles().filter(locale=bench.home.locale).order_by("pk").first()
    author = article.authors[0]
    section = article.get_parent().specific

    response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.text and author.name in response.text

    response = client.get(section.url)
    assert response.status_code == 200
    assert "Page 1 of" in response.text

    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    newest = author.articles().first()
    assert newest.title in response.text

    translation = bench_articles().exclude(locale=bench.home.locale).first()
    response = client.get(translation.url)
    assert response.status_code == 200
    assert translation.title in response.text

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert f"/sitemaps/en/sections/{section.slug}.xml".encode() in response.content
    response = client.get(f"/sitemaps/en/sections/{section.slug}.xml")
    assert response.status_code == 200
    assert f"/{section.slug}/{article.slug}/</loc>".encode() in response.content


def test_a_second_run_is_refused_unless_replace(bench):
    before = set(bench_articles().values_list("pk", flat=True))
    with pytest.raises(CommandError, match="--replace"):
        load("--articles", "10")
    assert set(bench_articles().values_list("pk", flat=True)) == before

    load("--replace", "--articles", "20", "--sections", "4", "--authors", "3", "--tags", "5")
    assert bench_articles().filter(locale=bench.home.locale).count() == 20
    assert not bench_articles().filter(pk__in=before).exists()
    assert Author.objects.filter(slug__startswith="bench-").count() == 3
    # The generated sections were made again, not doubled.
    assert SectionPage.objects.child_of(bench.home).count() == 4
    assert HomePage.objects.get(pk=bench.home.pk).numchild == 4


def test_it_needs_a_newsroom(db):
    Page.objects.filter(depth__gt=1).delete()
    with pytest.raises(CommandError, match="load_demo"):
        load("--articles", "5")


def test_no_story_is_published_or_changed_after_now(bench, monkeypatch):
    """Republished stories and their translations are changed after they first came out, but
    never later than the load: a date in the future would put them ahead of every real story
    (and of the sitemaps' "last changed")."""
    from django.db.models import F, Q
    from django.utils import timezone

    from masthead.newsroom.management.commands import load_bench_data

    # Five years squeezed into two hours: most republications would land in the future.
    monkeypatch.setattr(load_bench_data, "YEARS", 2 / (24 * 365))
    load("--replace", "--articles", "200", "--sections", "4", "--authors", "12", "--tags", "30",
         "--translated-share", "0.5")  # fmt: skip
    now = timezone.now()

    articles = bench_articles()
    assert articles.exclude(locale=bench.home.locale).count() > 50  # translations
    assert articles.filter(last_published_at__gt=F("first_published_at")).count() > 20
    assert not articles.filter(Q(first_published_at__gt=now) | Q(last_published_at__gt=now))
    assert not articles.filter(last_published_at__lt=F("first_published_at")).exists()
