"""The postman against a real SMTP server: who gets each mailing (segments, frequencies, people
who left), that nobody gets one twice however often it runs, the rate limit and the lease."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsletter import postman
from masthead.newsletter.models import (
    DAILY,
    EVERY_ARTICLE,
    WEEKLY,
    Delivery,
    Mailing,
    NewsletterIssue,
    SendingLease,
    Subscriber,
)

pytestmark = pytest.mark.django_db


def subscriber(
    email: str,
    language: str = "en",
    frequency: str = WEEKLY,
    status: str = Subscriber.SUBSCRIBED,
) -> Subscriber:
    return Subscriber.objects.create(
        email=email, language=language, frequency=frequency, status=status
    )


def new_issue(subject: str = "This week") -> NewsletterIssue:
    return NewsletterIssue.objects.create(subject=subject, intro="<p>Hello.</p>", language="en")


@pytest.fixture
def post_office(newsroom, smtp_server, settings):
    """A newsroom whose newsletters go to the test SMTP server, unthrottled."""
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    settings.MASTHEAD_NEWSLETTER_BATCH_SIZE = 3
    return smtp_server


def recipients_of(server) -> list[str]:
    return sorted(address for mail in server.inbox.mails for address in mail.recipients)


def test_everyone_gets_the_issue_once_however_often_the_postman_runs(post_office):
    readers = [subscriber(f"reader{number}@example.org") for number in range(7)]
    subscriber("pending@example.org", status=Subscriber.PENDING)
    subscriber("left@example.org", status=Subscriber.UNSUBSCRIBED)
    subscriber("bouncing@example.org", status=Subscriber.BOUNCING)

    mailing = postman.start_issue(new_issue(), None, None)
    assert mailing.status == Mailing.SENDING
    summary = postman.run_once(time_budget=None)
    assert summary.startswith("prepared 0, sent 7,")
    postman.run_once(time_budget=None)
    postman.run_once(time_budget=None)

    assert recipients_of(post_office) == sorted(reader.email for reader in readers)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE and mailing.finished_at is not None
    deliveries = Delivery.objects.filter(mailing=mailing)
    assert {delivery.status for delivery in deliveries} == {Delivery.SENT}
    assert all(delivery.sent_at and delivery.attempts == 1 for delivery in deliveries)


def test_start_issue_sends_in_the_background_once_its_transaction_commits(
    post_office, django_capture_on_commit_callbacks
):
    subscriber("reader@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        postman.start_issue(new_issue(), None, None)
    assert post_office.inbox.mails == []  # nothing before the commit
    for callback in callbacks:
        callback()  # the task backend of the test suite runs the task right here
    assert recipients_of(post_office) == ["reader@example.org"]


def test_segments_and_a_second_overlapping_segment_mail_nobody_twice(post_office):
    subscriber("fr-weekly@example.org", "fr", WEEKLY)
    subscriber("fr-daily@example.org", "fr", DAILY)
    subscriber("en-weekly@example.org", "en", WEEKLY)
    subscriber("en-daily@example.org", "en", DAILY)
    subscriber("de-article@example.org", "de", EVERY_ARTICLE)
    issue = new_issue()

    first = postman.start_issue(issue, "fr", None)
    postman.run_once(time_budget=None)
    assert recipients_of(post_office) == ["fr-daily@example.org", "fr-weekly@example.org"]

    second = postman.start_issue(issue, None, WEEKLY)
    assert second.pk == first.pk
    postman.run_once(time_budget=None)
    assert recipients_of(post_office) == [
        "en-weekly@example.org",
        "fr-daily@example.org",
        "fr-weekly@example.org",
    ]

    postman.start_issue(issue, None, None)  # everyone else
    postman.run_once(time_budget=None)
    counts = post_office.inbox.count_by_recipient()
    assert len(counts) == 5 and set(counts.values()) == {1}


def test_automatic_mailings_go_to_the_matching_frequency_in_every_language(post_office):
    article_readers = {
        subscriber("a-en@example.org", "en", EVERY_ARTICLE),
        subscriber("a-zh@example.org", "zh-hans", EVERY_ARTICLE),
    }
    daily_reader = subscriber("d-fr@example.org", "fr", DAILY)
    subscriber("a-left@example.org", "en", EVERY_ARTICLE, Subscriber.UNSUBSCRIBED)

    article = Mailing(key="article:x", kind=Mailing.ARTICLE)
    daily = Mailing(key="daily:x", kind=Mailing.DAILY)
    assert set(postman.recipients(article)) == article_readers
    assert list(postman.recipients(daily)) == [daily_reader]


def test_due_scheduled_mailings_are_prepared_and_a_quiet_digest_is_empty(post_office):
    subscriber("weekly@example.org", frequency=WEEKLY)
    subscriber("daily@example.org", frequency=DAILY)
    now = timezone.now()
    due = Mailing.objects.create(key="issue:due", kind=Mailing.ISSUE, issue=new_issue("Due"))
    later = Mailing.objects.create(
        key="issue:later",
        kind=Mailing.ISSUE,
        issue=new_issue("Later"),
        send_after=now + timedelta(hours=1),
    )
    # No story was published in this period: nothing to say.
    quiet = Mailing.objects.create(
        key="daily:quiet",
        kind=Mailing.DAILY,
        period_start=now - timedelta(days=30, hours=1),
        period_end=now - timedelta(days=30),
    )

    summary = postman.run_once(time_budget=None)

    assert summary.startswith("prepared 1, sent 2,")
    assert sorted(mail.subject for mail in post_office.inbox.mails) == ["Due", "Due"]
    for mailing, status in (
        (due, Mailing.DONE),
        (later, Mailing.SCHEDULED),
        (quiet, Mailing.EMPTY),
    ):
        mailing.refresh_from_db()
        assert mailing.status == status
    assert not later.deliveries.exists() and not quiet.deliveries.exists()


def test_who_left_before_their_turn_is_skipped(post_office):
    staying = subscriber("staying@example.org")
    leaving = subscriber("leaving@example.org")
    mailing = postman.start_issue(new_issue(), None, None)
    leaving.status = Subscriber.UNSUBSCRIBED
    leaving.save()

    postman.run_once(time_budget=None)

    assert recipients_of(post_office) == [staying.email]
    assert mailing.deliveries.get(subscriber=leaving).status == Delivery.SKIPPED
    mailing.refresh_from_db()
    assert mailing.status == Mailing.DONE


def test_the_rate_limit_spaces_messages_evenly(post_office, settings):
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 120  # one every half second
    for number in range(4):
        subscriber(f"reader{number}@example.org")
    postman.start_issue(new_issue(), None, None)

    started = time.monotonic()
    postman.run_once(time_budget=None)
    elapsed = time.monotonic() - started

    assert len(post_office.inbox.mails) == 4
    assert 1.45 <= elapsed < 5


def test_a_second_postman_finds_the_lease_taken_and_sends_nothing(post_office, settings):
    subscriber("reader@example.org")
    mailing = postman.start_issue(new_issue(), None, None)
    assert postman.take_lease("another worker")

    assert postman.run_once(time_budget=None) == "busy"
    assert post_office.inbox.mails == []
    assert mailing.deliveries.get().status == Delivery.PENDING

    # That worker died: once its lease runs out, the next run takes over.
    SendingLease.objects.filter(holder="another worker").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert postman.run_once(time_budget=None).startswith("prepared 0, sent 1,")
    assert recipients_of(post_office) == ["reader@example.org"]
    assert SendingLease.objects.get().holder == ""  # released at the end


def test_a_spent_time_budget_leaves_the_rest_for_the_next_run(post_office, settings):
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 600  # one every 0.1 s
    for number in range(6):
        subscriber(f"reader{number}@example.org")
    mailing = postman.start_issue(new_issue(), None, None)

    summary = postman.run_once(time_budget=0.25)

    assert "time budget spent" in summary
    sent = len(post_office.inbox.mails)
    assert 1 <= sent < 6
    assert mailing.deliveries.filter(status=Delivery.PENDING).count() == 6 - sent
    postman.run_once(time_budget=None)
    assert len(post_office.inbox.mails) == 6
    assert set(post_office.inbox.count_by_recipient().values()) == {1}
