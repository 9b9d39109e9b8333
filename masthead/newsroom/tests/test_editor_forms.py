"""Bad input in the page editor: clear errors on the form, and nothing half-saved.

Every test posts to Wagtail's real add and edit views, the way the editor's browser does.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from masthead.editorial.roles import EDITORS
from masthead.newsroom.models import HEADLINE_MAX_LENGTH, ArticleAuthor, ArticlePage
from masthead.testing.content import make_image
from masthead.testing.editor import HEADLINE, add_url, article_form, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(small_newsroom):
    return small_newsroom.home.get_children().get(slug="canada").specific


@pytest.fixture
def author(small_newsroom):
    return small_newsroom.author("Maya Okafor")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user(username="eddie", password="unused-password-1")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser(
        username="admin", email="admin@example.com", password="unused-password-2"
    )
    client.force_login(user)
    return user


def page_form_errors(response) -> dict:
    """The errors the re-rendered editor shows, by field."""
    assert response.status_code == 200, "the editor did not come back with the form"
    form = response.context["form"]
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def body_errors(response) -> list[str]:
    """The messages the body's stream editor shows above its blocks."""
    [error] = response.context["form"].errors.as_data()["body"]
    return error.as_json_data()["messages"]


def assert_shows(response, text: str) -> None:
    assert text in response.content.decode(), f"{text!r} is not on the re-rendered form"


def assert_says_not_created(response) -> None:
    assert_shows(response, "The page could not be created due to validation errors.")


# --- Slugs ----------------------------------------------------------------------------------


def test_duplicate_slug_in_the_same_section_is_refused(client, editor, section, author):
    taken = ArticlePage.objects.child_of(section).first().slug
    count = ArticlePage.objects.count()

    response = client.post(add_url(section), article_form(author, slug=taken))

    errors = page_form_errors(response)
    assert set(errors) == {"slug"}
    assert taken in errors["slug"] and "already in use" in errors["slug"]
    assert_shows(response, "already in use")
    assert_says_not_created(response)
    assert ArticlePage.objects.count() == count


def test_the_same_slug_in_another_section_is_fine(client, editor, small_newsroom, author):
    analysis = small_newsroom.home.get_children().get(slug="analysis")
    canada_slug = "canada-story-1-days-old"

    response = client.post(add_url(analysis), article_form(author, slug=canada_slug))

    assert response.status_code == 302
    assert ArticlePage.objects.filter(slug=canada_slug).count() == 2


def test_renaming_to_a_sibling_slug_leaves_the_article_as_it_was(client, editor, section, author):
    article = ArticlePage.objects.child_of(section).get(slug="canada-story-3-days-old")
    revisions = article.revisions.count()

    response = client.post(
        edit_url(article),
        article_form(author, title="Renamed", slug="canada-story-1-days-old"),
    )

    errors = page_form_errors(response)
    assert "already in use" in errors["slug"]
    article.refresh_from_db()
    assert article.slug == "canada-story-3-days-old"
    assert article.title == "Canada story 3 days old"
    assert article.revisions.count() == revisions


# --- Required fields ------------------------------------------------------------------------
# Wagtail lets a plain "Save draft" skip most required fields (min_num of inlines included),
# so that work in progress is never lost; publishing and submitting for review check them all.

PUBLISH = {"action-publish": "Publish"}
SAVE_OR_PUBLISH = pytest.mark.parametrize("action", [{}, PUBLISH], ids=["draft", "publish"])


@SAVE_OR_PUBLISH
def test_empty_title_is_required(client, editor, section, author, action):
    count = ArticlePage.objects.count()

    response = client.post(add_url(section), article_form(author, title="", **action))

    errors = page_form_errors(response)
    assert "This field is required." in errors["title"]
    assert_says_not_created(response)
    assert ArticlePage.objects.count() == count


@SAVE_OR_PUBLISH
def test_an_empty_author_row_is_refused(client, editor, section, action):
    count = ArticlePage.objects.count()
    bylines = ArticleAuthor.objects.count()

    response = client.post(add_url(section), article_form(author=None, **action))

    assert response.status_code == 200
    formset = response.context["form"].formsets["article_authors"]
    assert not formset.is_valid()
    assert "This field is required." in formset.errors[0]["author"]
    assert_says_not_created(response)
    assert ArticlePage.objects.count() == count
    assert ArticleAuthor.objects.count() == bylines


def without_authors(data: dict) -> dict:
    data = {key: value for key, value in data.items() if not key.startswith("article_authors-")}
    data.update(nested_form_data({"article_authors": inline_formset([], min=1)}))
    return data


def test_publishing_without_any_author_is_refused(client, editor, section):
    count = ArticlePage.objects.count()

    response = client.post(add_url(section), without_authors(article_form(**PUBLISH)))

    assert response.status_code == 200
    formset = response.context["form"].formsets["article_authors"]
    assert "Please submit at least 1 form." in " ".join(formset.non_form_errors())
    assert_shows(response, "Please submit at least 1 form.")
    assert_says_not_created(response)
    assert ArticlePage.objects.count() == count


def test_publishing_with_an_empty_body_is_refused(client, editor, section, author):
    count = ArticlePage.objects.count()

    response = client.post(add_url(section), article_form(author, body=streamfield([]), **PUBLISH))

    errors = page_form_errors(response)
    assert "body" in errors
    assert body_errors(response) == ["This field is required."]
    assert_says_not_created(response)
    assert ArticlePage.objects.count() == count


def test_an_incomplete_draft_saves_but_cannot_be_published(client, editor, section):
    response = client.post(add_url(section), without_authors(article_form(body=streamfield([]))))

    assert response.status_code == 302
    draft = ArticlePage.objects.child_of(section).get(slug="harbour-audits")
    assert not draft.live

    response = client.post(
        edit_url(draft), without_authors(article_form(body=streamfield([]), **PUBLISH))
    )

    errors = page_form_errors(response)
    assert "body" in errors
    assert body_errors(response) == ["This field is required."]
    assert_shows(response, "The page could not be saved due to validation errors")
    draft.refresh_from_db()
    assert not draft.live
    assert client.get(draft.url).status_code == 404


# --- The headline ---------------------------------------------------------------------------


def test_over_long_headline_names_the_limit(client, editor, section, author):
    count = ArticlePage.objects.count()
    headline = ("Harbour " * 30).strip()  # fits Page.title (255), not a headline
    assert HEADLINE_MAX_LENGTH < len(headline) <= 255

    response = client.post(add_url(section), article_form(author, title=headline))

    errors = page_form_errors(response)
    assert f"at most {HEADLINE_MAX_LENGTH} characters" in errors["title"]
    assert f"this one has {len(headline)}" in errors["title"]
    assert_shows(response, f"Headlines can be at most {HEADLINE_MAX_LENGTH} characters")
    assert ArticlePage.objects.count() == count


def test_headline_of_exactly_the_limit_is_accepted(client, editor, section, author):
    headline = "H" * HEADLINE_MAX_LENGTH

    response = client.post(add_url(section), article_form(author, title=headline))

    assert response.status_code == 302
    assert ArticlePage.objects.child_of(section).get(slug="harbour-audits").title == headline


def test_over_long_headline_edit_is_refused_and_the_old_one_kept(client, editor, section, author):
    article = ArticlePage.objects.child_of(section).get(slug="canada-story-1-days-old")
    revisions = article.revisions.count()

    response = client.post(
        edit_url(article),
        article_form(author, title="X" * (HEADLINE_MAX_LENGTH + 1), slug=article.slug),
    )

    errors = page_form_errors(response)
    assert f"at most {HEADLINE_MAX_LENGTH} characters" in errors["title"]
    article.refresh_from_db()
    assert article.title == "Canada story 1 days old"
    assert article.revisions.count() == revisions


# --- The hero image's alt text --------------------------------------------------------------


def test_hero_image_without_any_alt_text_is_refused(client, editor, section, author):
    image = make_image("Harbour cranes", description="")
    count = ArticlePage.objects.count()

    response = client.post(
        add_url(section), article_form(author, hero_image=str(image.pk), hero_alt_text="")
    )

    errors = page_form_errors(response)
    assert set(errors) == {"hero_alt_text"}
    assert "Add alt text for the hero image" in errors["hero_alt_text"]
    assert_shows(response, "Add alt text for the hero image")
    assert ArticlePage.objects.count() == count


def test_hero_image_with_alt_text_saves(client, editor, section, author):
    image = make_image("Harbour cranes", description="")

    response = client.post(
        add_url(section),
        article_form(author, hero_image=str(image.pk), hero_alt_text="Cranes at dawn"),
    )

    assert response.status_code == 302
    article = ArticlePage.objects.child_of(section).get(slug="harbour-audits")
    assert article.hero_image == image
    assert article.hero_alt == "Cranes at dawn"


def test_hero_image_with_its_own_description_needs_no_alt_text(client, editor, section, author):
    image = make_image("Harbour cranes", description="Cranes over a harbour")

    response = client.post(
        add_url(section), article_form(author, hero_image=str(image.pk), hero_alt_text="")
    )

    assert response.status_code == 302
    article = ArticlePage.objects.child_of(section).get(slug="harbour-audits")
    assert article.hero_alt == "Cranes over a harbour"


# --- A good article -------------------------------------------------------------------------


def test_editor_publishes_a_valid_article_and_readers_see_it(client, editor, section, author):
    response = client.post(add_url(section), article_form(author, **{"action-publish": "Publish"}))

    assert response.status_code == 302
    article = ArticlePage.objects.child_of(section).get(slug="harbour-audits")
    assert article.live
    assert [byline.author for byline in article.article_authors.all()] == [author]
    assert sorted(article.tags.names()) == ["audits", "ports"]
    client.logout()
    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h1 class="headline">{HEADLINE}</h1>' in html
    assert "The audits never happened." in html
    assert "Maya Okafor" in html


def test_superuser_sees_a_saved_draft_but_readers_do_not(client, superuser, section, author):
    response = client.post(add_url(section), article_form(author))

    assert response.status_code == 302
    article = ArticlePage.objects.child_of(section).get(slug="harbour-audits")
    assert not article.live
    client.logout()
    assert client.get(article.url).status_code == 404


def test_preview_of_a_new_article_shows_the_reader_page(client, editor, section, author):
    url = reverse("wagtailadmin_pages:preview_on_add", args=("newsroom", "articlepage", section.pk))
    hero = make_image("Preview hero", description="A quay at night")
    form = article_form(author, hero_image=str(hero.pk), hero_caption="The quay.")
    assert client.post(url, form).json()["is_valid"] is True

    preview = client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert f'<h1 class="headline">{HEADLINE}</h1>' in html
    assert 'alt="A quay at night"' in html
    assert "Maya Okafor" in html and "More Articles" in html
    assert not ArticlePage.objects.filter(slug="harbour-audits").exists()


def test_revisions_can_be_compared(client, editor, section, author):
    client.post(add_url(section), article_form(author, **{"action-publish": "action-publish"}))
    article = ArticlePage.objects.get(slug="harbour-audits")
    changed = article_form(author, title="Harbour audits skipped, records show")
    client.post(edit_url(article), {**changed, "action-publish": "action-publish"})
    first, second = article.revisions.order_by("created_at", "pk")

    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=(article.pk, first.pk, second.pk)
    )
    response = client.get(compare)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour audits were never done" in html and "skipped" in html
