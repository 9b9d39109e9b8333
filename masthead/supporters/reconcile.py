"""Repairing the local mirror from Stripe, for webhooks that never arrived (`stripe_sync`).

It re-reads every subscription, and the paid invoices and completed Checkout Sessions of the
last days, and applies each through the same code as the webhooks: running it twice, or after
the webhooks did their work, changes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction

from masthead.supporters import figures, stripe_api, sync
from masthead.supporters.models import Gift, RecurringDonation


@dataclass
class Report:
    subscriptions: int = 0
    invoices: int = 0
    sessions: int = 0
    new_gifts: int = 0
    changed_donations: int = 0
    problems: list[str] = field(default_factory=list)
    supporters: int = 0

    def summary(self) -> str:
        lines = [
            f"Read {self.subscriptions} subscriptions, {self.invoices} paid invoices and "
            f"{self.sessions} completed Checkout Sessions from Stripe.",
            f"Recorded {self.new_gifts} missing gifts; updated {self.changed_donations} "
            "recurring donations.",
            f"Consistent supporters now: {self.supporters}.",
        ]
        lines += [f"Could not apply: {problem}" for problem in self.problems]
        return "\n".join(lines)


def _state(donation: RecurringDonation | None) -> tuple | None:
    if donation is None:
        return None
    return (
        donation.status,
        donation.amount,
        donation.interval,
        donation.cancel_at_period_end,
        donation.current_period_end,
    )


def reconcile(days: int = 35) -> Report:
    report = Report()
    mode = stripe_api.livemode()
    gifts_before = Gift.objects.count()
    for subscription in stripe_api.list_subscriptions():
        data = stripe_api.as_dict(subscription)
        if bool(data.get("livemode")) != mode:
            continue
        report.subscriptions += 1
        before = _state(RecurringDonation.objects.filter(stripe_id=data["id"]).first())
        try:
            with transaction.atomic():
                donation = sync.apply_subscription(data)
        except (sync.NotReadyYet, stripe_api.StripeError) as error:
            report.problems.append(f"subscription {data['id']}: {error}")
            continue
        if _state(donation) != before:
            report.changed_donations += 1
    since = int(time.time()) - days * 24 * 60 * 60
    for invoice in stripe_api.list_paid_invoices(since):
        data = stripe_api.as_dict(invoice)
        if bool(data.get("livemode")) != mode:
            continue
        report.invoices += 1
        try:
            with transaction.atomic():
                sync.apply_invoice(data)
        except (sync.NotReadyYet, stripe_api.StripeError) as error:
            report.problems.append(f"invoice {data['id']}: {error}")
    for session in stripe_api.list_checkout_sessions(since):
        data = stripe_api.as_dict(session)
        if data.get("status") != "complete" or bool(data.get("livemode")) != mode:
            continue
        report.sessions += 1
        try:
            with transaction.atomic():
                sync.apply_checkout_session(data)
        except (sync.NotReadyYet, stripe_api.StripeError) as error:
            report.problems.append(f"Checkout Session {data['id']}: {error}")
    report.new_gifts = Gift.objects.count() - gifts_before
    report.supporters = figures.refresh().supporters
    return report
