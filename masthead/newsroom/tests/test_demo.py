"""`manage.py load_demo`: a complete demo newsroom, and safe to run again."""

import io

import pytest
from django.core.management import call_command
from taggit.models import Tag
from wagtail.models import Site

from masthead.newsroom.models import ArticlePage, Author, HomePage, NewsroomSettings, SectionPage

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def test_demo_newsroom_is_complete_and_every_story_reads_well(client):
    load_demo()
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    assert SectionPage.objects.live().count() == 3
    assert Author.objects.count() == 3
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
    story = ArticlePage.objects.order_by("pk").first()
    slug, total = story.slug, ArticlePage.objects.count()
    story.delete()
    output = load_demo()
    assert f"+ article {slug!r}" in output
    assert ArticlePage.objects.count() == total
