"""The newsroom's figures about donations, computed from the local mirror for the admin.

Every function here reads only rows in the mode of the configured Stripe key
(`stripe_api.livemode()`): with live keys, test-mode gifts and donations never show up; with
test keys (or none), only test-mode ones do. Amounts stay in the currency's smallest unit and
are never added across currencies: each figure is a list of `Money`, one per currency.

- what was given (net of refunds): all time, this month, the last 12 months (`given_totals`);
- monthly recurring revenue, annual donations counted as 1/12 (`monthly_recurring_revenue`);
- how many supporters, at risk, ending, churned (`supporter_counts`, `churned_supporters`);
- recurring supporters at the end of each of the last 12 months (`supporters_by_month`);
- which articles and campaigns brought gifts (`top_articles`, `top_campaigns`);
- the supporters list, its filters and search, one supporter's history, and the gifts export
  (`find_supporters`, `supporter_rows`, `supporter_history`, `export_gifts`).

A *supporter* is defined once, in `RecurringDonationQuerySet.counting`; everything here that
says "supporter" uses it.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from masthead.supporters import money, stripe_api
from masthead.supporters.models import (
    COUNTED_STATUSES,
    Campaign,
    Donor,
    Gift,
    RecurringDonation,
)

# Subscriptions whose first payment never went through: they never made anyone a supporter.
NEVER_PAID_STATUSES = ("incomplete", "incomplete_expired")
PAST_DUE = "past_due"

# The supporters list's filters, which are also the status shown for each supporter.
CONSISTENT = "consistent"
AT_RISK = "at_risk"
ENDING = "ending"
CHURNED = "churned"
ONE_TIME_ONLY = "one_time"
FILTERS = [
    (CONSISTENT, _("Consistent supporters")),
    (AT_RISK, _("At risk (payment failing)")),
    (ENDING, _("Ending (cancelled, until the paid period ends)")),
    (CHURNED, _("Churned")),
    (ONE_TIME_ONLY, _("One-time gifts only")),
]
STATUS_LABELS = {
    CONSISTENT: _("Supporter"),
    AT_RISK: _("At risk"),
    ENDING: _("Ending"),
    CHURNED: _("Churned"),
    ONE_TIME_ONLY: _("One-time"),
}


@dataclass(frozen=True)
class Money:
    """An amount in one currency, in its smallest unit; prints in the active language."""

    amount: int
    currency: str

    def __str__(self) -> str:
        return money.format_money(self.amount, self.currency)

    @property
    def major(self) -> str:
        """The amount in whole units as a plain number ("12.50", "500"), for spreadsheets."""
        return major_units(self.amount, self.currency)


def major_units(minor: int, currency: str) -> str:
    per_unit = money.minor_units_per_unit(currency)
    if per_unit == 1:
        return str(minor)
    return f"{Decimal(minor) / per_unit:.2f}"


def _mode(livemode: bool | None) -> bool:
    return stripe_api.livemode() if livemode is None else livemode


def _by_currency(totals: dict[str, int | Decimal]) -> list[Money]:
    """Rounded to the smallest unit, the largest amount first."""
    rounded = [
        Money(int(Decimal(amount).quantize(Decimal(1), ROUND_HALF_UP)), currency)
        for currency, amount in totals.items()
    ]
    return sorted(rounded, key=lambda item: (-item.amount, item.currency))


def _net_by_currency(gifts: QuerySet[Gift]) -> list[Money]:
    rows = gifts.values("currency").annotate(given=Sum("amount"), refunded=Sum("amount_refunded"))
    return _by_currency(
        {row["currency"]: (row["given"] or 0) - (row["refunded"] or 0) for row in rows}
    )


# --- Time -------------------------------------------------------------------------------------


def month_start(moment: datetime) -> datetime:
    """Midnight on the first of `moment`'s month, in the current time zone."""
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (or earlier); the month's last day if it is short
    (so the first of a month stays the first)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- Money given ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenTotals:
    all_time: list[Money]
    this_month: list[Money]
    last_12_months: list[Money]
    this_month_since: datetime
    last_12_months_since: datetime


def given_totals(now: datetime | None = None, livemode: bool | None = None) -> GivenTotals:
    """What readers gave, minus refunds: all time, this calendar month, and the last 12
    months (this month and the 11 before it, the same months as the chart)."""
    now = now or timezone.now()
    gifts = Gift.objects.received(_mode(livemode))
    this_month = month_start(now)
    twelve_months = add_months(this_month, -11)
    return GivenTotals(
        all_time=_net_by_currency(gifts),
        this_month=_net_by_currency(gifts.filter(paid_at__gte=this_month)),
        last_12_months=_net_by_currency(gifts.filter(paid_at__gte=twelve_months)),
        this_month_since=this_month,
        last_12_months_since=twelve_months,
    )


def monthly_recurring_revenue(livemode: bool | None = None) -> list[Money]:
    """What the counted recurring donations bring in a month: monthly ones at their amount,
    annual ones at a twelfth of theirs. Per currency, rounded to the smallest unit."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for donation in RecurringDonation.objects.counting(_mode(livemode)).only(
        "amount", "interval", "currency"
    ):
        totals[donation.currency] += donation.monthly_amount
    return _by_currency(totals)


# --- Supporters -------------------------------------------------------------------------------


def _counted(livemode: bool) -> QuerySet[RecurringDonation]:
    return RecurringDonation.objects.counting(livemode)


def _ever_paid(livemode: bool) -> QuerySet[RecurringDonation]:
    """Recurring donations that made their donor a supporter at some point."""
    return RecurringDonation.objects.filter(livemode=livemode).exclude(
        status__in=NEVER_PAID_STATUSES
    )


def _lapsed(livemode: bool) -> QuerySet[RecurringDonation]:
    """Donations that made their donor a supporter once and no longer count (canceled, ended,
    or left unpaid/paused), annotated with `lapsed_at`: when they stopped, as near as the
    mirror knows (the end date, else the cancellation, else the end of the paid period, else
    when it was last synced)."""
    return (
        _ever_paid(livemode)
        .exclude(status__in=COUNTED_STATUSES)
        .annotate(lapsed_at=Coalesce("ended_at", "canceled_at", "current_period_end", "synced_at"))
    )


def _has(queryset: QuerySet) -> Exists:
    return Exists(queryset.filter(donor=OuterRef("pk")))


def filter_condition(name: str, livemode: bool | None = None) -> Q | Exists:
    """The condition on `Donor` for one of the list's filters (see FILTERS)."""
    mode = _mode(livemode)
    counted = _counted(mode)
    if name == CONSISTENT:
        return _has(counted)
    if name == AT_RISK:
        return _has(counted.filter(status=PAST_DUE))
    if name == ENDING:
        # Every donation that still counts is set to stop at the end of its paid period.
        return _has(counted.filter(cancel_at_period_end=True)) & ~_has(
            counted.filter(cancel_at_period_end=False)
        )
    if name == CHURNED:
        return _has(_lapsed(mode)) & ~_has(counted)
    if name == ONE_TIME_ONLY:
        return _has(Gift.objects.received(mode)) & ~_has(_ever_paid(mode))
    raise ValueError(f"Unknown filter {name!r}")


def donors(livemode: bool | None = None) -> QuerySet[Donor]:
    """Everyone who gave in this mode: a gift received, or a recurring donation that was paid."""
    mode = _mode(livemode)
    return Donor.objects.filter(_has(Gift.objects.received(mode)) | _has(_ever_paid(mode)))


@dataclass(frozen=True)
class SupporterCounts:
    supporters: int
    at_risk: int
    ending: int
    churned_30_days: int
    churned_90_days: int


def churned_donors(
    days: int, now: datetime | None = None, livemode: bool | None = None
) -> QuerySet[Donor]:
    """Donors whose recurring donation stopped in the last `days` days and who have no other
    one that still counts."""
    mode = _mode(livemode)
    since = (now or timezone.now()) - timedelta(days=days)
    recently = _lapsed(mode).filter(lapsed_at__gte=since)
    return Donor.objects.filter(_has(recently) & ~_has(_counted(mode)))


def supporter_counts(now: datetime | None = None, livemode: bool | None = None) -> SupporterCounts:
    """The supporter count (the one definition), and how many of them are at risk (a renewal
    failing; Stripe retries it, and they still count), ending (cancelled, counted until their
    paid period ends), and how many stopped in the last 30 and 90 days."""
    mode = _mode(livemode)
    return SupporterCounts(
        supporters=RecurringDonation.objects.supporter_count(mode),
        at_risk=Donor.objects.filter(filter_condition(AT_RISK, mode)).count(),
        ending=Donor.objects.filter(filter_condition(ENDING, mode)).count(),
        churned_30_days=churned_donors(30, now, mode).count(),
        churned_90_days=churned_donors(90, now, mode).count(),
    )


@dataclass(frozen=True)
class ChurnedSupporter:
    donor: Donor
    donation: RecurringDonation  # the one that stopped most recently
    lapsed_at: datetime


def churned_supporters(
    days: int = 90, now: datetime | None = None, livemode: bool | None = None, limit: int = 50
) -> list[ChurnedSupporter]:
    """The supporters who stopped in the last `days` days, the most recent first."""
    mode = _mode(livemode)
    since = (now or timezone.now()) - timedelta(days=days)
    stopped = (
        _lapsed(mode)
        .filter(lapsed_at__gte=since, donor__in=churned_donors(days, now, mode))
        .select_related("donor")
        .order_by("-lapsed_at")
    )
    seen: set[int] = set()
    rows = []
    for donation in stopped:
        if donation.donor_id in seen:
            continue
        seen.add(donation.donor_id)
        rows.append(ChurnedSupporter(donation.donor, donation, donation.lapsed_at))
        if len(rows) >= limit:
            break
    return rows


@dataclass(frozen=True)
class MonthCount:
    month: datetime  # the first of the month, local time
    at: datetime  # the moment counted: the month's last instant, or now for this month
    count: int


def _active_span(donation: dict) -> tuple[datetime, datetime | None]:
    if donation["status"] in COUNTED_STATUSES and donation["ended_at"] is None:
        return donation["started_at"], None
    end = (
        donation["ended_at"]
        or donation["canceled_at"]
        or donation["current_period_end"]
        or donation["synced_at"]
    )
    return donation["started_at"], end


def supporters_by_month(
    months: int = 12, now: datetime | None = None, livemode: bool | None = None
) -> list[MonthCount]:
    """Recurring supporters at the end of each of the last `months` months (this month: now),
    the oldest first.

    The mirror keeps a subscription's current state, not its history, so this is an
    approximation: a donation counts at a moment if it started by then and had not ended yet
    (`started_at <= moment` and `ended_at` empty or later), unless it never got paid at all
    (`incomplete`, `incomplete_expired`). A donation that stopped without an end date (left
    unpaid or paused) is taken to have ended at its cancellation, else the end of its paid
    period, else its last sync. Periods when a renewal was failing (`past_due`) count, as they
    do in the live figure, and a donation whose amount was changed counts from its start. For
    this month the count is the live supporter count, as long as every start date has passed.
    """
    now = now or timezone.now()
    spans_by_donor: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for donation in _ever_paid(_mode(livemode)).values(
        "donor_id",
        "status",
        "started_at",
        "ended_at",
        "canceled_at",
        "current_period_end",
        "synced_at",
    ):
        spans_by_donor[donation["donor_id"]].append(_active_span(donation))
    this_month = month_start(now)
    points = []
    for back in range(months - 1, -1, -1):
        first = add_months(this_month, -back)
        at = min(add_months(first, 1) - timedelta(microseconds=1), now)
        count = sum(
            1
            for spans in spans_by_donor.values()
            if any(start <= at and (end is None or end > at) for start, end in spans)
        )
        points.append(MonthCount(month=first, at=at, count=count))
    return points


# --- Attribution ------------------------------------------------------------------------------


@dataclass
class Attribution:
    """What one article or campaign brought: gifts (each payment of a recurring donation is
    one), distinct donors, recurring donations started, and the net amount per currency."""

    source: Page | Campaign
    gifts: int = 0
    donors: int = 0
    recurring_started: int = 0
    net: list[Money] = field(default_factory=list)


def _attribution(field_name: str, limit: int, livemode: bool | None) -> list[Attribution]:
    mode = _mode(livemode)
    gifts = Gift.objects.received(mode).exclude(**{f"{field_name}_id": None})
    key = f"{field_name}_id"
    rows: dict[int, dict] = defaultdict(lambda: {"gifts": 0, "donors": 0, "started": 0})
    for row in gifts.values(key).annotate(
        count=Count("id"), distinct_donors=Count("donor_id", distinct=True)
    ):
        rows[row[key]]["gifts"] = row["count"]
        rows[row[key]]["donors"] = row["distinct_donors"]
    nets: dict[int, dict[str, int]] = defaultdict(dict)
    for row in gifts.values(key, "currency").annotate(
        given=Sum("amount"), refunded=Sum("amount_refunded")
    ):
        nets[row[key]][row["currency"]] = (row["given"] or 0) - (row["refunded"] or 0)
    started = (
        _ever_paid(mode)
        .exclude(**{key: None})
        .values(key)
        .annotate(count=Count("id"))
        .values_list(key, "count")
    )
    for source_id, count in started:
        rows[source_id]["started"] = count
    ranked = sorted(
        rows,
        key=lambda source_id: (
            -rows[source_id]["gifts"],
            -sum(nets[source_id].values()),
            -rows[source_id]["started"],
        ),
    )[:limit]
    if field_name == "source_page":
        sources = Page.objects.select_related("locale").in_bulk(ranked)
    else:
        sources = Campaign.objects.in_bulk(ranked)
    return [
        Attribution(
            source=sources[source_id],
            gifts=rows[source_id]["gifts"],
            donors=rows[source_id]["donors"],
            recurring_started=rows[source_id]["started"],
            net=_by_currency(nets[source_id]),
        )
        for source_id in ranked
        if source_id in sources
    ]


def top_articles(limit: int = 10, livemode: bool | None = None) -> list[Attribution]:
    """The pages readers came from when they gave (the Support link carries the article), by
    number of gifts, then net amount."""
    return _attribution("source_page", limit, livemode)


def top_campaigns(limit: int = 10, livemode: bool | None = None) -> list[Attribution]:
    """The campaigns named by the Support links readers gave through, ranked the same way."""
    return _attribution("campaign", limit, livemode)


def unattributed_gifts(livemode: bool | None = None) -> int:
    """Gifts that came from no particular article (the Support page opened directly)."""
    return Gift.objects.received(_mode(livemode)).filter(source_page=None).count()


# --- The supporters list ----------------------------------------------------------------------


def _supporter_number(query: str) -> int | None:
    """ "#12", "12" or "Supporter #12" → 12."""
    text = query.strip().lower().removeprefix("supporter").strip().removeprefix("#").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def find_supporters(
    query: str = "",
    filter_name: str = "",
    can_see_identity: bool = False,
    livemode: bool | None = None,
) -> QuerySet[Donor]:
    """Donors who gave in this mode, newest first, narrowed by one of FILTERS and a search.

    Whoever may see who supporters are can search by name and e-mail address; everyone else
    only by supporter number, so that a search can't confirm that someone gave."""
    mode = _mode(livemode)
    found = donors(mode)
    if filter_name:
        found = found.filter(filter_condition(filter_name, mode))
    query = query.strip()
    if query:
        number = _supporter_number(query)
        matches = Q(pk=number) if number is not None else Q(pk__in=[])
        if can_see_identity:
            matches |= Q(name__icontains=query) | Q(email__icontains=query)
        found = found.filter(matches)
    return found.order_by("-created_at", "-pk")


def supporter_status(donations: Iterable[RecurringDonation]) -> str:
    """One of FILTERS for a donor, from their (ever paid) recurring donations in this mode."""
    donations = list(donations)
    counted = [donation for donation in donations if donation.counts]
    if any(donation.status == PAST_DUE for donation in counted):
        return AT_RISK
    if counted and all(donation.cancel_at_period_end for donation in counted):
        return ENDING
    if counted:
        return CONSISTENT
    if donations:
        return CHURNED
    return ONE_TIME_ONLY


@dataclass
class SupporterRow:
    donor: Donor
    since: datetime
    recurring: list[RecurringDonation]  # those that count now
    given: list[Money]
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def supporter_rows(donors: Iterable[Donor], livemode: bool | None = None) -> list[SupporterRow]:
    """For each donor (one page of the list): since when they give, their current recurring
    amounts, what they gave in all (net), and their status. Two queries whatever the number."""
    mode = _mode(livemode)
    donors = list(donors)
    ids = [donor.pk for donor in donors]
    given: dict[int, dict[str, int]] = defaultdict(dict)
    first_gift: dict[int, datetime] = {}
    for row in (
        Gift.objects.received(mode)
        .filter(donor_id__in=ids)
        .values("donor_id", "currency")
        .annotate(total=Sum("amount"), refunded=Sum("amount_refunded"), first=Min("paid_at"))
    ):
        given[row["donor_id"]][row["currency"]] = (row["total"] or 0) - (row["refunded"] or 0)
        earlier = first_gift.get(row["donor_id"])
        first_gift[row["donor_id"]] = min(row["first"], earlier) if earlier else row["first"]
    donations: dict[int, list[RecurringDonation]] = defaultdict(list)
    for donation in _ever_paid(mode).filter(donor_id__in=ids).order_by("started_at"):
        donations[donation.donor_id].append(donation)
    rows = []
    for donor in donors:
        starts = [donation.started_at for donation in donations[donor.pk]]
        if donor.pk in first_gift:
            starts.append(first_gift[donor.pk])
        rows.append(
            SupporterRow(
                donor=donor,
                since=min(starts) if starts else donor.created_at,
                recurring=[donation for donation in donations[donor.pk] if donation.counts],
                given=_by_currency(given[donor.pk]),
                status=supporter_status(donations[donor.pk]),
            )
        )
    return rows


@dataclass(frozen=True)
class SupporterHistory:
    row: SupporterRow
    donations: list[RecurringDonation]  # every recurring donation in this mode, newest first
    gifts: list[Gift]  # every gift in this mode, newest first


def supporter_history(donor: Donor, livemode: bool | None = None) -> SupporterHistory:
    mode = _mode(livemode)
    return SupporterHistory(
        row=supporter_rows([donor], mode)[0],
        donations=list(
            RecurringDonation.objects.filter(donor=donor, livemode=mode).select_related(
                "campaign", "source_page"
            )
        ),
        gifts=list(
            Gift.objects.received(mode)
            .filter(donor=donor)
            .select_related("campaign", "source_page")
        ),
    )


# --- The gifts export -------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "paid_at",
    "kind",
    "amount",
    "refunded",
    "net",
    "currency",
    "campaign",
    "source_article",
    "source_article_url",
    "supporter_id",
]
IDENTITY_COLUMNS = ["email", "name"]
# A cell a spreadsheet would take for a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs (CSV formula injection)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export_columns(include_identity: bool) -> list[str]:
    return EXPORT_COLUMNS + (IDENTITY_COLUMNS if include_identity else [])


def export_gifts(
    include_identity: bool,
    page_url: Callable[[Page], str],
    since: date | None = None,
    until: date | None = None,
    livemode: bool | None = None,
) -> Iterator[list[str]]:
    """One row per gift in this mode (see `export_columns`), oldest first, optionally from
    `since` to `until` (local dates, both included). `page_url` gives an article's address.
    Supporters' e-mail addresses and names are in it only with `include_identity`."""
    gifts = Gift.objects.received(_mode(livemode)).select_related(
        "campaign", "source_page", "donor"
    )
    if since:
        gifts = gifts.filter(paid_at__date__gte=since)
    if until:
        gifts = gifts.filter(paid_at__date__lte=until)
    urls: dict[int, str] = {}
    for gift in gifts.order_by("paid_at", "pk").iterator(chunk_size=500):
        page = gift.source_page
        if page is not None and page.pk not in urls:
            urls[page.pk] = page_url(page) or ""
        row = [
            timezone.localtime(gift.paid_at).isoformat(timespec="seconds"),
            gift.kind,
            major_units(gift.amount, gift.currency),
            major_units(gift.amount_refunded, gift.currency),
            major_units(gift.net_amount, gift.currency),
            gift.currency.upper(),
            spreadsheet_safe(gift.campaign.name if gift.campaign else ""),
            spreadsheet_safe(page.title if page else ""),
            spreadsheet_safe(urls[page.pk] if page else ""),
            str(gift.donor_id),
        ]
        if include_identity:
            row += [spreadsheet_safe(gift.donor.email), spreadsheet_safe(gift.donor.name)]
        yield row
