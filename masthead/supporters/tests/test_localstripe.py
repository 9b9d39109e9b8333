"""Donations end to end against localstripe, a Stripe emulator run as a real process.

localstripe (PyPI, GPL-3.0, a test-only dependency) keeps state like Stripe and is driven here
with the official SDK: customers, plans, card payment methods (4242 pays; 4000000000000341
attaches but its payments fail), subscriptions, cancellation, and webhooks it signs and POSTs
itself. Masthead runs unmodified around it: localstripe delivers its events to a live
Masthead (`live_server`), whose webhook view verifies them, records them and processes them
by fetching the subscription back from localstripe; `stripe_sync` reads localstripe's lists.
So these tests check the wiring the fake can't: the real SDK over a real socket, real
signatures, real delivery, and the supporter count read the way pages read it.

What localstripe lacks, and why the rest is tested elsewhere: it has no Prices, no Checkout
Sessions and no Customer Portal (the donation form's whole path), it never sends
`invoice.paid`, `customer.subscription.updated` or `charge.refunded`, it can't change a
subscription's amount, and it answers in pre-2025 shapes (billing period on the subscription,
a `plan` instead of a `price` on items, `invoice.subscription`). Those paths, in the shapes of
the API version Masthead pins, are covered with the in-process fake Stripe
(`masthead/testing/stripe.py`), which plays Stripe's part step by step. The wrapper that runs
localstripe (`masthead/testing/localstripe.py`) teaches it the invoice-list filters
`stripe_sync` sends and answers an empty list of Checkout Sessions; nothing of Masthead's is
patched.
"""

from __future__ import annotations

import socket
import time
from io import StringIO

import pytest
import stripe
from django.core import mail
from django.core.management import call_command
from django.db import connection
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from masthead.supporters import figures, webhooks
from masthead.supporters.models import Donor, Gift, RecurringDonation, StripeCustomer, StripeEvent
from masthead.testing.localstripe import Localstripe
from masthead.testing.supporters import WEBHOOK_PATH

pytest.importorskip(
    "localstripe", reason="localstripe (the test-only Stripe emulator) is not installed"
)

pytestmark = [
    pytest.mark.server,
    # Transactional: the live server's threads see what tests write, and the other way round.
    # (Not `serialized_rollback`: after another transactional module's flush has re-created
    # the content types, restoring the serialized ones fails on their unique constraint.)
    pytest.mark.django_db(transaction=True),
    # The test database must exist before the (session-wide) live server starts: with SQLite
    # in memory, the server then shares the tests' connection. Started first, it opens its own
    # and reads fail with "database table is locked" while it writes.
    pytest.mark.usefixtures("django_db_setup"),
]

SECRET_KEY = "sk_test_localstripe_masthead"  # a test key: only test-mode objects count
WEBHOOK_SECRET = "whsec_localstripe_masthead"
CARD_PAYS = "4242424242424242"
CARD_FAILS = "4000000000000341"  # attaches to the customer, then every charge is declined
DEADLINE = 15  # seconds; localstripe sends each webhook 1 s after the event


@pytest.fixture(scope="module")
def localstripe():
    server = Localstripe().start()
    yield server
    server.stop()


class Account:
    """The Stripe account at localstripe, driven from Stripe's side: the plans, the readers'
    cards and subscriptions, and cancellations (what Checkout and the Dashboard would do)."""

    def __init__(self, server: Localstripe) -> None:
        self.server = server
        self.client = stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": server.url}, max_network_retries=0
        )

    def plan(self, amount: int, interval: str = "month", currency: str = "usd") -> dict:
        return self.client.v1.plans.create(
            params={
                "amount": amount,
                "currency": currency,
                "interval": interval,
                "product": {"name": "Donation"},
            }
        ).to_dict()

    def subscribe(self, email: str, plan: dict, card: str = CARD_PAYS, name: str = "") -> dict:
        """A new customer with this card subscribes to the plan; returns the subscription."""
        card_details = {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
        method = self.client.v1.payment_methods.create(
            params={"type": "card", "card": card_details}
        )
        params = {"email": email, "payment_method": method.id}
        params["invoice_settings"] = {"default_payment_method": method.id}
        if name:
            params["name"] = name
        customer = self.client.v1.customers.create(params=params)
        return self.subscribe_customer(customer.id, plan)

    def subscribe_customer(self, customer_id: str, plan: dict) -> dict:
        return self.client.v1.subscriptions.create(
            params={"customer": customer_id, "items": [{"plan": plan["id"]}]}
        ).to_dict()

    def cancel(self, subscription_id: str) -> dict:
        return self.client.v1.subscriptions.cancel(subscription_id).to_dict()

    def paid_invoice_ids(self) -> set[str]:
        invoices = self.client.v1.invoices.list(params={"limit": 100}).auto_paging_iter()
        return {invoice.id for invoice in invoices if invoice.status == "paid"}

    def send_webhooks_to(self, url: str) -> None:
        """Where the account's webhook endpoint points, for the events Masthead handles."""
        self.server.register_webhook(
            "masthead", url, WEBHOOK_SECRET, sorted(webhooks.HANDLED_EVENTS)
        )


@pytest.fixture
def account(localstripe, live_server, settings):
    """An empty Stripe account at localstripe whose webhooks go to the live Masthead, and
    Masthead configured for it with test-mode keys."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        assert live_server.thread.connections_override, "the live server started too early"
    # Migrations make the default locale (receipts need it); an earlier transactional test's
    # flush may have removed it.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    localstripe.flush()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe_masthead"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    account = Account(localstripe)
    account.send_webhooks_to(live_server.url + WEBHOOK_PATH)
    return account


@pytest.fixture
def unreachable_url():
    """An address on 127.0.0.1 where nothing listens (the port is held, so stays that way):
    Masthead being down when Stripe sends its events."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}{WEBHOOK_PATH}"


def eventually(check, what: str, server: Localstripe):
    """Poll `check` until it returns something true; fail with what Masthead and localstripe
    made of the events if it doesn't within DEADLINE."""
    deadline = time.monotonic() + DEADLINE
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            events = list(StripeEvent.objects.values_list("type", "outcome", "error"))
            pytest.fail(
                f"Not within {DEADLINE} s: {what}.\nEvents Masthead received: {events}\n"
                f"localstripe's errors: {server.errors() or 'none'}"
            )
        time.sleep(0.05)


def mirrored(subscription: dict, status: str | None = None):
    """Masthead's recurring donation for a Stripe subscription, once it is in `status`."""

    def check():
        donation = RecurringDonation.objects.filter(stripe_id=subscription["id"]).first()
        if donation and (status is None or donation.status == status):
            return donation
        return None

    return check


def supporters_shown(expected: int):
    """Whether the count pages show (the cached figure) is `expected`."""
    return lambda: figures.supporter_count() == expected


def test_a_monthly_subscription_paid_by_card_makes_a_supporter(account, localstripe):
    plan = account.plan(1500)
    subscription = account.subscribe("Ada@Example.org", plan, name="Ada Reader")
    assert subscription["status"] == "active"

    donation = eventually(
        mirrored(subscription, "active"), "the subscription is mirrored", localstripe
    )
    eventually(supporters_shown(1), "the supporter count shows 1", localstripe)
    assert RecurringDonation.objects.supporter_count() == 1
    assert (donation.amount, donation.currency, donation.interval) == (
        plan["amount"],
        plan["currency"],
        plan["interval"],
    )
    assert donation.livemode is False
    assert int(donation.current_period_end.timestamp()) == subscription["current_period_end"]
    assert donation.donor.email == "ada@example.org"
    assert donation.donor.name == "Ada Reader"
    assert StripeCustomer.objects.get(pk=subscription["customer"]).donor == donation.donor
    event = StripeEvent.objects.get(type="customer.subscription.created")
    assert event.processed_at is not None
    assert event.error == ""

    # A second monthly gift from the same reader: two donations, still one supporter.
    second = account.subscribe_customer(subscription["customer"], account.plan(500))
    eventually(mirrored(second, "active"), "the second subscription is mirrored", localstripe)
    assert donation.donor.recurring_donations.count() == 2
    eventually(supporters_shown(1), "the supporter count still shows 1", localstripe)
    assert RecurringDonation.objects.supporter_count() == 1
    assert Donor.objects.count() == 1


def test_cancelling_at_stripe_stops_counting_the_supporter(account, localstripe):
    subscription = account.subscribe("reader@example.org", account.plan(1200))
    eventually(mirrored(subscription, "active"), "the subscription is mirrored", localstripe)
    eventually(supporters_shown(1), "the supporter count shows 1", localstripe)

    account.cancel(subscription["id"])

    donation = eventually(
        mirrored(subscription, "canceled"), "the cancellation is mirrored", localstripe
    )
    assert donation.ended_at is not None
    eventually(supporters_shown(0), "the supporter count is back to 0", localstripe)
    assert RecurringDonation.objects.supporter_count() == 0
    assert Donor.objects.filter(email="reader@example.org").exists()  # still a past donor
    assert set(StripeEvent.objects.values_list("type", flat=True)) == {
        "customer.subscription.created",
        "customer.subscription.deleted",
    }
    assert not StripeEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_subscription_whose_first_payment_fails_is_not_counted(account, localstripe):
    plan = account.plan(1000)
    failed = account.subscribe("declined@example.org", plan, card=CARD_FAILS)
    assert failed["status"] == "incomplete"
    eventually(mirrored(failed, "incomplete"), "the incomplete subscription", localstripe)

    # Someone whose card works, subscribing after, is counted: the count does move.
    paid = account.subscribe("paid@example.org", plan)
    eventually(mirrored(paid, "active"), "the paid subscription is mirrored", localstripe)

    eventually(supporters_shown(1), "the supporter count shows 1", localstripe)
    assert RecurringDonation.objects.supporter_count() == 1
    counted = RecurringDonation.objects.counting().get()
    assert counted.donor.email == "paid@example.org"


def test_stripe_sync_repairs_what_missed_webhooks_left_out(account, localstripe, unreachable_url):
    plan = account.plan(2000)
    leaving = account.subscribe("leaving@example.org", plan)
    eventually(mirrored(leaving, "active"), "the first subscription is mirrored", localstripe)

    # Masthead goes down; what happens at Stripe meanwhile never reaches it.
    account.send_webhooks_to(unreachable_url)
    account.cancel(leaving["id"])
    joining = account.subscribe("joining@example.org", plan)
    declined = account.subscribe("declined@example.org", plan, card=CARD_FAILS)
    assert RecurringDonation.objects.get(stripe_id=leaving["id"]).status == "active"
    assert not RecurringDonation.objects.filter(stripe_id__in=[joining["id"], declined["id"]])

    out = StringIO()
    call_command("stripe_sync", stdout=out)

    statuses = dict(RecurringDonation.objects.values_list("stripe_id", "status"))
    assert statuses == {
        leaving["id"]: "canceled",
        joining["id"]: "active",
        declined["id"]: "incomplete",
    }
    assert figures.supporter_count() == 1
    assert RecurringDonation.objects.counting().get().donor.email == "joining@example.org"
    # The payments it found (localstripe never sends `invoice.paid`), with a receipt each.
    paid = account.paid_invoice_ids()
    assert set(Gift.objects.values_list("stripe_invoice", flat=True)) == paid
    assert all(gift.amount == plan["amount"] for gift in Gift.objects.all())
    assert sorted(m.to[0] for m in mail.outbox) == ["joining@example.org", "leaving@example.org"]
    assert "Consistent supporters now: 1" in out.getvalue()  # what the operator reads

    def snapshot():
        return (
            sorted(RecurringDonation.objects.values_list("stripe_id", "status", "amount")),
            sorted(Gift.objects.values_list("stripe_invoice", "amount")),
            sorted(Donor.objects.values_list("email", flat=True)),
            sorted(StripeCustomer.objects.values_list("id", flat=True)),
        )

    before = snapshot()
    call_command("stripe_sync", stdout=StringIO())
    assert snapshot() == before
    assert len(mail.outbox) == 2
    assert figures.supporter_count() == 1
