"""The worker's part of donations: processing Stripe events, sending receipts, and the nightly
reconciliation with Stripe."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.supporters import emails, stripe_api, webhooks
from masthead.supporters.models import StripeEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_DELAYS = [
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
]


@task()
def process_stripe_event(event_id: str) -> str:
    """Process one stored event exactly once; a failure is retried with growing delays."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            return "unknown event"
        if event.processed_at is not None:
            return "already processed"
        event.attempts += 1
        try:
            with transaction.atomic():
                outcome = webhooks.process(event)
        except Exception as error:
            event.error = f"{type(error).__name__}: {error}"[:2000]
            event.save(update_fields=["error", "attempts"])
            attempts = event.attempts
            if attempts < MAX_ATTEMPTS:
                logger.warning("Stripe event %s failed (attempt %d): %s", event_id, attempts, error)
                transaction.on_commit(lambda: _retry(event_id, attempts))
            else:
                logger.error("Stripe event %s failed %d times: %s", event_id, attempts, error)
            return "failed"
        webhooks.mark_processed(event, outcome)
        return outcome


def _retry(event_id: str, attempts: int) -> None:
    retry = process_stripe_event
    if not retry.get_backend().supports_defer:
        return  # tests run tasks inline; `stripe_sync` or a replay picks it up again
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    retry.using(run_after=timezone.now() + delay).enqueue(event_id)


@task()
def send_receipt(gift_id: int) -> str:
    return emails.send_receipt(gift_id)


@task()
def reconcile_with_stripe() -> str:
    """The nightly repair: what `manage.py stripe_sync` does, when Stripe is configured."""
    if not stripe_api.is_configured():
        return "Stripe is not configured"
    from masthead.supporters.reconcile import reconcile

    report = reconcile(days=35)
    return report.summary()
