"""Newsletter issues in the admin: the e-mail's preview (saved and live), a test copy to the
editor through a real SMTP server, and sending to a segment with a confirmation step, the
count shown first, and nobody mailed twice when segments overlap. Only those allowed to send
can send."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from masthead.newsletter.models import (
    DAILY,
    WEEKLY,
    Delivery,
    IssueArticle,
    Mailing,
    NewsletterIssue,
    Subscriber,
)

pytestmark = pytest.mark.django_db


def signed_in(client, django_user_model, group: str, email: str = ""):
    user = django_user_model.objects.create_user(
        username=f"{group.lower()}-user", password="x", email=email
    )
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def issue(small_newsroom) -> NewsletterIssue:
    from masthead.newsroom.models import ArticlePage

    stories = list(ArticlePage.objects.live().order_by("title")[:2])
    issue = NewsletterIssue(
        subject="Our week in review",
        language="en",
        intro="<p>Dear readers, here is what mattered this week.</p>",
    )
    issue.issue_articles = [
        IssueArticle(article=story, sort_order=order) for order, story in enumerate(stories)
    ]
    issue.save()
    return issue


def subscriber(email: str, language: str = "en", frequency: str = WEEKLY, **extra) -> Subscriber:
    return Subscriber.objects.create(
        email=email,
        language=language,
        frequency=frequency,
        status=extra.pop("status", Subscriber.SUBSCRIBED),
        **extra,
    )


@pytest.fixture
def readers():
    return {
        "fr_weekly_1": subscriber("amelie@example.org", "fr"),
        "fr_weekly_2": subscriber("bastien@example.org", "fr"),
        "fr_daily": subscriber("chloe@example.org", "fr", DAILY),
        "en_weekly_1": subscriber("dora@example.net", "en"),
        "en_weekly_2": subscriber("ezra@example.net", "en"),
        "fr_pending": subscriber("felix@example.org", "fr", status=Subscriber.PENDING),
        "fr_left": subscriber("gaia@example.org", "fr", status=Subscriber.UNSUBSCRIBED),
        "fr_bouncing": subscriber("hugo@example.org", "fr", status=Subscriber.BOUNCING),
    }


def send_url(issue: NewsletterIssue) -> str:
    return reverse("newsletter_issue_send", args=[issue.pk])


# --- Preview ----------------------------------------------------------------------------------


def test_the_preview_shows_the_whole_email_with_intro_and_stories(client, django_user_model, issue):
    signed_in(client, django_user_model, "Editors")

    page = client.get(reverse("newsletter_issue_preview", args=[issue.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Dear readers, here is what mattered this week." in html
    for link in issue.issue_articles.all():
        assert link.article.title in html
    assert "<html" in html.lower()  # the shared layout around the content


def test_the_live_preview_shows_unsaved_changes(client, django_user_model, issue):
    signed_in(client, django_user_model, "Editors")
    preview_url = reverse(
        "wagtailsnippets_newsletter_newsletterissue:preview_on_edit", args=[issue.pk]
    )
    story = issue.issue_articles.first().article
    intro = {
        "blocks": [
            {
                "key": "intro",
                "type": "unstyled",
                "text": "A brand new introduction, not saved yet.",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    form = {
        "subject": "Changed subject",
        "language": "en",
        "intro": json.dumps(intro),
        "issue_articles-TOTAL_FORMS": "1",
        "issue_articles-INITIAL_FORMS": "0",
        "issue_articles-MIN_NUM_FORMS": "0",
        "issue_articles-MAX_NUM_FORMS": "1000",
        "issue_articles-0-article": str(story.pk),
        "issue_articles-0-ORDER": "1",
        "issue_articles-0-DELETE": "",
        "issue_articles-0-id": "",
    }

    checked = client.post(preview_url, form)
    shown = client.get(preview_url)

    assert checked.json()["is_valid"] is True
    html = shown.content.decode()
    assert "A brand new introduction, not saved yet." in html
    assert story.title in html
    issue.refresh_from_db()
    assert issue.subject == "Our week in review"  # nothing saved


def test_the_listing_and_the_edit_view_link_to_the_send_page(client, django_user_model, issue):
    signed_in(client, django_user_model, "Editors")

    listing = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:list"))
    edit = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:edit", args=[issue.pk]))

    assert send_url(issue) in listing.content.decode()
    assert send_url(issue) in edit.content.decode()


# --- A test copy ------------------------------------------------------------------------------


def test_a_test_copy_goes_to_the_editor_and_nobody_else(
    client, django_user_model, issue, readers, smtp_server
):
    signed_in(client, django_user_model, "Editors", email="editor@newsroom.example")

    response = client.post(send_url(issue), {"action": "test"})

    assert response.status_code == 302
    assert [mail.recipients for mail in smtp_server.inbox.mails] == [["editor@newsroom.example"]]
    mail = smtp_server.inbox.mails[0]
    assert mail.subject == "[Test] Our week in review"
    assert "Dear readers, here is what mattered this week." in mail.html
    assert not Delivery.objects.exists() and not Mailing.objects.filter(kind="issue").exists()


def test_an_editor_without_an_address_is_told_so(
    client, django_user_model, issue, readers, smtp_server
):
    signed_in(client, django_user_model, "Editors", email="")

    response = client.post(send_url(issue), {"action": "test"}, follow=True)

    assert "has no e-mail address" in response.content.decode()
    assert smtp_server.inbox.mails == []


# --- Who may send -----------------------------------------------------------------------------


def test_an_editor_without_the_send_permission_drafts_but_cannot_send(
    client, django_user_model, issue, readers
):
    drafters = Group.objects.create(name="Drafters")
    drafters.permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "view_newsletterissue", "change_newsletterissue"]
        )
    )
    signed_in(client, django_user_model, "Drafters")

    page = client.get(send_url(issue))
    review = client.post(send_url(issue), {"action": "review", "language": "", "frequency": ""})
    send = client.post(
        send_url(issue), {"action": "send", "confirmed": "yes", "language": "", "frequency": ""}
    )

    assert page.status_code == 200
    assert "Only editors allowed to send newsletters" in page.content.decode()
    assert "Send to 5 subscribers" not in page.content.decode()
    assert review.status_code == 302 and send.status_code == 302
    assert not Mailing.objects.filter(key=f"issue:{issue.pk}").exists()
    assert not Delivery.objects.exists()


def test_writers_cannot_open_the_send_page(client, django_user_model, issue):
    signed_in(client, django_user_model, "Writers")

    response = client.get(send_url(issue))

    assert response.status_code == 302
    assert response.url != send_url(issue)


# --- Sending to a segment ---------------------------------------------------------------------


def test_the_send_page_counts_the_segment_before_sending(client, django_user_model, issue, readers):
    signed_in(client, django_user_model, "Editors")

    everyone = client.get(send_url(issue)).content.decode()
    french = client.get(send_url(issue), {"language": "fr"}).content.decode()
    french_weekly = client.get(send_url(issue), {"language": "fr", "frequency": WEEKLY})
    nonsense = client.get(send_url(issue), {"language": "xx"}).content.decode()

    assert 'data-to-send="5"' in everyone  # pending, unsubscribed and bouncing are left out
    assert 'data-to-send="3"' in french and "Send to 3 subscribers" in french
    assert 'data-to-send="2"' in french_weekly.content.decode()
    assert "Choose a language and a frequency from the lists." in nonsense


def test_sending_asks_for_confirmation_first(client, django_user_model, issue, readers):
    signed_in(client, django_user_model, "Editors")

    review = client.post(send_url(issue), {"action": "review", "language": "fr", "frequency": ""})
    unconfirmed = client.post(send_url(issue), {"action": "send", "language": "fr"})

    assert "Yes, send to 3 subscribers" in review.content.decode()
    assert "subscribers reading Français, every frequency" in review.content.decode()
    assert "Yes, send to 3 subscribers" in unconfirmed.content.decode()
    assert not Mailing.objects.filter(key=f"issue:{issue.pk}").exists()


def send_to(client, issue, language="", frequency="", capture=None):
    with capture(execute=True):
        return client.post(
            send_url(issue),
            {"action": "send", "confirmed": "yes", "language": language, "frequency": frequency},
        )


def test_a_segment_gets_the_issue_and_nobody_else(
    client, django_user_model, issue, readers, smtp_server, django_capture_on_commit_callbacks
):
    signed_in(client, django_user_model, "Editors")

    response = send_to(client, issue, "fr", capture=django_capture_on_commit_callbacks)
    progress = client.get(response.url).content.decode()

    got_it = sorted(address for mail in smtp_server.inbox.mails for address in mail.recipients)
    assert got_it == ["amelie@example.org", "bastien@example.org", "chloe@example.org"]
    assert {mail.subject for mail in smtp_server.inbox.mails} == {"Our week in review"}
    assert 'data-status="sent">3<' in progress
    assert 'data-status="pending">0<' in progress


def test_an_overlapping_segment_mails_nobody_twice(
    client, django_user_model, issue, readers, smtp_server, django_capture_on_commit_callbacks
):
    signed_in(client, django_user_model, "Editors")
    send_to(client, issue, "fr", capture=django_capture_on_commit_callbacks)

    weekly = client.get(send_url(issue), {"frequency": WEEKLY}).content.decode()
    send_to(client, issue, frequency=WEEKLY, capture=django_capture_on_commit_callbacks)
    everyone_again = client.get(send_url(issue)).content.decode()

    assert 'data-receiving="4"' in weekly and 'data-already="2"' in weekly
    assert "of whom 2 already received it" in weekly
    assert "Send to 2 subscribers" in weekly
    recipients = [address for mail in smtp_server.inbox.mails for address in mail.recipients]
    assert sorted(recipients) == [
        "amelie@example.org",
        "bastien@example.org",
        "chloe@example.org",
        "dora@example.net",
        "ezra@example.net",
    ]
    assert 'data-to-send="0"' in everyone_again
    assert "Nobody in this segment is left to send it to." in everyone_again


# --- The demo ---------------------------------------------------------------------------------


def test_the_demo_adds_subscribers_and_a_draft_issue_once_and_sends_nothing(
    small_newsroom, smtp_server
):
    from masthead.newsletter.demo import DEMO_ISSUE_SUBJECT, load_demo_newsletter
    from masthead.newsroom.models import ArticlePage

    articles = list(ArticlePage.objects.live())
    first = load_demo_newsletter(articles)
    second = load_demo_newsletter(articles)

    assert first and second == []
    people = Subscriber.objects.all()
    assert people.count() >= 24
    assert all(p.email.endswith(("@example.org", "@example.net")) for p in people)
    assert len({p.language for p in people}) >= 6 and len({p.frequency for p in people}) == 3
    assert people.filter(status=Subscriber.PENDING).exists()
    assert people.filter(status=Subscriber.UNSUBSCRIBED).count() == 1
    assert len({p.created_at.strftime("%Y-%m") for p in people}) >= 6
    issue = NewsletterIssue.objects.get(subject=DEMO_ISSUE_SUBJECT)
    assert issue.intro and issue.issue_articles.count() == 3
    assert not Mailing.objects.filter(kind=Mailing.ISSUE).exists()
    assert smtp_server.inbox.mails == []
