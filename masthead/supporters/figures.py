"""The public figures: the live supporter count and the campaign goal meters.

Pages read them from the cache, never from the database: they are computed when something
that changes them happens (a webhook, `stripe_sync`, a campaign edit) and kept until the next
change. The `supporter_figures_changed` signal tells whoever caches pages that show them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from masthead.supporters import money

CACHE_KEY = "supporters:figures:v1"

# Sent with `figures` (the new Figures) whenever the count or a meter changes.
supporter_figures_changed = Signal()


@dataclass(frozen=True)
class Meter:
    """A campaign's progress: `current` of `goal` supporters, or of an amount (smallest unit)."""

    campaign: str
    kind: str
    current: int
    goal: int
    currency: str

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.current / self.goal)) if self.goal else 0

    @property
    def is_money(self) -> bool:
        from masthead.supporters.models import Campaign

        return self.kind != Campaign.SUPPORTERS


@dataclass(frozen=True)
class Figures:
    supporters: int
    meters: tuple[Meter, ...]


def current() -> Figures:
    """The figures as last computed (computed now only if nothing is cached yet)."""
    from masthead.pagecache import dependencies

    dependencies.record(dependencies.SUPPORTERS)
    cached = cache.get(CACHE_KEY)
    if cached is None:
        return refresh()
    return Figures(
        supporters=cached["supporters"], meters=tuple(Meter(**m) for m in cached["meters"])
    )


def supporter_count() -> int:
    """The number of consistent supporters, for the editor's note (a Wagtail hook)."""
    return current().supporters


def compute() -> Figures:
    from wagtail.models import Site

    from masthead.supporters.models import Campaign, Gift, RecurringDonation, SupportSettings

    supporters = RecurringDonation.objects.supporter_count()
    site = Site.objects.filter(is_default_site=True).first()
    currency = SupportSettings.for_site(site).currency if site else "usd"
    today = timezone.localdate()
    meters = []
    for campaign in Campaign.objects.filter(show_meter=True):
        if not campaign.is_running(today):
            continue
        if campaign.goal_kind == Campaign.SUPPORTERS:
            value, goal = supporters, campaign.goal
        else:
            gifts = Gift.objects.received().filter(currency=currency)
            if campaign.goal_kind == Campaign.AMOUNT_THIS_MONTH:
                gifts = gifts.filter(paid_at__date__gte=today.replace(day=1))
            else:
                gifts = gifts.filter(campaign=campaign)
                if campaign.starts_on:
                    gifts = gifts.filter(paid_at__date__gte=campaign.starts_on)
                if campaign.ends_on:
                    gifts = gifts.filter(paid_at__date__lte=campaign.ends_on)
            value = gifts.net_total()
            goal = money.to_minor_units(campaign.goal, currency)
        meters.append(Meter(campaign.name, campaign.goal_kind, value, goal, currency))
    return Figures(supporters=supporters, meters=tuple(meters))


def refresh() -> Figures:
    """Compute the figures now, cache them, and announce a change."""
    before = cache.get(CACHE_KEY)
    figures = compute()
    stored = {"supporters": figures.supporters, "meters": [asdict(m) for m in figures.meters]}
    cache.set(CACHE_KEY, stored, timeout=None)
    if before != stored:
        supporter_figures_changed.send(sender=Figures, figures=figures)
    return figures


def refresh_after_commit() -> None:
    """Refresh once the current transaction has committed (at once outside a transaction)."""
    transaction.on_commit(refresh)
