"""Test support for donations: a Support page in a small newsroom, and a reader giving through
it (the form, the fake Stripe's Checkout, the webhooks Stripe sends back)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client, TestCase

from masthead.testing.stripe import FakeStripe

WEBHOOK_PATH = "/support/stripe/webhook/"


@pytest.fixture
def support_page(newsroom):
    from masthead.supporters.models import SupportPage

    page = SupportPage(
        title="Support our reporting",
        slug="support",
        intro="Reader-funded, and nothing else.",
        where_the_money_goes="<p>Most of it pays reporters.</p>",
    )
    newsroom.home.add_child(instance=page)
    page.save_revision().publish()
    return page


def support_page_in(page, language_code: str):
    """A published copy of the Support page (and its parents) in another language."""
    from wagtail.models import Locale

    copy = page.copy_for_translation(
        Locale.objects.get(language_code=language_code), copy_parents=True
    )
    copy.save_revision().publish()
    return copy


def committed(call, *args, **kwargs):
    """Run `call` and then what it left for after the commit (queued tasks, e-mails), as in
    production, although the test runs inside a transaction."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(*args, **kwargs)


def send_event(client: Client, fake: FakeStripe, event: dict, **signing):
    """Deliver one signed event to the webhook view, as Stripe would (and let the worker
    process it)."""
    body, signature = fake.signed(event, **signing)
    return committed(
        client.post,
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


@dataclass
class Gave:
    session_id: str
    response: object  # the form's answer (a redirect to Checkout)


def start_gift(
    client: Client,
    kind: str = "monthly",
    amount: str = "12",
    email: str = "reader@example.org",
    path: str = "/support/",
    **extra: str,
) -> Gave:
    """Fill in the Support form and submit it; returns the Checkout Session it led to."""
    from wagtail.models import Site

    from masthead.supporters.models import SupportSettings

    currency = SupportSettings.for_site(Site.objects.get(is_default_site=True)).currency
    response = client.post(
        path,
        {"kind": kind, "amount": amount, "email": email, "currency": currency, **extra},
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    session_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return Gave(session_id, response)


def give(
    client: Client, fake: FakeStripe, kind: str = "monthly", amount: str = "12", **extra
) -> str:
    """A reader gives and pays at Checkout, and Stripe's events arrive; returns the session."""
    gave = start_gift(client, kind, amount, **extra)
    fake.complete_checkout(gave.session_id, email=extra.get("email", "reader@example.org"))
    for event in fake.events_for_checkout(gave.session_id):
        assert send_event(client, fake, event).status_code == 200
    return gave.session_id
