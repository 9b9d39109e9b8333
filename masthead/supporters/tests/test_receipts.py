"""Receipts and the failed-payment note, delivered over SMTP to a real server in this process
(aiosmtpd), the way a newsroom's mail relay would receive them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import formats, timezone, translation
from wagtail.models import Locale

from masthead.supporters import figures, tasks
from masthead.supporters.models import Donor, Gift, RecurringDonation, SupportSettings
from masthead.testing.supporters import give, send_event, start_gift

DONOR = "donor@example.org"
LEGAL_NAME = "Test Ledger Media Cooperative"
ADDRESS = ["4521 Rue Saint-Denis", "Montréal QC H2J 2L4", "Canada"]
NOTE = "No goods or services were provided in exchange for this gift."


@pytest.fixture
def smtp(smtp_server, settings):
    """A real SMTP server on 127.0.0.1 that Masthead sends its e-mail to."""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "newsroom@ledger.example"
    return smtp_server


@pytest.fixture
def receipt_details(newsroom):
    support = SupportSettings.for_site(newsroom.site)
    support.legal_name = LEGAL_NAME
    support.postal_address = "\n".join(ADDRESS)
    support.receipt_note = NOTE
    support.save()
    return support


@pytest.fixture
def ready(smtp, fake_stripe, support_page, receipt_details):
    """Donations open, receipts filled in, mail going to the SMTP server."""
    return smtp


def in_french(support_page):
    french = support_page.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True
    )
    french.save_revision().publish()
    return french


def written_as(language: str, value) -> str:
    """A date the way Django writes it in `language` (the receipt's own format)."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def amount_pattern(number: str, currency_sign: str) -> re.Pattern:
    """An amount with any kind of space between number and sign (babel uses no-break ones)."""
    return re.compile(rf"{re.escape(number)}[\s\u00a0\u202f]{re.escape(currency_sign)}")


# --- Receipts -------------------------------------------------------------------------------


def test_a_monthly_gift_gets_one_receipt_with_everything_on_it(client, fake_stripe, ready):
    give(client, fake_stripe, "monthly", "12", email="Donor@Example.org", name="Ana Ferreira")

    [receipt] = ready.inbox.mails
    assert receipt.recipients == [DONOR]
    assert receipt.sender == "newsroom@ledger.example"
    assert receipt.subject == "Receipt for your gift to The Test Ledger"
    assert receipt.message.get_content_type() == "multipart/alternative"
    gift = Gift.objects.get()
    for part in (receipt.text, receipt.html):
        assert "$12" in part
        assert "$12.00" not in part  # whole amounts without cents
        assert written_as("en", gift.paid_at) in part
        assert gift.stripe_invoice in part  # the reference, to find it at Stripe
        assert LEGAL_NAME in part
        assert all(line in part for line in ADDRESS)
        assert NOTE in part
        assert "Thank you for supporting The Test Ledger." in part
    assert "Monthly" in receipt.text
    assert re.search(r"https?://[^\s]+/support/manage/\s", receipt.text)
    assert re.search(r'<a href="https?://[^"]+/support/manage/"', receipt.html)
    assert '<html lang="en">' in receipt.html
    assert gift.receipt_sent_at is not None


def test_a_french_reader_gets_a_french_receipt(client, fake_stripe, ready, support_page):
    in_french(support_page)

    give(client, fake_stripe, "monthly", "12", email=DONOR, path="/fr/support/")

    assert Donor.objects.get().language == "fr"
    [receipt] = ready.inbox.to(DONOR)
    gift = Gift.objects.get()
    french_date = written_as("fr", gift.paid_at)
    assert french_date != written_as("en", gift.paid_at)
    for part in (receipt.text, receipt.html):
        assert amount_pattern("12", "$US").search(part)  # "12 $US", not "$12"
        assert "$12" not in part
        assert french_date in part
        assert LEGAL_NAME in part and NOTE in part
        assert all(line in part for line in ADDRESS)
    assert '<html lang="fr">' in receipt.html
    assert re.search(r"https?://[^\s]+/fr/support/manage/\s", receipt.text)  # their language


def test_an_annual_gift_in_euros_reads_as_euros(client, fake_stripe, ready, receipt_details):
    receipt_details.currency = "eur"
    receipt_details.save()

    give(client, fake_stripe, "annual", "1250", email=DONOR)

    [receipt] = ready.inbox.mails
    assert "€1,250" in receipt.text and "€1,250" in receipt.html
    assert "Annual" in receipt.text


def test_replayed_events_send_no_second_receipt(client, fake_stripe, ready):
    gave = start_gift(client, "monthly", "12", email=DONOR)
    fake_stripe.complete_checkout(gave.session_id, email=DONOR)
    events = fake_stripe.events_for_checkout(gave.session_id)
    for event in events:
        assert send_event(client, fake_stripe, event).status_code == 200
    [invoice_paid] = [event for event in events if event["type"] == "invoice.paid"]

    for _ in range(3):
        assert send_event(client, fake_stripe, invoice_paid).status_code == 200
    # Stripe may also send a new event about the same invoice.
    invoice = fake_stripe.objects[invoice_paid["data"]["object"]["id"]]
    send_event(client, fake_stripe, fake_stripe.event("invoice.paid", invoice))

    assert len(ready.inbox.to(DONOR)) == 1
    assert Gift.objects.count() == 1


def test_each_renewal_gets_its_own_receipt(client, fake_stripe, ready):
    give(client, fake_stripe, "monthly", "12", email=DONOR)
    donation = RecurringDonation.objects.get()

    renewal = fake_stripe.renew(donation.stripe_id)
    send_event(client, fake_stripe, fake_stripe.event("invoice.paid", renewal))
    send_event(client, fake_stripe, fake_stripe.event("invoice.paid", renewal))  # again

    first, second = ready.inbox.to(DONOR)
    assert renewal["id"] not in first.text
    assert renewal["id"] in second.text and "$12" in second.text
    assert Gift.objects.count() == 2
    assert all(gift.receipt_sent_at for gift in Gift.objects.all())


def test_a_one_time_gift_gets_one_receipt(client, fake_stripe, ready):
    give(client, fake_stripe, "one_time", "40", email=DONOR, dedication="For my mother")

    [receipt] = ready.inbox.mails
    gift = Gift.objects.get()
    assert receipt.recipients == [DONOR]
    assert "$40" in receipt.text and "$40" in receipt.html
    assert "One-time" in receipt.text
    assert gift.stripe_payment_intent in receipt.text
    assert "For my mother" in receipt.text and "For my mother" in receipt.html
    assert LEGAL_NAME in receipt.text


def test_donors_each_get_their_own_receipt(client, fake_stripe, ready):
    give(client, fake_stripe, "monthly", "12", email="first@example.org")
    give(Client(), fake_stripe, "one_time", "30", email="second@example.org")

    [first] = ready.inbox.to("first@example.org")
    [second] = ready.inbox.to("second@example.org")
    assert "$12" in first.text and "$30" not in first.text
    assert "$30" in second.text and "$12" not in second.text
    assert len(ready.inbox.mails) == 2


def test_a_receipt_that_could_not_be_sent_is_sent_later_once(client, fake_stripe, ready):
    ready.stop()  # the mail relay is down

    give(client, fake_stripe, "monthly", "12", email=DONOR)

    gift = Gift.objects.get()
    assert gift.receipt_sent_at is None  # not marked as sent: nothing was sent
    assert Gift.objects.received().net_total() == 1200  # the money is recorded all the same
    ready.start()
    # The nightly reconciliation looks for receipts still missing (older than a few minutes).
    Gift.objects.filter(pk=gift.pk).update(paid_at=timezone.now() - timedelta(minutes=20))

    assert tasks.queue_missing_receipts() == 1
    assert tasks.queue_missing_receipts() == 0
    again = tasks.send_receipt.enqueue(gift.pk)

    assert again.return_value == "already sent"
    [receipt] = ready.inbox.to(DONOR)
    assert "$12" in receipt.text and LEGAL_NAME in receipt.text
    gift.refresh_from_db()
    assert gift.receipt_sent_at is not None
    assert Gift.objects.count() == 1
    assert Gift.objects.received().net_total() == 1200


# --- A renewal that fails -------------------------------------------------------------------


def test_a_failed_renewal_asks_the_donor_to_update_their_card(client, fake_stripe, ready):
    give(client, fake_stripe, "monthly", "12", email=DONOR)
    donation = RecurringDonation.objects.get()
    assert figures.supporter_count() == 1

    invoice = fake_stripe.fail_renewal(donation.stripe_id)
    subscription = fake_stripe.objects[donation.stripe_id]
    send_event(client, fake_stripe, fake_stripe.event("invoice.payment_failed", invoice))
    send_event(
        client, fake_stripe, fake_stripe.event("customer.subscription.updated", subscription)
    )

    receipt, note = ready.inbox.to(DONOR)
    assert "Receipt" in receipt.subject
    assert note.subject == "Your donation to The Test Ledger couldn't be charged"
    assert "$12" in note.text and "$12" in note.html
    assert "the payment failed" in note.text
    assert re.search(r"https?://[^\s]+/support/manage/\s", note.text)
    assert re.search(r'<a href="https?://[^"]+/support/manage/"', note.html)
    assert len(ready.inbox.mails) == 2  # no receipt for the unpaid invoice
    assert Gift.objects.count() == 1
    donation.refresh_from_db()
    assert donation.status == "past_due"
    # Stripe is still retrying: they are still counted as a supporter.
    assert figures.supporter_count() == 1
    assert RecurringDonation.objects.supporter_count() == 1


def test_a_failed_renewal_then_a_successful_retry(client, fake_stripe, ready):
    give(client, fake_stripe, "monthly", "12", email=DONOR)
    donation = RecurringDonation.objects.get()
    failed = fake_stripe.fail_renewal(donation.stripe_id)
    send_event(client, fake_stripe, fake_stripe.event("invoice.payment_failed", failed))

    retried = fake_stripe.renew(donation.stripe_id)
    send_event(client, fake_stripe, fake_stripe.event("invoice.paid", retried))
    send_event(
        client,
        fake_stripe,
        fake_stripe.event("customer.subscription.updated", fake_stripe.objects[donation.stripe_id]),
    )

    subjects = [mail.subject for mail in ready.inbox.to(DONOR)]
    assert len(subjects) == 3
    assert "couldn't be charged" in subjects[1]
    assert "Receipt" in subjects[2]
    donation.refresh_from_db()
    assert donation.status == "active"
    assert Gift.objects.count() == 2


def test_mail_leaves_only_after_the_payment_is_recorded(client, fake_stripe, ready):
    """Nothing goes out for a checkout that hasn't been paid yet (only the form filled in)."""
    start_gift(client, "monthly", "12", email=DONOR)

    assert ready.inbox.mails == []
    assert Gift.objects.count() == 0
