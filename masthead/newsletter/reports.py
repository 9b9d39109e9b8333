"""The newsletter's figures for the admin: who receives it, per language and per frequency; how
many wait for confirmation, left, or bounce; and the list's growth month by month (new
confirmations, unsubscribes, the running total), with the geometry of its bar chart.

Everything is counted in the database (GROUP BY on the status, language, frequency, and on the
month of `confirmed_at` / `unsubscribed_at`), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from masthead.newsletter.models import FREQUENCIES, Subscriber
from masthead.supporters.charts import Chart, monthly_bar_chart
from masthead.supporters.reports import add_months, month_start


@dataclass(frozen=True)
class SubscriberCounts:
    receiving: int
    pending: int
    unsubscribed: int
    bouncing: int
    by_language: list[tuple[str, str, int]]  # code, name, subscribers receiving
    by_frequency: list[tuple[str, str, int]]  # code, label, subscribers receiving


def subscriber_counts() -> SubscriberCounts:
    """Totals by status, and the receiving subscribers by language and by frequency (every
    language and frequency listed, zero or not)."""
    by_status = dict(
        Subscriber.objects.values_list("status").annotate(count=Count("id")).order_by()
    )
    receiving = Subscriber.objects.receiving()
    languages = dict(receiving.values_list("language").annotate(count=Count("id")).order_by())
    frequencies = dict(receiving.values_list("frequency").annotate(count=Count("id")).order_by())
    return SubscriberCounts(
        receiving=by_status.get(Subscriber.SUBSCRIBED, 0),
        pending=by_status.get(Subscriber.PENDING, 0),
        unsubscribed=by_status.get(Subscriber.UNSUBSCRIBED, 0),
        bouncing=by_status.get(Subscriber.BOUNCING, 0),
        by_language=[(code, name, languages.get(code, 0)) for code, name in settings.LANGUAGES],
        by_frequency=[(code, str(label), frequencies.get(code, 0)) for code, label in FREQUENCIES],
    )


@dataclass(frozen=True)
class MonthGrowth:
    month: datetime  # midnight on the first, site time
    confirmed: int  # subscriptions confirmed that month
    unsubscribed: int  # unsubscribes that month
    total: int  # subscribed at the end of the month (this month: now)

    @property
    def net(self) -> int:
        return self.confirmed - self.unsubscribed


def _per_month(field: str, since: datetime, **filters) -> dict[tuple[int, int], int]:
    """Subscribers whose `field` falls in each (year, month) since `since`, in site time."""
    rows = (
        Subscriber.objects.filter(**{f"{field}__gte": since}, **filters)
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        month = timezone.localtime(row["month"])
        key = (month.year, month.month)
        counts[key] = counts.get(key, 0) + row["count"]
    return counts


def growth_by_month(months: int = 12, now: datetime | None = None) -> list[MonthGrowth]:
    """The last `months` months, oldest first: confirmations, unsubscribes, and the running
    total of subscribers (confirmed and not unsubscribed by the month's end).

    The total counts a subscriber from their confirmation until their unsubscribe; bounces
    aren't dated in the records, so an address that started bouncing still counts in it.
    """
    now = now or timezone.now()
    first = add_months(month_start(now), -(months - 1))
    confirmed_before = Subscriber.objects.filter(confirmed_at__lt=first).count()
    left_before = Subscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__lt=first
    ).count()
    confirmations = _per_month("confirmed_at", first)
    # Only someone who had confirmed can leave the list: addresses imported as already
    # unsubscribed elsewhere (never confirmed here) are not this month's departures.
    unsubscribes = _per_month("unsubscribed_at", first, confirmed_at__isnull=False)
    total = confirmed_before - left_before
    points = []
    for index in range(months):
        month = add_months(first, index)
        key = (month.year, month.month)
        total += confirmations.get(key, 0) - unsubscribes.get(key, 0)
        points.append(
            MonthGrowth(
                month=month,
                confirmed=confirmations.get(key, 0),
                unsubscribed=unsubscribes.get(key, 0),
                total=total,
            )
        )
    return points


# --- The chart --------------------------------------------------------------------------------


def growth_chart(points: list[MonthGrowth]) -> Chart:
    """A bar chart of the running total per month, drawn as SVG in the page."""
    return monthly_bar_chart(
        [
            (
                point.month,
                point.total,
                f"{date_format(point.month, 'YEAR_MONTH_FORMAT')}: {point.total} subscribers "
                f"({point.confirmed} confirmed, {point.unsubscribed} left)",
            )
            for point in points
        ]
    )
