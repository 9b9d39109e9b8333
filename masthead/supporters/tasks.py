"""The worker's part of donations: processing Stripe events, sending receipts, and the nightly
reconciliation with Stripe."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.supporters import emails, stripe_api, webhooks
from masthead.supporters.models import Gift, StripeEvent

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
                transaction.on_commit(
                    lambda: _enqueue_later(process_stripe_event, RETRY_DELAYS, attempts, event_id)
                )
            else:
                logger.error("Stripe event %s failed %d times: %s", event_id, attempts, error)
            return "failed"
        webhooks.mark_processed(event, outcome)
        return outcome


def _enqueue_later(task_, delays: list[timedelta], attempt: int, *args) -> None:
    """Queue `task_` again after `delays[attempt - 1]`; not once the delays run out. Backends
    that can't defer (the tests' immediate one) don't retry: a replay, `stripe_sync` or the
    nightly reconciliation picks the work up again."""
    if attempt > len(delays) or not task_.get_backend().supports_defer:
        return
    task_.using(run_after=timezone.now() + delays[attempt - 1]).enqueue(*args)


RECEIPT_RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]


@task()
def send_receipt(gift_id: int, attempt: int = 1) -> str:
    """E-mail a gift's receipt; when the mail server fails, try again later (and the nightly
    reconciliation sends any receipt still missing)."""
    try:
        return emails.send_receipt(gift_id)
    except Exception as error:
        logger.warning("The receipt for gift %s could not be sent: %s", gift_id, error)
        _enqueue_later(send_receipt, RECEIPT_RETRY_DELAYS, attempt, gift_id, attempt + 1)
        return "failed"


@task()
def send_payment_failed_notice(donation_id: int, attempt: int = 1) -> str:
    """E-mail a donor whose renewal failed; a mail-server failure is retried later."""
    try:
        return emails.send_payment_failed(donation_id)
    except Exception as error:
        logger.warning("The failed-payment notice for %s could not be sent: %s", donation_id, error)
        _enqueue_later(
            send_payment_failed_notice, RECEIPT_RETRY_DELAYS, attempt, donation_id, attempt + 1
        )
        return "failed"


def queue_missing_receipts(days: int = 35) -> int:
    """Queue the receipts of recent gifts that still have none (older than a few minutes, so
    as not to race a receipt being sent right now)."""
    now = timezone.now()
    missing = list(
        Gift.objects.filter(
            receipt_sent_at__isnull=True,
            paid_at__gte=now - timedelta(days=days),
            paid_at__lte=now - timedelta(minutes=15),
        ).values_list("pk", flat=True)
    )
    for gift_id in missing:
        send_receipt.enqueue(gift_id)
    return len(missing)


@task()
def reconcile_with_stripe() -> str:
    """The nightly repair: what `manage.py stripe_sync` does, when Stripe is configured."""
    if not stripe_api.is_configured():
        return "Stripe is not configured"
    from masthead.supporters.reconcile import reconcile

    report = reconcile(days=35)
    queued = queue_missing_receipts()
    return f"{report.summary()}\nQueued {queued} receipts that had not been sent."
