"""What the postman does when the mail server says no: a permanent refusal (5xx) fails the
delivery and counts a bounce, until the address is marked bouncing and mailed no more; a
temporary one (4xx, a server that is down) is tried again later, each wait twice the last."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsletter import postman
from masthead.newsletter.models import Delivery, Mailing, Subscriber
from masthead.newsletter.tests.test_postman import new_issue, recipients_of, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_office(newsroom, smtp_server, settings):
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    settings.MASTHEAD_NEWSLETTER_BATCH_SIZE = 10
    settings.MASTHEAD_NEWSLETTER_RETRY_SECONDS = 60
    settings.MASTHEAD_NEWSLETTER_MAX_ATTEMPTS = 3
    settings.MASTHEAD_NEWSLETTER_BOUNCE_LIMIT = 2
    return smtp_server


def time_passes(seconds: float) -> None:
    """Move every pending retry `seconds` closer, as if that long had gone by."""
    for delivery in Delivery.objects.filter(status=Delivery.PENDING):
        delivery.next_attempt_at -= timedelta(seconds=seconds)
        delivery.save(update_fields=["next_attempt_at"])


def test_a_permanent_refusal_fails_the_delivery_and_counts_a_bounce(post_office):
    subscriber("fine@example.org")
    gone = subscriber("gone@example.org")
    post_office.inbox.refuse("gone@example.org", "550 5.1.1 <gone@example.org>: No such user")
    mailing = postman.start_issue(new_issue(), None, None)

    postman.run_once(time_budget=None)

    assert recipients_of(post_office) == ["fine@example.org"]
    delivery = mailing.deliveries.get(subscriber=gone)
    assert delivery.status == Delivery.FAILED
    assert delivery.last_error == "550 5.1.1 <address>: No such user"
    gone.refresh_from_db()
    assert gone.bounce_count == 1 and gone.last_bounce_at is not None
    assert "@" not in gone.last_bounce_reason and "No such user" in gone.last_bounce_reason
    assert gone.status == Subscriber.SUBSCRIBED  # one bounce may be a fluke
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE


def test_at_the_bounce_limit_an_address_is_marked_bouncing_and_mailed_no_more(post_office):
    subscriber("fine@example.org")
    gone = subscriber("gone@example.org")
    post_office.inbox.refuse("gone@example.org", "550 5.1.1 No such user")
    # Three issues queued before anything is sent: the third is never tried for that address.
    first, second, third = (postman.start_issue(new_issue(str(n)), None, None) for n in range(3))

    postman.run_once(time_budget=None)

    gone.refresh_from_db()
    assert gone.status == Subscriber.BOUNCING and gone.bounce_count == 2
    assert first.deliveries.get(subscriber=gone).status == Delivery.FAILED
    assert second.deliveries.get(subscriber=gone).status == Delivery.FAILED
    skipped = third.deliveries.get(subscriber=gone)
    assert (skipped.status, skipped.attempts) == (Delivery.SKIPPED, 0)
    assert recipients_of(post_office) == ["fine@example.org"] * 3

    # A later issue leaves them out altogether.
    fourth = postman.start_issue(new_issue("later"), None, None)
    postman.run_once(time_budget=None)
    assert not fourth.deliveries.filter(subscriber=gone).exists()
    assert len(post_office.inbox.mails) == 4


def test_a_temporary_refusal_is_retried_later_and_then_succeeds(post_office):
    reader = subscriber("busy@example.org")
    post_office.inbox.refuse("busy@example.org", "451 4.7.1 Greylisted, try later", times=2)
    mailing = postman.start_issue(new_issue(), None, None)

    started = timezone.now()
    postman.run_once(time_budget=None)
    delivery = mailing.deliveries.get(subscriber=reader)
    assert (delivery.status, delivery.attempts) == (Delivery.PENDING, 1)
    assert delivery.last_error.startswith("451 4.7.1 Greylisted")
    wait = delivery.next_attempt_at - started
    assert timedelta(seconds=59) < wait < timedelta(seconds=62)

    postman.run_once(time_budget=None)  # too early: not tried again
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1
    mailing.refresh_from_db()
    assert mailing.status == Mailing.SENDING

    time_passes(60)
    started = timezone.now()
    postman.run_once(time_budget=None)  # refused again; the wait doubles
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=119) < delivery.next_attempt_at - started < timedelta(seconds=122)

    time_passes(120)
    postman.run_once(time_budget=None)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.SENT, 3)
    assert recipients_of(post_office) == ["busy@example.org"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE


def test_after_the_last_attempt_a_delivery_is_given_up_without_a_bounce(post_office):
    reader = subscriber("busy@example.org")
    post_office.inbox.refuse("busy@example.org", "452 4.2.2 Mailbox full")
    mailing = postman.start_issue(new_issue(), None, None)

    for _attempt in range(3):
        postman.run_once(time_budget=None)
        time_passes(1000)

    delivery = mailing.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Delivery.FAILED, 3)
    reader.refresh_from_db()
    assert reader.bounce_count == 0 and reader.status == Subscriber.SUBSCRIBED
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE
    assert post_office.inbox.mails == []


def test_a_mail_server_that_is_down_stops_the_run_and_everyone_gets_it_later(post_office):
    readers = [subscriber(f"reader{number}@example.org") for number in range(5)]
    mailing = postman.start_issue(new_issue(), None, None)
    post_office.stop()

    summary = postman.run_once(time_budget=None)  # returns: no exception, no busy loop

    assert "mail server unavailable" in summary
    deliveries = list(mailing.deliveries.order_by("pk"))
    # Nothing was sent, so nobody's copy used up an attempt: a long outage fails nobody.
    assert [delivery.attempts for delivery in deliveries] == [0, 0, 0, 0, 0]
    assert all(delivery.status == Delivery.PENDING for delivery in deliveries)
    assert all(delivery.next_attempt_at > timezone.now() for delivery in deliveries)

    post_office.start()
    postman.run_once(time_budget=None)
    assert post_office.inbox.mails == []  # not due yet
    time_passes(60)
    postman.run_once(time_budget=None)
    assert recipients_of(post_office) == sorted(reader.email for reader in readers)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE
