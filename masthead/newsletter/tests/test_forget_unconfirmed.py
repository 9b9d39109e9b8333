"""Addresses that asked to subscribe and never confirmed are deleted once their links have
expired; a new request keeps a pending address (and its fresh link) alive."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from masthead.newsletter import subscriptions, tasks
from masthead.newsletter.models import WEEKLY, Subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/newsletter/confirm/[^/\s]+/")


def ask(client, email: str, **fields):
    data = {"email": email, "language": "en", "frequency": WEEKLY, **fields}
    return client.post("/newsletter/", data)


def test_unconfirmed_addresses_are_forgotten_after_their_links_expire(
    client, newsroom, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_NEWSLETTER_CONFIRM_HOURS = 72
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "never.confirmed@example.org")
        ask(client, "confirmed@example.org")
    confirmed = Subscriber.objects.get(email="confirmed@example.org")
    link = LINK.search(smtp_server.inbox.to("confirmed@example.org")[0].text).group(0)
    client.post(urlsplit(link).path)
    Subscriber.objects.update(created_at=timezone.now() - timedelta(days=5))

    assert subscriptions.forget_unconfirmed() == "forgot 1 unconfirmed addresses"

    assert list(Subscriber.objects.values_list("email", flat=True)) == [confirmed.email]
    assert tasks.forget_unconfirmed_addresses.call() == "nothing to forget"


def test_a_pending_address_with_a_fresh_link_is_kept_and_the_link_works(
    client, newsroom, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "slow.reader@example.org")
    Subscriber.objects.update(created_at=timezone.now() - timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "slow.reader@example.org")  # asks again, days later

    subscriptions.forget_unconfirmed()

    latest = smtp_server.inbox.to("slow.reader@example.org")[-1]
    client.post(urlsplit(LINK.search(latest.text).group(0)).path)
    assert Subscriber.objects.get().status == Subscriber.SUBSCRIBED


def test_confirming_from_the_footer_form_keeps_the_name_already_given(
    client, newsroom, smtp_server, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email="ana@example.org", name="Ana", status=Subscriber.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ana@example.org")  # the footer form asks no name

    link = LINK.search(smtp_server.inbox.to("ana@example.org")[0].text).group(0)
    client.post(urlsplit(link).path)

    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.name) == (Subscriber.SUBSCRIBED, "Ana")
