"""Bring the local mirror to what Stripe says: each `apply_*` takes a Stripe object (as a dict,
freshly fetched) and upserts the rows it describes, keyed by Stripe's ids.

Applying the same object twice changes nothing, and applying objects in any order ends in the
same state, because each one carries its full current state. The webhook processor, the
thank-you page and `stripe_sync` all come through here.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from masthead.supporters import figures, stripe_api
from masthead.supporters.models import (
    KIND_OF_INTERVAL,
    MONTH,
    MONTHLY,
    ONE_TIME,
    Campaign,
    Checkout,
    Donor,
    Gift,
    RecurringDonation,
    StripeCustomer,
    normalize_email,
)

logger = logging.getLogger(__name__)


class NotReadyYet(Exception):
    """The object refers to something Masthead hasn't recorded yet; try again later."""


def _id(value) -> str | None:
    """An expandable Stripe field: an id, or the expanded object's id."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


def _time(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


# --- Donors --------------------------------------------------------------------------------


def donor_for_customer(
    customer_id: str | None,
    livemode: bool,
    email: str | None = None,
    name: str = "",
    language: str | None = None,
) -> Donor:
    """The donor behind a Stripe customer, made or linked by e-mail address the first time the
    customer is seen (so one person with two customers is still one supporter)."""
    if customer_id:
        known = StripeCustomer.objects.select_related("donor").filter(pk=customer_id).first()
        if known:
            return known.donor
    if not email:
        if not customer_id:
            raise NotReadyYet("No customer and no e-mail address to find the donor by.")
        customer = stripe_api.retrieve_customer(customer_id)
        email = customer.get("email")
        name = name or customer.get("name") or ""
        if not email:
            raise NotReadyYet(f"Stripe customer {customer_id} has no e-mail address.")
    donor, created = Donor.objects.get_or_create(
        email=normalize_email(email),
        defaults={"name": name[:200], "language": language or "en"},
    )
    if not created and name and not donor.name:
        donor.name = name[:200]
        donor.save(update_fields=["name"])
    if customer_id:
        StripeCustomer.objects.get_or_create(
            pk=customer_id, defaults={"donor": donor, "livemode": livemode}
        )
    return donor


# --- What a gift came from -------------------------------------------------------------------


def _checkout_for(
    metadata: dict | None, session_id: str | None = None, reference: str | None = None
) -> Checkout | None:
    """The Masthead checkout a Stripe object came from: by the reference Masthead put in its
    metadata (or as the session's `client_reference_id`), else by the session id. Objects made
    outside Masthead (a Payment Link, the Dashboard) have none."""
    for candidate in ((metadata or {}).get("masthead_checkout"), reference):
        try:
            key = uuid.UUID(str(candidate))
        except ValueError:
            continue
        found = Checkout.objects.filter(reference=key).first()
        if found:
            return found
    if session_id:
        return Checkout.objects.filter(stripe_session_id=session_id).first()
    return None


def _attribution(metadata: dict | None, checkout: Checkout | None) -> dict:
    """Campaign, source page and language of a gift: from Masthead's checkout, else from the
    metadata Masthead put on the Stripe objects."""
    if checkout:
        return {
            "campaign": checkout.campaign,
            "source_page_id": checkout.source_page_id,
            "language": checkout.language,
        }
    metadata = metadata or {}
    campaign = Campaign.objects.filter(slug=metadata.get("campaign") or "").first()
    source = metadata.get("source_page") or ""
    source_page_id = int(source) if source.isdigit() else None
    if source_page_id and not Page.objects.filter(pk=source_page_id).exists():
        source_page_id = None
    return {
        "campaign": campaign,
        "source_page_id": source_page_id,
        "language": metadata.get("language") or "en",
    }


# --- Checkout Sessions -----------------------------------------------------------------------

SESSION_PAID = {"paid", "no_payment_required"}


def apply_checkout_session(session: dict, failed: bool = False) -> Checkout | None:
    """A Checkout Session's outcome: the checkout's status, the donor, and for a one-time gift
    paid now, the gift itself. A recurring gift's money arrives as invoices."""
    checkout = _checkout_for(
        session.get("metadata"), session.get("id"), session.get("client_reference_id")
    )
    paid = session.get("payment_status") in SESSION_PAID
    if session.get("status") == "expired":
        status = Checkout.EXPIRED
    elif session.get("status") == "complete":
        status = Checkout.COMPLETE if paid else Checkout.AWAITING_PAYMENT
        if failed:
            status = Checkout.FAILED
    else:
        status = Checkout.OPEN
    if session.get("status") != "complete":
        if checkout and checkout.status in {Checkout.STARTED, Checkout.OPEN}:
            checkout.status = status
            checkout.save(update_fields=["status", "updated_at"])
        return checkout

    details = session.get("customer_details") or {}
    livemode = bool(session.get("livemode"))
    donor = donor_for_customer(
        _id(session.get("customer")),
        livemode,
        email=details.get("email") or (checkout.email if checkout else None),
        name=(checkout.name if checkout and checkout.name else details.get("name")) or "",
        language=checkout.language if checkout else None,
    )
    if checkout:
        # Once complete, a checkout only moves on from "awaiting" (to paid or failed).
        if checkout.status not in {Checkout.COMPLETE, Checkout.FAILED}:
            checkout.status = status
        checkout.donor = donor
        checkout.stripe_session_id = session.get("id")
        checkout.save(update_fields=["status", "donor", "stripe_session_id", "updated_at"])

    if session.get("mode") == "payment" and paid and not failed:
        _record_one_time_gift(session, donor, checkout)
    elif session.get("mode") == "subscription" and session.get("subscription"):
        apply_subscription(stripe_api.retrieve_subscription(_id(session["subscription"])))
        if session.get("invoice"):
            apply_invoice(stripe_api.retrieve_invoice(_id(session["invoice"])))
    return checkout


def _record_one_time_gift(session: dict, donor: Donor, checkout: Checkout | None) -> Gift | None:
    payment_intent = _id(session.get("payment_intent"))
    if not payment_intent:
        return None
    gift, created = Gift.objects.get_or_create(
        stripe_payment_intent=payment_intent,
        defaults={
            "donor": donor,
            "kind": ONE_TIME,
            "amount": session.get("amount_total") or 0,
            "currency": (session.get("currency") or "usd").lower(),
            "paid_at": timezone.now(),
            "stripe_checkout_session": session.get("id") or "",
            "livemode": bool(session.get("livemode")),
            "dedication": checkout.dedication if checkout else "",
            **_attribution(session.get("metadata"), checkout),
        },
    )
    if created:
        _after_new_gift(gift)
    return gift


# --- Subscriptions -------------------------------------------------------------------------


def apply_subscription(subscription: dict) -> RecurringDonation:
    """Upsert the mirror of one Stripe subscription from its current state."""
    items = (subscription.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    price = item.get("price") or item.get("plan") or {}
    recurring = price.get("recurring") or {}
    interval = recurring.get("interval") or price.get("interval") or MONTH
    unit_amount = price.get("unit_amount")
    if unit_amount is None:
        unit_amount = price.get("amount") or 0
    amount = unit_amount * (item.get("quantity") or 1)
    period_end = item.get("current_period_end") or subscription.get("current_period_end")
    metadata = subscription.get("metadata") or {}
    checkout = _checkout_for(metadata)
    livemode = bool(subscription.get("livemode"))
    donor = donor_for_customer(
        _id(subscription.get("customer")),
        livemode,
        email=checkout.email if checkout else None,
        name=checkout.name if checkout else "",
        language=checkout.language if checkout else None,
    )
    values = {
        "donor": donor,
        "status": subscription.get("status") or "incomplete",
        "interval": interval,
        "amount": amount,
        "currency": (price.get("currency") or "usd").lower(),
        "cancel_at_period_end": bool(subscription.get("cancel_at_period_end")),
        "current_period_end": _time(period_end),
        "started_at": _time(subscription.get("start_date") or subscription.get("created"))
        or timezone.now(),
        "canceled_at": _time(subscription.get("canceled_at")),
        "ended_at": _time(subscription.get("ended_at")),
        "livemode": livemode,
        "synced_at": timezone.now(),
    }
    with transaction.atomic():
        # get_or_create: the thank-you page and a webhook may see a new subscription at once.
        donation, created = RecurringDonation.objects.select_for_update().get_or_create(
            stripe_id=subscription["id"],
            defaults={"checkout": checkout, **_attribution(metadata, checkout), **values},
        )
        if not created:
            changed = [name for name, value in values.items() if getattr(donation, name) != value]
            for name in changed:
                setattr(donation, name, values[name])
            if changed:
                donation.save(update_fields=changed)
    figures.refresh_after_commit()
    return donation


# --- Invoices (each payment of a recurring donation) -----------------------------------------


def invoice_subscription_id(invoice: dict) -> str | None:
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def _invoice_payment_intent(invoice: dict) -> str | None:
    for entry in (invoice.get("payments") or {}).get("data") or []:
        payment = entry.get("payment") or {}
        if entry.get("status", "paid") == "paid" and payment.get("payment_intent"):
            return _id(payment["payment_intent"])
    return _id(invoice.get("payment_intent"))


def apply_invoice(invoice: dict) -> Gift | None:
    """Record a paid invoice of a recurring donation as a gift (once per invoice)."""
    if invoice.get("status") != "paid" or not invoice.get("amount_paid"):
        return None
    subscription_id = invoice_subscription_id(invoice)
    if not subscription_id:
        return None  # an invoice that isn't a donation (e.g. made by hand in the Dashboard)
    donation = RecurringDonation.objects.filter(stripe_id=subscription_id).first()
    if donation is None:
        donation = apply_subscription(stripe_api.retrieve_subscription(subscription_id))
    payment_intent = _invoice_payment_intent(invoice)
    if payment_intent:
        paid_by_intent = Gift.objects.filter(stripe_payment_intent=payment_intent).first()
        if paid_by_intent:
            return paid_by_intent
    paid_at = _time((invoice.get("status_transitions") or {}).get("paid_at"))
    gift, created = Gift.objects.get_or_create(
        stripe_invoice=invoice["id"],
        defaults={
            "donor": donation.donor,
            "recurring_donation": donation,
            "kind": KIND_OF_INTERVAL.get(donation.interval, MONTHLY),
            "amount": invoice["amount_paid"],
            "currency": (invoice.get("currency") or donation.currency).lower(),
            "paid_at": paid_at or timezone.now(),
            "stripe_payment_intent": payment_intent,
            "livemode": bool(invoice.get("livemode")),
            "language": donation.language,
            "campaign": donation.campaign,
            "source_page_id": donation.source_page_id,
            "dedication": donation.checkout.dedication if donation.checkout else "",
        },
    )
    if created:
        _after_new_gift(gift)
    return gift


# --- Refunds -------------------------------------------------------------------------------


def apply_charge(charge: dict) -> Gift:
    """A charge's refunds: the gift it paid shows what was given back (partial or whole)."""
    payment_intent = _id(charge.get("payment_intent"))
    gift = (
        Gift.objects.filter(stripe_payment_intent=payment_intent).first()
        if payment_intent
        else None
    )
    if gift is None:
        raise NotReadyYet(f"No gift is recorded for charge {charge.get('id')} yet.")
    refunded = min(charge.get("amount_refunded") or 0, gift.amount)
    if refunded != gift.amount_refunded:
        gift.amount_refunded = refunded
        gift.save(update_fields=["amount_refunded"])
        figures.refresh_after_commit()
    return gift


def _after_new_gift(gift: Gift) -> None:
    from masthead.supporters.tasks import send_receipt

    figures.refresh_after_commit()
    gift_id = gift.pk
    transaction.on_commit(lambda: send_receipt.enqueue(gift_id))
