"""The editorial roles at work in the real Wagtail admin.

Writers draft and submit stories for review; Editors approve, publish and schedule them; the
scheduled-publishing task puts stories live (and takes expired ones down) when their time comes.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Revision,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from masthead.editorial.roles import EDITORS, REVIEW_TASK, REVIEW_WORKFLOW, WRITERS
from masthead.editorial.tasks import publish_scheduled_pages
from masthead.newsletter.roles import NEWSLETTER
from masthead.newsroom.models import ArticlePage, Author, EditorsNote, NewsroomSettings
from masthead.supporters.roles import FINANCE
from masthead.testing.editor import HEADLINE, add_url, article_form, edit_url
from masthead.tips.roles import TIPS

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-9431"


def make_user(username: str, group_name: str):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def section(newsroom):
    return newsroom.section("Canada")


@pytest.fixture
def author(newsroom):
    return newsroom.author("Ana Ferreira")


@pytest.fixture
def writer():
    return make_user("wendy", WRITERS)


@pytest.fixture
def editor():
    return make_user("eddie", EDITORS)


def log_in(client, user) -> None:
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, "logging in to the admin failed"


def admin_datetime(moment) -> str:
    """A time as the admin's date-time picker sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def assert_permission_denied(response) -> None:
    """The admin's "no permission" answer: back to the dashboard, with a message saying so."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "you do not have permission" in " ".join(
        str(message) for message in get_messages(response.wsgi_request)
    )


def created_article(section, slug="harbour-audits") -> ArticlePage:
    return ArticlePage.objects.child_of(section).get(slug=slug)


# --- The roles the data migration sets up ---------------------------------------------------


def test_migrations_create_exactly_the_newsrooms_roles():
    assert set(Group.objects.values_list("name", flat=True)) == {
        WRITERS,
        EDITORS,
        FINANCE,
        NEWSLETTER,
        TIPS,
    }
    assert not Group.objects.filter(name="Moderators").exists()


def test_the_only_active_workflow_is_editorial_review_on_the_whole_tree():
    active = Workflow.objects.filter(active=True)
    assert [workflow.name for workflow in active] == [REVIEW_WORKFLOW]
    review = active.get()
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow == review
    tasks = [task.specific for task in review.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert tasks[0].name == REVIEW_TASK
    assert tasks[0].active
    assert [group.name for group in tasks[0].groups.all()] == [EDITORS]


def test_every_page_of_the_newsroom_falls_under_the_review_workflow(section):
    assert section.get_workflow().name == REVIEW_WORKFLOW


# --- Writers --------------------------------------------------------------------------------


def test_writer_can_log_in_to_the_admin(client, writer):
    log_in(client, writer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_writer_creates_a_draft_through_the_admin(client, writer, section, author):
    log_in(client, writer)
    assert client.get(add_url(section)).status_code == 200

    response = client.post(add_url(section), article_form(author))

    article = created_article(section)
    assert response.status_code == 302
    assert not article.live
    assert article.title == HEADLINE
    assert article.owner == writer
    assert [byline.author for byline in article.article_authors.all()] == [author]
    assert article.get_latest_revision().user == writer


def test_writer_submits_a_draft_into_editorial_review(client, writer, section, author):
    log_in(client, writer)

    client.post(add_url(section), article_form(author, **{"action-submit": "Submit"}))

    article = created_article(section)
    assert not article.live
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == REVIEW_WORKFLOW
    assert state.requested_by == writer
    assert state.current_task_state.task.name == REVIEW_TASK


def test_writer_cannot_publish_from_the_add_view(client, writer, section, author):
    log_in(client, writer)

    client.post(add_url(section), article_form(author, **{"action-publish": "Publish"}))

    article = created_article(section)
    assert not article.live
    assert article.first_published_at is None
    client.logout()
    assert client.get(article.get_url()).status_code == 404


def test_writer_cannot_publish_from_the_edit_view(client, writer, section, author):
    log_in(client, writer)
    client.post(add_url(section), article_form(author))
    article = created_article(section)

    response = client.post(
        edit_url(article),
        article_form(author, title="Published anyway?", **{"action-publish": "Publish"}),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.get_latest_revision_as_object().title == "Published anyway?"


def test_edit_page_offers_publish_to_editors_but_not_writers(
    client, writer, editor, section, author
):
    log_in(client, writer)
    client.post(add_url(section), article_form(author))
    article = created_article(section)

    writer_html = client.get(edit_url(article)).content.decode()
    assert 'name="action-submit"' in writer_html
    assert 'name="action-publish"' not in writer_html

    client.logout()
    log_in(client, editor)
    editor_html = client.get(edit_url(article)).content.decode()
    assert 'name="action-publish"' in editor_html


# --- Editors --------------------------------------------------------------------------------


@pytest.fixture
def submitted_article(client, writer, section, author) -> ArticlePage:
    log_in(client, writer)
    client.post(add_url(section), article_form(author, **{"action-submit": "Submit"}))
    client.logout()
    return created_article(section)


def current_task_state(page) -> TaskState:
    return WorkflowState.objects.for_instance(page).get().current_task_state


def approve_url(page, task_state) -> str:
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))


def test_editor_approves_a_submitted_article_and_it_goes_live(client, editor, submitted_article):
    task_state = current_task_state(submitted_article)
    url = submitted_article.get_url()
    assert client.get(url).status_code == 404

    log_in(client, editor)
    response = client.post(approve_url(submitted_article, task_state), {"comment": "Good."})

    assert response.status_code == 302
    submitted_article.refresh_from_db()
    assert submitted_article.live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == editor
    assert WorkflowState.objects.for_instance(submitted_article).get().status == (
        WorkflowState.STATUS_APPROVED
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert HEADLINE in response.content.decode()


def test_writer_cannot_approve_their_own_submission(client, writer, submitted_article):
    task_state = current_task_state(submitted_article)
    log_in(client, writer)

    response = client.post(approve_url(submitted_article, task_state), {"comment": ""})

    assert_permission_denied(response)
    submitted_article.refresh_from_db()
    assert not submitted_article.live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_editor_publishes_directly(client, editor, section, author):
    log_in(client, editor)

    response = client.post(add_url(section), article_form(author, **{"action-publish": "Publish"}))

    assert response.status_code == 302
    article = created_article(section)
    assert article.live
    client.logout()
    assert client.get(article.get_url()).status_code == 200


# --- Snippets and settings ------------------------------------------------------------------


def editors_note_add_url() -> str:
    return reverse("wagtailsnippets_newsroom_editorsnote:add")


def note_form(title: str) -> dict:
    return {"title": title, "body": rich_text("<p>Support us.</p>")}


def test_writer_cannot_add_editors_notes(client, newsroom, writer):
    log_in(client, writer)

    assert_permission_denied(client.get(editors_note_add_url()))
    response = client.post(editors_note_add_url(), note_form("Writer's appeal"))

    assert_permission_denied(response)
    assert not EditorsNote.objects.filter(title="Writer's appeal").exists()


def test_writer_cannot_edit_an_editors_note(client, newsroom, writer):
    log_in(client, writer)
    url = reverse("wagtailsnippets_newsroom_editorsnote:edit", args=(newsroom.note.pk,))

    response = client.post(url, note_form("Changed by a writer"))

    assert_permission_denied(response)
    newsroom.note.refresh_from_db()
    assert newsroom.note.title == "Default appeal"


def test_editor_adds_an_editors_note(client, newsroom, editor):
    log_in(client, editor)

    assert client.get(editors_note_add_url()).status_code == 200
    response = client.post(editors_note_add_url(), note_form("Spring appeal"))

    assert response.status_code == 302
    assert EditorsNote.objects.filter(title="Spring appeal").exists()


def settings_url(newsroom) -> str:
    return reverse("wagtailsettings:edit", args=("newsroom", "newsroomsettings", newsroom.site.pk))


def test_writer_cannot_change_newsroom_settings(client, newsroom, writer):
    log_in(client, writer)

    assert_permission_denied(client.get(settings_url(newsroom)))
    response = client.post(settings_url(newsroom), {"default_editors_note": ""})

    assert_permission_denied(response)
    settings = NewsroomSettings.for_site(newsroom.site)
    assert settings.default_editors_note == newsroom.note


def test_editor_changes_newsroom_settings(client, newsroom, editor):
    spring = EditorsNote.objects.create(title="Spring appeal", body="<p>Give in spring.</p>")
    log_in(client, editor)

    response = client.get(settings_url(newsroom))
    assert response.status_code == 200
    assert "Default appeal" in response.content.decode()
    response = client.post(settings_url(newsroom), {"default_editors_note": str(spring.pk)})

    assert response.status_code == 302
    assert NewsroomSettings.for_site(newsroom.site).default_editors_note == spring


def author_form(name: str, slug: str) -> dict:
    """The author snippet form as the editor posts it."""
    return {
        "name": name,
        "slug": slug,
        "role": "Reporter",
        "photo": "",
        "bio": rich_text(""),
        **nested_form_data({"links": inline_formset([])}),
    }


def test_writer_cannot_add_authors(client, newsroom, writer):
    log_in(client, writer)
    url = reverse("wagtailsnippets_newsroom_author:add")

    assert_permission_denied(client.post(url, author_form("Invented Person", "invented-person")))
    assert not Author.objects.filter(slug="invented-person").exists()


def test_editor_adds_an_author(client, newsroom, editor):
    log_in(client, editor)
    url = reverse("wagtailsnippets_newsroom_author:add")

    assert client.post(url, author_form("New Hire", "new-hire")).status_code == 302
    assert Author.objects.filter(slug="new-hire").exists()


def test_writer_can_see_and_choose_authors(client, newsroom, writer, author):
    log_in(client, writer)

    listing = client.get(reverse("wagtailsnippets_newsroom_author:list"))
    chooser = client.get(reverse("wagtailsnippetchoosers_newsroom_author:choose"))

    assert listing.status_code == 200  # needs the view_author permission
    assert "Ana Ferreira" in listing.content.decode()
    assert chooser.status_code == 200
    assert "Ana Ferreira" in chooser.content.decode()


# --- Scheduled publishing -------------------------------------------------------------------


def test_scheduled_article_goes_live_when_the_task_runs(client, editor, section, author):
    log_in(client, editor)
    go_live_at = timezone.now() + timedelta(days=1)
    client.post(
        add_url(section),
        article_form(
            author, go_live_at=admin_datetime(go_live_at), **{"action-publish": "Publish"}
        ),
    )
    article = created_article(section)
    assert not article.live
    scheduled = Revision.page_revisions.filter(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    ).get()
    assert abs(scheduled.approved_go_live_at - go_live_at) < timedelta(minutes=1)
    client.logout()
    url = article.get_url()
    assert client.get(url).status_code == 404

    publish_scheduled_pages.enqueue()  # the time hasn't come: nothing happens
    article.refresh_from_db()
    assert not article.live

    # Move the go-live time into the past, everywhere Wagtail keeps it.
    past = timezone.now() - timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
    publish_scheduled_pages.enqueue()

    article.refresh_from_db()
    assert article.live
    response = client.get(url)
    assert response.status_code == 200
    assert HEADLINE in response.content.decode()


def test_expired_article_is_taken_down_when_the_task_runs(client, newsroom, section, author):
    article = newsroom.article(section, "Yesterday's news", [author])
    assert client.get(article.url).status_code == 200
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )

    publish_scheduled_pages.enqueue()

    article.refresh_from_db()
    assert not article.live
    assert article.expired
    assert client.get(article.url).status_code == 404
