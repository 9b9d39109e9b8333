"""`manage.py stripe_sync`: when webhooks were missed, re-reading Stripe repairs the records,
and running it again changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from masthead.supporters import figures, tasks
from masthead.supporters.models import Donor, Gift, RecurringDonation
from masthead.testing.supporters import committed, give, start_gift


def sync() -> str:
    from io import StringIO

    output = StringIO()
    committed(call_command, "stripe_sync", stdout=output)
    return output.getvalue()


def paid_without_webhooks(client, fake, kind, amount, email):
    """A reader gives and pays, but none of Stripe's events reach Masthead."""
    gave = start_gift(client, kind, amount, email=email)
    fake.complete_checkout(gave.session_id, email=email)
    return gave.session_id


def test_missed_webhooks_are_repaired_and_a_second_run_changes_nothing(
    client, fake_stripe, support_page, mailoutbox
):
    paid_without_webhooks(client, fake_stripe, "monthly", "12", "monthly@example.org")
    paid_without_webhooks(client, fake_stripe, "one_time", "30", "once@example.org")
    assert (Gift.objects.count(), figures.supporter_count()) == (0, 0)

    report = sync()

    assert "Recorded 2 missing gifts" in report
    assert "Consistent supporters now: 1." in report
    assert sorted(Gift.objects.values_list("amount", flat=True)) == [1200, 3000]
    assert RecurringDonation.objects.get().donor.email == "monthly@example.org"
    assert figures.supporter_count() == 1
    assert len(mailoutbox) == 2  # the receipts the webhooks would have sent

    again = sync()

    assert "Recorded 0 missing gifts; updated 0 recurring donations." in again
    assert Gift.objects.count() == 2
    assert Donor.objects.count() == 2
    assert len(mailoutbox) == 2


def test_a_missed_cancellation_is_repaired(client, fake_stripe, support_page):
    session_id = give(client, fake_stripe, "monthly", "12")
    fake_stripe.cancel(fake_stripe.objects[session_id]["subscription"])  # no event delivered
    assert figures.supporter_count() == 1

    report = sync()

    assert "updated 1 recurring donations" in report
    assert RecurringDonation.objects.get().status == "canceled"
    assert figures.supporter_count() == 0


def test_a_missed_renewal_is_recorded(client, fake_stripe, support_page):
    session_id = give(client, fake_stripe, "monthly", "12")
    fake_stripe.renew(fake_stripe.objects[session_id]["subscription"])

    sync()

    assert Gift.objects.filter(kind="monthly").count() == 2


def test_without_keys_it_says_what_to_set(db, settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(CommandError, match="STRIPE_SECRET_KEY"):
        call_command("stripe_sync")
    assert tasks.reconcile_with_stripe.call() == "Stripe is not configured"


def test_stripe_unreachable_is_a_clear_error_and_changes_nothing(client, fake_stripe, support_page):
    give(client, fake_stripe, "monthly", "12")
    fake_stripe.unreachable = True

    with pytest.raises(CommandError, match="Stripe could not be read"):
        call_command("stripe_sync")
    assert figures.supporter_count() == 1
