"""Everything Masthead asks of Stripe, through the official SDK, in one place.

The code is written for one Stripe API version (`API_VERSION`, the one stripe-python 16.1
pins): object shapes changed in 2025 (an invoice's subscription moved under `parent`, billing
periods moved to subscription items), so every request names it. Every write carries an
idempotency key, so a retried request never makes a second session, product or change.
"""

from __future__ import annotations

import uuid
from typing import Any

import stripe
from django.conf import settings

from masthead.supporters.models import (
    Checkout,
    Donor,
    RecurringDonation,
    StripeProduct,
    normalize_email,
)

API_VERSION = "2026-10-28.endive"

# Stripe Checkout's page languages for Masthead's eight (Stripe calls Simplified Chinese "zh").
CHECKOUT_LOCALES = {"zh-hans": "zh", "en": "en", "fr": "fr", "de": "de", "it": "it", "pt": "pt"}
CHECKOUT_LOCALES |= {"ru": "ru", "es": "es"}

StripeError = stripe.StripeError


def is_configured() -> bool:
    """Whether donations can be taken: the secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def missing_settings() -> list[str]:
    """The environment variables an operator still has to set, for the admin to list."""
    return [
        name
        for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY")
        if not getattr(settings, name)
    ]


def livemode() -> bool:
    """Whether the configured key is a live one. With live keys, test-mode objects are ignored
    (they never count as supporters or money); with test keys, only test objects exist."""
    return settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))


def client() -> stripe.StripeClient:
    options: dict[str, Any] = {
        "stripe_version": API_VERSION,
        "max_network_retries": settings.STRIPE_MAX_NETWORK_RETRIES,
    }
    if settings.STRIPE_API_BASE:
        # Another Stripe-compatible endpoint: an emulator in tests, or an egress proxy.
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def as_dict(stripe_object: Any) -> dict:
    """A plain dict of an SDK object (SDK 16 objects aren't dicts)."""
    return stripe_object.to_dict() if hasattr(stripe_object, "to_dict") else dict(stripe_object)


def product_id() -> str:
    """The outlet's one Product for this mode, created on first use."""
    mode = livemode()
    known = StripeProduct.objects.filter(livemode=mode).first()
    if known:
        return known.product_id
    product = client().v1.products.create(
        params={
            "name": "Donation",
            "metadata": {"masthead": "donations"},
        },
        options={"idempotency_key": f"masthead-product-{'live' if mode else 'test'}"},
    )
    known, _created = StripeProduct.objects.get_or_create(
        livemode=mode, defaults={"product_id": product.id}
    )
    return known.product_id


def create_checkout_session(checkout: Checkout, success_url: str, cancel_url: str) -> dict:
    """A Stripe Checkout Session for a gift the reader chose; returns it as a dict (with `url`).

    One-time gifts use payment mode, monthly and annual ones subscription mode, both with an
    ad-hoc price on the outlet's product so that any amount works."""
    price_data: dict[str, Any] = {
        "currency": checkout.currency,
        "unit_amount": checkout.amount,
        "product": product_id(),
    }
    if checkout.interval:
        price_data["recurring"] = {"interval": checkout.interval}
    metadata = checkout_metadata(checkout)
    params: dict[str, Any] = {
        "mode": "subscription" if checkout.is_recurring else "payment",
        "submit_type": "donate",
        "line_items": [{"quantity": 1, "price_data": price_data}],
        "client_reference_id": str(checkout.reference),
        "locale": CHECKOUT_LOCALES.get(checkout.language, "auto"),
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    donor = Donor.objects.filter(email=normalize_email(checkout.email)).first()
    customer = donor.stripe_customer_id(livemode()) if donor else None
    if customer:
        params["customer"] = customer  # no second Stripe customer for a returning donor
    else:
        params["customer_email"] = checkout.email
    if checkout.is_recurring:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["customer_creation"] = "always"  # so the donor can be found again
        params["payment_intent_data"] = {"metadata": metadata}
    session = client().v1.checkout.sessions.create(
        params=params, options={"idempotency_key": f"masthead-checkout-{checkout.reference}"}
    )
    return as_dict(session)


def checkout_metadata(checkout: Checkout) -> dict[str, str]:
    return {
        "masthead_checkout": str(checkout.reference),
        "language": checkout.language,
        "campaign": checkout.campaign.slug if checkout.campaign else "",
        "source_page": str(checkout.source_page_id or ""),
    }


def retrieve_checkout_session(session_id: str) -> dict:
    return as_dict(client().v1.checkout.sessions.retrieve(session_id))


def retrieve_subscription(subscription_id: str) -> dict:
    return as_dict(client().v1.subscriptions.retrieve(subscription_id))


def retrieve_invoice(invoice_id: str) -> dict:
    return as_dict(client().v1.invoices.retrieve(invoice_id, params={"expand": ["payments"]}))


def retrieve_charge(charge_id: str) -> dict:
    return as_dict(client().v1.charges.retrieve(charge_id))


def retrieve_customer(customer_id: str) -> dict:
    return as_dict(client().v1.customers.retrieve(customer_id))


def change_amount(
    donation: RecurringDonation, amount: int, interval: str, request_id: uuid.UUID
) -> dict:
    """Change a recurring donation's amount or interval from its next payment on (no
    proration, no charge now). Stripe's Customer Portal can't do this for ad-hoc prices."""
    subscription = client().v1.subscriptions.retrieve(donation.stripe_id)
    item_id = subscription["items"].data[0].id
    updated = client().v1.subscriptions.update(
        donation.stripe_id,
        params={
            "items": [
                {
                    "id": item_id,
                    "price_data": {
                        "currency": donation.currency,
                        "product": product_id(),
                        "unit_amount": amount,
                        "recurring": {"interval": interval},
                    },
                }
            ],
            "proration_behavior": "none",
        },
        options={"idempotency_key": f"masthead-change-{donation.stripe_id}-{request_id}"},
    )
    return as_dict(updated)


def portal_url(customer_id: str, return_url: str) -> str:
    """A short-lived Stripe Customer Portal address: update the card, invoices, cancel."""
    session = client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url},
        options={"idempotency_key": f"masthead-portal-{uuid.uuid4()}"},
    )
    return session.url


def list_subscriptions():
    """Every subscription in the account, newest first (the SDK pages through them)."""
    return client().v1.subscriptions.list(params={"status": "all", "limit": 100}).auto_paging_iter()


def list_paid_invoices(since: int):
    return (
        client()
        .v1.invoices.list(
            params={
                "status": "paid",
                "created": {"gte": since},
                "limit": 100,
                "expand": ["data.payments"],
            }
        )
        .auto_paging_iter()
    )


def list_checkout_sessions(since: int):
    return (
        client()
        .v1.checkout.sessions.list(params={"created": {"gte": since}, "limit": 100})
        .auto_paging_iter()
    )
