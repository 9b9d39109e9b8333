"""The daily and weekly digests: created once when their hour comes (in the site's time zone),
covering the stories first published since the previous one, caught up after downtime without
a backlog, and sent to their subscribers in their language (real postman, real SMTP server)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from wagtail.models import Site

from masthead.newsletter import postman
from masthead.newsletter.models import (
    DAILY,
    EVERY_ARTICLE,
    WEEKLY,
    Mailing,
    NewsletterSettings,
    Subscriber,
)
from masthead.newsletter.scheduling import queue_due_mailings

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def schedule(newsroom, settings) -> NewsletterSettings:
    """Digests at 07:00 Paris time; the weekly one on Fridays."""
    settings.TIME_ZONE = "Europe/Paris"
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    newsletter = NewsletterSettings.for_site(Site.objects.get(is_default_site=True))
    newsletter.digest_hour = 7
    newsletter.weekly_digest_day = NewsletterSettings.FRIDAY
    newsletter.save()
    return newsletter


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def subscribe(email: str, language: str, frequency: str) -> Subscriber:
    return Subscriber.objects.create(
        email=email, language=language, frequency=frequency, status=Subscriber.SUBSCRIBED
    )


def test_the_daily_digest_is_queued_once_its_hour_has_come(schedule):
    # Wednesday 25 November 2026.
    assert queue_due_mailings(now=paris(2026, 11, 25, 6, 59)).startswith("before the digest")
    assert not Mailing.objects.exists()

    summary = queue_due_mailings(now=paris(2026, 11, 25, 7, 0))
    assert summary == "daily:2026-11-25 queued"
    again = queue_due_mailings(now=paris(2026, 11, 25, 7, 1))
    assert again == "daily:2026-11-25 already queued"

    daily = Mailing.objects.get()
    assert (daily.key, daily.kind, daily.status) == (
        "daily:2026-11-25",
        Mailing.DAILY,
        Mailing.SCHEDULED,
    )
    assert daily.period_start == paris(2026, 11, 24, 7, 0)
    assert daily.period_end == paris(2026, 11, 25, 7, 0)

    # The next day's starts where this one ended.
    queue_due_mailings(now=paris(2026, 11, 26, 7, 30))
    nextday = Mailing.objects.get(key="daily:2026-11-26")
    assert nextday.period_start == daily.period_end
    assert nextday.period_end == paris(2026, 11, 26, 7, 0)


def test_the_local_day_and_hour_count_not_utc(schedule):
    utc = zoneinfo.ZoneInfo("UTC")
    # 23:30 UTC on the 26th is half past midnight on the 27th in Paris: too early there.
    queue_due_mailings(now=datetime(2026, 11, 26, 23, 30, tzinfo=utc))
    assert not Mailing.objects.exists()
    # 06:30 UTC on the 27th is 07:30 in Paris: the digest hour has come there.
    queue_due_mailings(now=datetime(2026, 11, 27, 6, 30, tzinfo=utc))
    assert Mailing.objects.get(kind=Mailing.DAILY).key == "daily:2026-11-27"


def test_the_weekly_digest_goes_on_its_day(schedule):
    queue_due_mailings(now=paris(2026, 11, 26, 8, 0))  # a Thursday
    assert not Mailing.objects.filter(kind=Mailing.WEEKLY).exists()

    summary = queue_due_mailings(now=paris(2026, 11, 27, 9, 0))  # Friday
    assert summary == "daily:2026-11-27 queued; weekly:2026-W48 queued"
    weekly = Mailing.objects.get(kind=Mailing.WEEKLY)
    assert weekly.key == "weekly:2026-W48"
    assert weekly.period_start == paris(2026, 11, 20, 7, 0)
    assert weekly.period_end == paris(2026, 11, 27, 7, 0)
    queue_due_mailings(now=paris(2026, 11, 27, 22, 0))
    assert Mailing.objects.filter(kind=Mailing.WEEKLY).count() == 1

    queue_due_mailings(now=paris(2026, 12, 4, 7, 5))
    following = Mailing.objects.get(key="weekly:2026-W49")
    assert following.period_start == weekly.period_end


def test_after_downtime_only_todays_digest_goes_covering_the_gap(schedule):
    queue_due_mailings(now=paris(2026, 11, 22, 7, 0))
    # Down from the 22nd until the afternoon of the 25th.
    queue_due_mailings(now=paris(2026, 11, 25, 15, 0))

    assert sorted(Mailing.objects.values_list("key", flat=True)) == [
        "daily:2026-11-22",
        "daily:2026-11-25",
    ]
    today = Mailing.objects.get(key="daily:2026-11-25")
    assert today.period_start == paris(2026, 11, 22, 7, 0)
    assert today.period_end == paris(2026, 11, 25, 7, 0)

    # Back after two months away: one digest, and it does not reach back two months.
    queue_due_mailings(now=paris(2027, 1, 25, 7, 0))
    assert Mailing.objects.get(key="daily:2027-01-25").period_start == paris(2027, 1, 18, 7, 0)


def test_daily_subscribers_get_the_periods_stories_in_their_language(
    schedule, newsroom, smtp_server
):
    now = timezone.now()
    schedule.digest_hour = timezone.localtime(now).hour
    schedule.weekly_digest_day = (timezone.localtime(now).weekday() + 3) % 7  # not today
    schedule.save()
    digest_time = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)

    section = newsroom.section("World")
    ana = newsroom.author("Ana Ferreira")
    newsroom.article(section, "Too early", [ana], digest_time - timedelta(hours=25))
    newsroom.article(section, "Morning story", [ana], digest_time - timedelta(hours=20))
    newsroom.article(section, "Evening story", [ana], digest_time - timedelta(minutes=5))
    subscribe("eve@example.org", "en", DAILY)
    subscribe("anne@example.org", "fr", DAILY)
    subscribe("walt@example.org", "en", WEEKLY)
    subscribe("arty@example.org", "en", EVERY_ARTICLE)

    queue_due_mailings(now=now)
    postman.run_once(time_budget=None)

    assert sorted(smtp_server.inbox.count_by_recipient()) == [
        "anne@example.org",
        "eve@example.org",
    ]
    english = smtp_server.inbox.to("eve@example.org")[0]
    french = smtp_server.inbox.to("anne@example.org")[0]
    for mail in (english, french):
        assert "Morning story" in mail.html and "Evening story" in mail.text
        assert "Too early" not in mail.html and "Too early" not in mail.text
        assert mail.html.index("Evening story") < mail.html.index("Morning story")
    # The digest is named for the last day it covers: at a digest hour of 0 (this test run
    # between midnight and 1 a.m. site time), that is the day before.
    day = timezone.localtime(digest_time - timedelta(microseconds=1)).date()
    assert english.subject == f"Your daily digest: {date_format(day, 'DATE_FORMAT')}"
    with translation.override("fr"):
        subject = gettext("Your daily digest: %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    assert french.subject == subject
    assert Mailing.objects.get().status == Mailing.DONE

    # Run again: nothing new is queued and nobody gets it twice.
    queue_due_mailings(now=now)
    postman.run_once(time_budget=None)
    assert len(smtp_server.inbox.mails) == 2


def test_a_quiet_day_sends_nothing(schedule, smtp_server):
    subscribe("eve@example.org", "en", DAILY)
    queue_due_mailings(now=paris(2026, 11, 25, 8, 0))
    postman.run_once(time_budget=None)
    assert smtp_server.inbox.mails == []
    assert Mailing.objects.get(kind=Mailing.DAILY).status == Mailing.EMPTY
