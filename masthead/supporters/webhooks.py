"""Stripe's webhooks at /support/stripe/webhook/: verify, record once, process in the worker.

The view only checks the signature (with the official SDK) and stores the event by its id; a
replayed event finds its row and is not processed again. Processing (`process`) treats the
event as a trigger, not the truth: it fetches the object the event names from Stripe and
applies its current state (`sync.py`), so events arriving twice, late or out of order all end
in Stripe's state.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.supporters import stripe_api, sync
from masthead.supporters.models import StripeEvent

logger = logging.getLogger(__name__)

CHECKOUT_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}
SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
}
HANDLED_EVENTS = (
    CHECKOUT_EVENTS
    | SUBSCRIPTION_EVENTS
    | {
        "invoice.paid",
        "invoice.payment_failed",
        "charge.refunded",
    }
)
# What the endpoint in Stripe's Dashboard must send (the admin lists them for the operator);
# the other handled events are optional extras Masthead also understands.
ENDPOINT_EVENTS = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "charge.refunded",
]


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return HttpResponse(
            "Stripe webhooks are not configured here (STRIPE_WEBHOOK_SECRET is not set).",
            status=400,
            content_type="text/plain",
        )
    signature = request.headers.get("Stripe-Signature", "")
    try:
        stripe.Webhook.construct_event(request.body, signature, secret)
        payload = json.loads(request.body)
    except (ValueError, stripe.SignatureVerificationError):
        logger.warning("Refused a Stripe webhook with a missing or invalid signature.")
        return HttpResponse("Invalid signature.", status=400, content_type="text/plain")
    if not isinstance(payload, dict) or not payload.get("id") or not payload.get("type"):
        return HttpResponse("Not a Stripe event.", status=400, content_type="text/plain")
    created = record(payload)
    return JsonResponse({"received": True, "duplicate": not created})


def record(payload: dict) -> bool:
    """Store an event (once) and queue its processing; False when it was seen before."""
    from masthead.supporters.tasks import process_stripe_event

    try:
        with transaction.atomic():
            event, created = StripeEvent.objects.get_or_create(
                id=payload["id"],
                defaults={
                    "type": payload["type"][:100],
                    "livemode": bool(payload.get("livemode")),
                    "created": datetime.fromtimestamp(payload.get("created") or 0, tz=UTC),
                    "payload": payload,
                },
            )
    except IntegrityError:  # the same event arriving twice at the same moment
        return False
    if created or event.processed_at is None:
        event_id = event.id
        transaction.on_commit(lambda: process_stripe_event.enqueue(event_id))
    return created


def process(event: StripeEvent) -> str:
    """Apply one event; returns what was done. Raises on failure (the worker retries)."""
    if event.type not in HANDLED_EVENTS:
        return "ignored: not an event Masthead uses"
    if event.livemode != stripe_api.livemode():
        return "ignored: from the other Stripe mode than the configured key"
    object_id = event.object_id
    if event.type in CHECKOUT_EVENTS:
        session = stripe_api.retrieve_checkout_session(object_id)
        checkout = sync.apply_checkout_session(
            session, failed=event.type == "checkout.session.async_payment_failed"
        )
        return f"checkout {checkout.status if checkout else 'not from Masthead'}"
    if event.type in SUBSCRIPTION_EVENTS:
        donation = sync.apply_subscription(stripe_api.retrieve_subscription(object_id))
        return f"recurring donation {donation.stripe_id} is {donation.status}"
    if event.type == "invoice.paid":
        gift = sync.apply_invoice(stripe_api.retrieve_invoice(object_id))
        return f"gift {gift.pk} recorded" if gift else "not a donation invoice"
    if event.type == "invoice.payment_failed":
        invoice = stripe_api.retrieve_invoice(object_id)
        subscription_id = sync.invoice_subscription_id(invoice)
        if not subscription_id:
            return "not a donation invoice"
        donation = sync.apply_subscription(stripe_api.retrieve_subscription(subscription_id))
        if donation.livemode == stripe_api.livemode() and invoice.get("status") != "paid":
            from masthead.supporters.tasks import send_payment_failed_notice

            donation_id = donation.pk
            transaction.on_commit(lambda: send_payment_failed_notice.enqueue(donation_id))
        return f"payment failed; recurring donation {donation.stripe_id} is {donation.status}"
    if event.type == "charge.refunded":
        gift = sync.apply_charge(stripe_api.retrieve_charge(object_id))
        return f"gift {gift.pk} refunded {gift.amount_refunded} of {gift.amount}"
    return "ignored"


def mark_processed(event: StripeEvent, outcome: str) -> None:
    event.processed_at = timezone.now()
    event.outcome = outcome[:255]
    event.error = ""
    event.save(update_fields=["processed_at", "outcome", "error", "attempts"])
