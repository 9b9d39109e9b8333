"""When the digests go out: `queue_due_mailings` (run by the worker every minute) creates the
day's DAILY mailing once the digest hour has come, and the week's WEEKLY one on the chosen day.

Each digest covers the stories first published since the previous digest of its kind ended
(or the last 24 hours / 7 days for the first one), up to the digest hour. Keys name the day or
ISO week, so running this any number of times creates each digest once. A server that was down
at the digest hour sends the day's digest when it comes back that day; one that was down for
days sends only today's, covering the whole gap (at most `CATCH_UP_LIMIT` of it), never a
backlog of stale ones. The postman picks up the new mailing on its next round.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from masthead.newsletter.models import Mailing, NewsletterSettings

PERIODS = {Mailing.DAILY: timedelta(days=1), Mailing.WEEKLY: timedelta(days=7)}
# However long a server was down, a digest covers at most this much before its hour.
CATCH_UP_LIMIT = {Mailing.DAILY: timedelta(days=7), Mailing.WEEKLY: timedelta(days=28)}


def queue_due_mailings(now: datetime | None = None) -> str:
    """Create the daily and weekly digest mailings whose hour has come; a short summary."""
    now = now or timezone.now()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "no default site"
    newsletter_settings = NewsletterSettings.for_site(site)
    digest_time = todays_digest_time(now, newsletter_settings.digest_hour)
    if now < digest_time:
        return f"before the digest hour ({digest_time.isoformat()})"
    local_day = digest_time.date()
    results = [queue_digest(Mailing.DAILY, f"daily:{local_day.isoformat()}", digest_time, now)]
    if local_day.weekday() == newsletter_settings.weekly_digest_day:
        year, week, _weekday = local_day.isocalendar()
        key = f"weekly:{year}-W{week:02d}"
        results.append(queue_digest(Mailing.WEEKLY, key, digest_time, now))
    return "; ".join(results)


def todays_digest_time(now: datetime, hour: int) -> datetime:
    """The digest hour of `now`'s day, in the site's time zone (an aware datetime)."""
    local = timezone.localtime(now, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.replace(hour=min(hour, 23), minute=0, second=0, microsecond=0)


def queue_digest(kind: str, key: str, period_end: datetime, now: datetime) -> str:
    """Create the digest mailing `key` (once) for the period ending at `period_end`."""
    if Mailing.objects.filter(key=key).exists():
        return f"{key} already queued"
    _mailing, created = Mailing.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "period_start": period_start(kind, period_end),
            "period_end": period_end,
            "send_after": now,
        },
    )
    return f"{key} queued" if created else f"{key} already queued"


def period_start(kind: str, period_end: datetime) -> datetime:
    """Where the previous digest of this kind left off (or one period back for the first),
    never further back than the catch-up limit."""
    previous = (
        Mailing.objects.filter(kind=kind, period_end__lt=period_end)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    earliest = period_end - CATCH_UP_LIMIT[kind]
    if previous is None:
        return period_end - PERIODS[kind]
    return max(previous, earliest)
