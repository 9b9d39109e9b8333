"""The preferences page, reached from a real e-mail's link: changing language, frequency and
name, leaving, and coming back; with CSRF checks on, as in production."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from masthead.newsletter import tokens
from masthead.newsletter.models import DAILY, EVERY_ARTICLE, WEEKLY, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def reader(newsroom) -> Subscriber:
    return Subscriber.objects.create(
        email="prefs@example.org",
        status=Subscriber.SUBSCRIBED,
        language="en",
        frequency=WEEKLY,
        name="Ana",
    )


def preferences_path(subscriber: Subscriber) -> str:
    return urlsplit(tokens.preferences_url(subscriber)).path


def post_form(client: Client, path: str, data: dict):
    """GET the page (which sets the CSRF cookie), then POST with its token, as a browser does."""
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(path, {**data, "csrfmiddlewaretoken": token.group(1)})


def test_the_link_in_the_already_subscribed_note_leads_to_the_preferences(
    client, reader, smtp_server, django_capture_on_commit_callbacks, browser_client
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletter/", {"email": "prefs@example.org", "language": "en", "frequency": DAILY}
        )
    (note,) = smtp_server.inbox.to("prefs@example.org")
    link = re.search(r"https?://\S+/newsletter/preferences/[^/\s]+/", note.text).group(0)
    assert f'href="{link}"' in note.html
    page = browser_client.get(urlsplit(link).path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "prefs@example.org" in html
    assert 'value="weekly" checked' in html  # the request changed nothing
    assert '<option value="en" lang="en" selected>' in html
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex"


def test_changing_language_frequency_and_name(reader, browser_client):
    response = post_form(
        browser_client,
        preferences_path(reader),
        {"action": "save", "language": "pt", "frequency": EVERY_ARTICLE, "name": "Ana Lima"},
    )
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    reader.refresh_from_db()
    assert (reader.language, reader.frequency, reader.name) == ("pt", EVERY_ARTICLE, "Ana Lima")
    assert reader.status == Subscriber.SUBSCRIBED


@pytest.mark.parametrize(
    "data",
    [
        {"language": "xx", "frequency": DAILY, "name": ""},
        {"language": "fr", "frequency": "hourly", "name": ""},
        {"language": "fr", "frequency": DAILY, "name": "Ana\r\nBcc: x@example.org"},
        {"language": "fr", "frequency": DAILY, "name": "x" * 121},
    ],
)
def test_bad_preferences_are_refused_and_nothing_changes(reader, browser_client, data):
    response = post_form(browser_client, preferences_path(reader), {"action": "save", **data})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    reader.refresh_from_db()
    assert (reader.language, reader.frequency, reader.name) == ("en", WEEKLY, "Ana")


def test_a_post_without_the_csrf_token_is_refused(reader, browser_client):
    response = browser_client.post(
        preferences_path(reader), {"action": "unsubscribe"}, headers={"Origin": "https://x.test"}
    )
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.status == Subscriber.SUBSCRIBED


def test_leaving_and_coming_back_from_the_preferences(reader, browser_client):
    path = preferences_path(reader)
    left = post_form(browser_client, path, {"action": "unsubscribe"})
    assert left.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED
    assert reader.unsubscribed_at is not None
    # An unsubscribed reader is offered one button to come back, and no preferences to change.
    page = browser_client.get(path).content.decode()
    assert 'value="resubscribe"' in page
    assert 'name="frequency"' not in page
    back = post_form(browser_client, path, {"action": "resubscribe"})
    assert back.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.SUBSCRIBED
    assert reader.unsubscribed_at is None
    assert (reader.language, reader.frequency) == ("en", WEEKLY)


def test_a_bouncing_address_is_sent_a_confirmation_link_not_resubscribed(
    reader, browser_client, smtp_server, django_capture_on_commit_callbacks
):
    Subscriber.objects.filter(pk=reader.pk).update(status=Subscriber.BOUNCING, bounce_count=3)
    path = preferences_path(reader)
    refused = post_form(browser_client, path, {"action": "resubscribe"})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        sent = post_form(browser_client, path, {"action": "confirm_again"})
    assert sent.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.BOUNCING
    (mail,) = smtp_server.inbox.to("prefs@example.org")
    assert "/newsletter/confirm/" in mail.text


def test_a_broken_preferences_link_changes_nothing(reader, browser_client):
    for bad in ("nonsense", tokens.subscriber_token(reader)[:-4] + "abcd"):
        response = browser_client.get(f"/newsletter/preferences/{bad}/")
        assert response.status_code == 400
        assert "broken" in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == Subscriber.SUBSCRIBED
