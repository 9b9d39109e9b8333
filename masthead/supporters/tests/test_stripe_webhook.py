"""Stripe's webhooks: only signed events get in, each is processed exactly once, and whatever the
order or the number of deliveries, Masthead's records end up as Stripe's state."""

import json
import time

import pytest

from masthead.supporters import figures
from masthead.supporters.models import Checkout, Donor, Gift, RecurringDonation, StripeEvent
from masthead.testing.stripe import sign
from masthead.testing.supporters import WEBHOOK_PATH, give, send_event, start_gift


def subscription_of(fake, session_id):
    return fake.objects[fake.objects[session_id]["subscription"]]


# --- Who may post -----------------------------------------------------------------------------


def post_raw(client, body: bytes, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK_PATH, data=body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "forgery",
    ["missing", "wrong secret", "tampered body", "stale", "reserialised", "v0 only", "garbage"],
)
def test_a_forged_or_broken_signature_gets_400_and_nothing_is_stored(
    client, fake_stripe, support_page, forgery
):
    event = fake_stripe.event(
        "customer.subscription.deleted", {"id": "sub_x", "object": "subscription"}
    )
    body = json.dumps(event).encode()
    signature = sign(body, fake_stripe.webhook_secret)
    if forgery == "missing":
        signature = None
    elif forgery == "wrong secret":
        signature = sign(body, "whsec_someone_else")
    elif forgery == "tampered body":
        body = body.replace(b"deleted", b"created")
    elif forgery == "stale":
        signature = sign(body, fake_stripe.webhook_secret, timestamp=int(time.time()) - 301)
    elif forgery == "reserialised":
        body = json.dumps(event, indent=2).encode()
    elif forgery == "v0 only":
        signature = signature.replace("v1=", "v0=")
    elif forgery == "garbage":
        signature = "not a signature"

    response = post_raw(client, body, signature)

    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_without_a_webhook_secret_events_are_refused_with_a_reason(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = post_raw(client, b"{}", "t=1,v1=00")

    assert response.status_code == 400
    assert "STRIPE_WEBHOOK_SECRET" in response.content.decode()


def test_only_post_is_accepted(client, fake_stripe, db):
    assert client.get(WEBHOOK_PATH).status_code == 405


def test_the_webhook_needs_no_csrf_token(fake_stripe, support_page):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    event = fake_stripe.event("customer.created", {"id": "cus_1", "object": "customer"})

    assert send_event(strict, fake_stripe, event).status_code == 200


def test_events_masthead_does_not_use_are_acknowledged_and_marked_ignored(client, fake_stripe, db):
    event = fake_stripe.event("customer.created", {"id": "cus_1", "object": "customer"})

    response = send_event(client, fake_stripe, event)

    assert response.status_code == 200
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.processed_at is not None
    assert stored.outcome.startswith("ignored")


# --- The three kinds of gift end to end ------------------------------------------------------


@pytest.mark.parametrize(("kind", "interval"), [("monthly", "month"), ("annual", "year")])
def test_a_recurring_gift_makes_a_supporter_records_the_payment_and_sends_a_receipt(
    client, fake_stripe, support_page, mailoutbox, kind, interval
):
    before = figures.supporter_count()

    session_id = give(client, fake_stripe, kind, "12", email="new@example.org", name="Ada Reader")

    donation = RecurringDonation.objects.get()
    assert (donation.status, donation.interval, donation.amount) == ("active", interval, 1200)
    assert donation.donor.email == "new@example.org"
    assert donation.donor.name == "Ada Reader"
    assert donation.checkout.stripe_session_id == session_id
    [gift] = Gift.objects.all()
    assert (gift.kind, gift.amount, gift.recurring_donation) == (kind, 1200, donation)
    assert figures.supporter_count() == before + 1
    assert [message.to for message in mailoutbox] == [["new@example.org"]]
    assert Checkout.objects.get().status == Checkout.COMPLETE


def test_a_one_time_gift_is_money_but_not_a_consistent_supporter(
    client, fake_stripe, support_page, mailoutbox
):
    give(client, fake_stripe, "one_time", "30", email="once@example.org", dedication="For Ana")

    [gift] = Gift.objects.all()
    assert (gift.kind, gift.amount, gift.dedication) == ("one_time", 3000, "For Ana")
    assert gift.stripe_payment_intent.startswith("pi_")
    assert RecurringDonation.objects.count() == 0
    assert figures.supporter_count() == 0
    assert len(mailoutbox) == 1


def test_the_article_shows_the_new_count_after_a_gift(
    client, fake_stripe, support_page, small_newsroom
):
    from masthead.newsroom.models import ArticlePage

    article = ArticlePage.objects.live().first()
    assert '<strong class="supporter-count">0</strong>' in client.get(article.url).content.decode()

    give(client, fake_stripe, "monthly", "9")

    html = client.get(article.url).content.decode()
    assert '<strong class="supporter-count">1</strong>' in html
    assert f'href="/support/?from={article.pk}"' in html


# --- Exactly once, whatever the order ---------------------------------------------------------


def test_every_event_replayed_three_times_changes_nothing(
    client, fake_stripe, support_page, mailoutbox
):
    session_id = give(client, fake_stripe, "monthly", "12")
    give(client, fake_stripe, "one_time", "25", email="second@example.org")
    sub = subscription_of(fake_stripe, session_id)
    fake_stripe.renew(sub["id"])
    renewal = fake_stripe.event("invoice.paid", fake_stripe.objects[sub["latest_invoice"]])
    send_event(client, fake_stripe, renewal)
    state = (
        figures.supporter_count(),
        Gift.objects.count(),
        Donor.objects.count(),
        len(mailoutbox),
        sorted(Gift.objects.values_list("amount", flat=True)),
    )
    events = [stored.payload for stored in StripeEvent.objects.all()]
    assert len(events) == 5

    for _ in range(3):
        for event in events:
            response = send_event(client, fake_stripe, event)
            assert response.status_code == 200
            assert response.json()["duplicate"] is True

    assert state == (1, 3, 2, 3, [1200, 1200, 2500])
    assert (
        figures.supporter_count(),
        Gift.objects.count(),
        Donor.objects.count(),
        len(mailoutbox),
        sorted(Gift.objects.values_list("amount", flat=True)),
    ) == state
    assert set(StripeEvent.objects.values_list("attempts", flat=True)) == {1}


def test_events_in_reverse_order_end_in_the_same_state(client, fake_stripe, support_page):
    gave = start_gift(client, "monthly", "15")
    fake_stripe.complete_checkout(gave.session_id)
    events = fake_stripe.events_for_checkout(gave.session_id)

    for event in reversed(events):  # checkout.session.completed, invoice.paid, then created
        assert send_event(client, fake_stripe, event).status_code == 200

    donation = RecurringDonation.objects.get()
    assert (donation.status, donation.amount, donation.checkout.reference) == (
        "active",
        1500,
        Checkout.objects.get().reference,
    )
    assert Gift.objects.get().recurring_donation == donation
    assert figures.supporter_count() == 1


def test_the_payment_can_arrive_before_masthead_knows_the_subscription(
    client, fake_stripe, support_page
):
    gave = start_gift(client, "monthly", "15", email="early@example.org")
    fake_stripe.complete_checkout(gave.session_id)
    sub = subscription_of(fake_stripe, gave.session_id)

    send_event(
        client,
        fake_stripe,
        fake_stripe.event("invoice.paid", fake_stripe.objects[sub["latest_invoice"]]),
    )

    assert Gift.objects.get().donor.email == "early@example.org"
    assert RecurringDonation.objects.get().stripe_id == sub["id"]


def test_a_late_stale_update_cannot_undo_a_cancellation(client, fake_stripe, support_page):
    session_id = give(client, fake_stripe, "monthly", "12")
    sub = subscription_of(fake_stripe, session_id)
    stale_update = fake_stripe.event("customer.subscription.updated", sub)  # says "active"
    fake_stripe.cancel(sub["id"])
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.deleted", sub))
    assert figures.supporter_count() == 0

    send_event(client, fake_stripe, stale_update)  # delivered late

    assert RecurringDonation.objects.get().status == "canceled"
    assert figures.supporter_count() == 0


# --- Leaving, lapsing, refunds -----------------------------------------------------------------


def test_cancelling_drops_the_count_and_ending_at_period_end_counts_until_it_ends(
    client, fake_stripe, support_page
):
    first = subscription_of(
        fake_stripe, give(client, fake_stripe, "monthly", "5", email="a@example.org")
    )
    second = subscription_of(
        fake_stripe, give(client, fake_stripe, "annual", "60", email="b@example.org")
    )
    assert figures.supporter_count() == 2

    fake_stripe.cancel(first["id"], at_period_end=True)
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.updated", first))
    ending = RecurringDonation.objects.get(stripe_id=first["id"])
    assert ending.is_ending
    assert figures.supporter_count() == 2

    fake_stripe.cancel(second["id"])
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.deleted", second))
    assert figures.supporter_count() == 1
    assert RecurringDonation.objects.get(stripe_id=second["id"]).ended_at is not None


def test_a_failed_renewal_keeps_the_supporter_while_stripe_retries_then_they_lapse(
    client, fake_stripe, support_page, mailoutbox
):
    sub = subscription_of(
        fake_stripe, give(client, fake_stripe, "monthly", "8", email="card@example.org")
    )
    mailoutbox.clear()

    failed = fake_stripe.fail_renewal(sub["id"])
    send_event(client, fake_stripe, fake_stripe.event("invoice.payment_failed", failed))
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.updated", sub))

    assert RecurringDonation.objects.get().status == "past_due"
    assert figures.supporter_count() == 1  # a lapse, not a departure, while Stripe retries
    assert Gift.objects.count() == 1  # the failed renewal is no money
    [notice] = mailoutbox
    assert notice.to == ["card@example.org"]
    assert "/support/manage/" in notice.body

    fake_stripe.set_status(sub["id"], "unpaid")
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.updated", sub))
    assert figures.supporter_count() == 0


def test_a_refund_is_recorded_on_the_gift_and_lowers_the_campaign_total(
    client, fake_stripe, support_page
):
    give(client, fake_stripe, "one_time", "50")
    gift = Gift.objects.get()
    charge = fake_stripe.charge_of(gift.stripe_payment_intent)

    fake_stripe.refund(charge["id"], amount=2000)
    send_event(client, fake_stripe, fake_stripe.event("charge.refunded", charge))
    gift.refresh_from_db()
    assert (gift.amount_refunded, gift.net_amount, gift.is_refunded) == (2000, 3000, False)

    fake_stripe.refund(charge["id"])
    send_event(client, fake_stripe, fake_stripe.event("charge.refunded", charge))
    gift.refresh_from_db()
    assert gift.is_refunded
    assert Gift.objects.net_total() == 0


def test_a_refund_of_a_monthly_payment_finds_its_gift(client, fake_stripe, support_page):
    give(client, fake_stripe, "monthly", "10")
    gift = Gift.objects.get()
    charge = fake_stripe.charge_of(gift.stripe_payment_intent)

    fake_stripe.refund(charge["id"])
    send_event(client, fake_stripe, fake_stripe.event("charge.refunded", charge))

    gift.refresh_from_db()
    assert gift.is_refunded
    assert figures.supporter_count() == 1  # a refund alone doesn't end the donation


# --- Delayed payment methods --------------------------------------------------------------------


def test_a_delayed_payment_counts_only_when_it_succeeds(
    client, fake_stripe, support_page, mailoutbox
):
    gave = start_gift(client, "one_time", "40")
    session = fake_stripe.complete_checkout(gave.session_id, paid=False)  # e.g. SEPA debit

    send_event(client, fake_stripe, fake_stripe.event("checkout.session.completed", session))
    assert Checkout.objects.get().status == Checkout.AWAITING_PAYMENT
    assert Gift.objects.count() == 0
    assert mailoutbox == []

    session = fake_stripe.succeed_delayed_payment(gave.session_id)
    send_event(
        client, fake_stripe, fake_stripe.event("checkout.session.async_payment_succeeded", session)
    )

    assert Gift.objects.get().amount == 4000
    assert Checkout.objects.get().status == Checkout.COMPLETE
    assert len(mailoutbox) == 1


def test_a_delayed_payment_that_fails_records_nothing(
    client, fake_stripe, support_page, mailoutbox
):
    gave = start_gift(client, "one_time", "40")
    session = fake_stripe.complete_checkout(gave.session_id, paid=False)
    send_event(client, fake_stripe, fake_stripe.event("checkout.session.completed", session))

    send_event(
        client, fake_stripe, fake_stripe.event("checkout.session.async_payment_failed", session)
    )

    assert Checkout.objects.get().status == Checkout.FAILED
    assert Gift.objects.count() == 0
    assert mailoutbox == []
    thanks = client.get(f"/support/thanks/?session_id={gave.session_id}").content.decode()
    assert "The payment didn't go through" in thanks


# --- What counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        ("active", True),
        ("past_due", True),
        ("incomplete", False),
        ("incomplete_expired", False),
        ("unpaid", False),
        ("canceled", False),
        ("paused", False),
        ("trialing", False),
    ],
)
def test_which_subscription_states_make_a_consistent_supporter(
    client, fake_stripe, support_page, status, counts
):
    sub = subscription_of(fake_stripe, give(client, fake_stripe, "monthly", "10"))

    fake_stripe.set_status(sub["id"], status)
    send_event(client, fake_stripe, fake_stripe.event("customer.subscription.updated", sub))

    assert figures.supporter_count() == (1 if counts else 0)


def test_a_donor_with_two_recurring_gifts_is_one_supporter(client, fake_stripe, support_page):
    give(client, fake_stripe, "monthly", "10", email="twice@example.org")
    give(client, fake_stripe, "annual", "100", email="Twice@Example.org")

    assert RecurringDonation.objects.count() == 2
    assert Donor.objects.count() == 1
    assert figures.supporter_count() == 1


def test_with_live_keys_test_mode_events_and_objects_never_count(
    client, fake_stripe, support_page, settings
):
    give(client, fake_stripe, "monthly", "10")  # a test-mode supporter
    settings.STRIPE_SECRET_KEY = "sk_live_masthead"
    figures.refresh()
    assert figures.supporter_count() == 0

    sub = fake_stripe.subscription(fake_stripe.customer("x@example.org")["id"], 900)
    event = fake_stripe.event("customer.subscription.created", sub)  # livemode false
    send_event(client, fake_stripe, event)

    assert StripeEvent.objects.get(pk=event["id"]).outcome.startswith("ignored")
    assert not RecurringDonation.objects.filter(stripe_id=sub["id"]).exists()
    assert figures.supporter_count() == 0


# --- When Stripe can't be reached ---------------------------------------------------------------


def test_an_event_that_cannot_be_processed_is_kept_and_processed_when_redelivered(
    client, fake_stripe, support_page
):
    gave = start_gift(client, "monthly", "10")
    fake_stripe.complete_checkout(gave.session_id)
    [created, _paid, _completed] = fake_stripe.events_for_checkout(gave.session_id)
    fake_stripe.unreachable = True

    assert send_event(client, fake_stripe, created).status_code == 200

    stored = StripeEvent.objects.get(pk=created["id"])
    assert stored.processed_at is None
    assert "APIConnectionError" in stored.error
    assert figures.supporter_count() == 0

    fake_stripe.unreachable = False
    send_event(client, fake_stripe, created)  # Stripe (or an operator) delivers it again

    stored.refresh_from_db()
    assert stored.processed_at is not None
    assert stored.attempts == 2
    assert figures.supporter_count() == 1


def test_a_gift_made_outside_masthead_is_still_recorded(client, fake_stripe, support_page):
    """E.g. a Payment Link made in the Stripe Dashboard: no Masthead checkout behind it."""
    _status, product = fake_stripe.handle("POST", "/v1/products", {"name": "Donation"})
    _status, session = fake_stripe.handle(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "client_reference_id": "payment-link-42",
            "customer_email": "link@example.org",
            "line_items": [
                {
                    "quantity": "1",
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": "2500",
                        "product": product["id"],
                    },
                }
            ],
        },
    )
    completed = fake_stripe.complete_checkout(session["id"])

    event = fake_stripe.event("checkout.session.completed", completed)
    assert send_event(client, fake_stripe, event).status_code == 200

    gift = Gift.objects.get()
    assert (gift.amount, gift.donor.email, gift.campaign) == (2500, "link@example.org", None)
    assert StripeEvent.objects.get(pk=event["id"]).outcome == "checkout not from Masthead"
