"""Manage my donation: a one-time sign-in link by e-mail, then the donor's own page, where they
change the amount or interval of a recurring donation or go on to Stripe's Customer Portal."""

from __future__ import annotations

import html
import re
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from masthead.supporters.models import Donor, RecurringDonation, SignInLink, StripeProduct
from masthead.testing.supporters import committed, give

MANAGE = "/support/manage/"
DONOR = "donor@example.org"
LINK = re.compile(r"https?://[^\s\"'<>]+/manage/sign-in/[^\s\"'<>/]+/")
SENT = re.compile(r'<p role="status" class="notice">(.*?)</p>', re.S)
REQUEST_ID = re.compile(r'name="request_id" value="([^"]+)"')


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def ask_for_link(client: Client, email: str, path: str = MANAGE, **extra):
    """Fill in "Manage my donation" with an address (the e-mail leaves after the commit)."""
    return committed(client.post, path, {"email": email}, **extra)


def link_in(message) -> str:
    """The sign-in link's path in an e-mail (the same in its text and its HTML)."""
    [url] = set(LINK.findall(message.body))
    [(alternative, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert url in alternative
    return urlsplit(url).path


def sign_in(client: Client, mailoutbox, email: str = DONOR, path: str = MANAGE) -> str:
    """Ask for a link, then use it as the donor would; returns the link's path."""
    mailoutbox.clear()
    assert ask_for_link(client, email, path).status_code == 200
    [message] = mailoutbox
    link = link_in(message)
    response = client.post(link)
    assert response.status_code == 303
    return link


def subscription_updates(fake, donation: RecurringDonation):
    return fake.requests_to("POST", f"/v1/subscriptions/{donation.stripe_id}")


def change_form(client: Client, donation: RecurringDonation) -> tuple[str, str]:
    """The change form for one donation, as the donor's page shows it: (action, request_id)."""
    page = client.get(MANAGE).content.decode()
    action = f"{MANAGE}change/{donation.pk}/"
    assert f'action="{action}"' in page
    form = page[page.index(f'action="{action}"') :]
    return action, REQUEST_ID.search(form).group(1)


@pytest.fixture
def donor(client, fake_stripe, support_page, mailoutbox) -> Donor:
    """A reader who gives $12 a month and once gave $25; their receipts are already read."""
    give(client, fake_stripe, "monthly", "12", email=DONOR)
    give(client, fake_stripe, "one_time", "25", email=DONOR)
    mailoutbox.clear()
    return Donor.objects.get(email=DONOR)


def french_support_page(page):
    french = page.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True)
    french.save_revision().publish()
    return french


# --- Signing in -----------------------------------------------------------------------------


def test_a_donor_gets_one_link_that_signs_them_in_once(client, donor, mailoutbox):
    asked = ask_for_link(client, "  Donor@Example.org ")

    assert asked.status_code == 200
    assert "a sign-in link is on its way" in text_of(asked)
    [message] = mailoutbox
    assert message.to == [DONOR]
    link = link_in(message)
    assert link.startswith("/support/manage/sign-in/")

    # Opening the link (as a mail scanner would) shows a button and uses nothing up.
    opened = client.get(link)
    assert opened.status_code == 200
    assert "Sign in</button>" in text_of(opened)
    assert opened["Referrer-Policy"] == "strict-origin"
    assert SignInLink.objects.get().used_at is None
    assert "Your gifts" not in text_of(client.get(MANAGE))

    signed_in = client.post(link)

    assert signed_in.status_code == 303
    assert signed_in["Location"] == MANAGE
    page = text_of(client.get(MANAGE))
    assert "Your support" in page
    assert "$12 a month" in page  # the recurring donation
    assert page.count("<td>$12</td>") == 1 and page.count("<td>$25</td>") == 1  # both gifts
    assert "Update your card, see invoices or cancel" in page

    # The same link, again (from another browser): refused, and it signs nobody in.
    other = Client()
    reused = other.post(link)
    assert reused.status_code == 410
    assert "This sign-in link no longer works" in text_of(reused)
    assert "already been used" in text_of(reused)
    assert "Your gifts" not in text_of(other.get(MANAGE))
    assert other.get(link).status_code == 410


def test_an_expired_link_gets_a_clear_page_and_signs_nobody_in(client, donor, mailoutbox):
    ask_for_link(client, DONOR)
    link = link_in(mailoutbox[0])
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    opened = client.get(link)
    used = client.post(link)

    assert opened.status_code == used.status_code == 410
    assert "This sign-in link no longer works" in text_of(used)
    assert "It has expired" in text_of(used)
    assert f'href="{MANAGE}"' in text_of(used)  # the way to a new link
    assert "Your gifts" not in text_of(client.get(MANAGE))
    assert SignInLink.objects.get().used_at is None


def test_a_link_works_for_the_configured_time(client, donor, mailoutbox, settings):
    settings.MASTHEAD_SIGN_IN_LINK_MINUTES = 10

    asked = ask_for_link(client, DONOR)

    assert "for 10 minutes" in text_of(asked)
    assert "for 10 minutes" in mailoutbox[0].body
    lifetime = SignInLink.objects.get().expires_at - timezone.now()
    assert timedelta(minutes=9) < lifetime <= timedelta(minutes=10)


def test_an_unknown_or_mangled_token_gets_a_clear_page(client, donor, mailoutbox):
    ask_for_link(client, DONOR)
    link = link_in(mailoutbox[0])

    for bad in ("/support/manage/sign-in/not-a-real-token/", link[:-6] + "/"):
        opened = client.get(bad)
        used = client.post(bad)
        assert opened.status_code == used.status_code == 410
        assert "We don't recognise it" in text_of(used)
    assert "Your gifts" not in text_of(client.get(MANAGE))
    assert SignInLink.objects.get().used_at is None  # the real link still works
    assert client.post(link).status_code == 303


def test_only_a_hash_of_the_token_is_stored(client, donor, mailoutbox):
    ask_for_link(client, DONOR)
    token = link_in(mailoutbox[0]).rstrip("/").rsplit("/", 1)[-1]

    stored = SignInLink.objects.get()
    assert token not in stored.token_hash
    assert stored.token_hash == SignInLink.hash(token)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, donor, mailoutbox):
    known = ask_for_link(client, DONOR)
    mailoutbox.clear()

    unknown = ask_for_link(client, "stranger@example.org")

    assert unknown.status_code == known.status_code == 200
    assert SENT.findall(unknown.content.decode()) == SENT.findall(known.content.decode())
    assert len(SENT.findall(unknown.content.decode())) == 1
    assert mailoutbox == []
    assert SignInLink.objects.count() == 1  # the donor's own, from the first request


@pytest.mark.parametrize(
    "address",
    [
        f"{DONOR}\r\nBcc: everyone@example.net",
        f"{DONOR}\nSubject: hello",
        "not-an-address",
        "",
    ],
)
def test_a_bad_address_or_a_header_injection_gets_a_form_error_and_no_email(
    client, donor, mailoutbox, address
):
    response = ask_for_link(client, address)

    assert response.status_code == 400
    page = text_of(response)
    assert re.search(r"Enter a valid e-?mail address\.|This field is required\.", page)
    assert 'aria-invalid="true"' in page
    assert "a sign-in link is on its way" not in page
    assert mailoutbox == []
    assert SignInLink.objects.count() == 0


def test_links_are_limited_per_address(client, donor, mailoutbox, settings):
    settings.MASTHEAD_SIGN_IN_LINKS_PER_EMAIL = 2

    answers = [
        ask_for_link(client, DONOR, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(4)
    ]

    assert answers == [200, 200, 429, 429]  # a new network address doesn't help
    assert len(mailoutbox) == 2
    limited = text_of(ask_for_link(client, DONOR))
    assert "Too many sign-in links were asked for" in limited
    assert "a sign-in link is on its way" not in limited
    assert len(mailoutbox) == 2
    assert ask_for_link(client, "someone-else@example.org").status_code == 200


def test_links_are_limited_per_network_address(client, donor, mailoutbox, settings):
    settings.MASTHEAD_SIGN_IN_LINKS_PER_IP = 3

    answers = [
        ask_for_link(client, address, REMOTE_ADDR="198.51.100.7").status_code
        for address in ("a@example.org", "b@example.org", DONOR, DONOR.upper())
    ]

    assert answers == [200, 200, 200, 429]
    assert len(mailoutbox) == 1  # only the donor's own address has given
    assert ask_for_link(client, DONOR, REMOTE_ADDR="198.51.100.8").status_code == 200
    assert len(mailoutbox) == 2


def test_behind_a_proxy_each_reader_has_their_own_limit(client, donor, mailoutbox, settings):
    settings.MASTHEAD_SIGN_IN_LINKS_PER_IP = 1
    settings.MASTHEAD_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request comes from the local nginx

    first = ask_for_link(client, "a@example.org", HTTP_X_REAL_IP="198.51.100.7", **proxy)
    other_reader = ask_for_link(client, "b@example.org", HTTP_X_REAL_IP="198.51.100.8", **proxy)
    same_reader = ask_for_link(client, "c@example.org", HTTP_X_REAL_IP="198.51.100.7", **proxy)

    assert [first.status_code, other_reader.status_code, same_reader.status_code] == [
        200,
        200,
        429,
    ]


def test_signing_out(client, donor, mailoutbox):
    sign_in(client, mailoutbox)
    assert "Your gifts" in text_of(client.get(MANAGE))

    signed_out = client.post(f"{MANAGE}sign-out/")

    assert signed_out.status_code == 303
    page = text_of(client.get(MANAGE))
    assert "Your gifts" not in page
    assert "Send me a sign-in link" in page


def test_the_donor_page_is_private_and_not_cached(client, donor, mailoutbox):
    sign_in(client, mailoutbox)

    response = client.get(MANAGE)

    assert "no-store" in response["Cache-Control"]
    assert "Your gifts" not in text_of(Client().get(MANAGE))


# --- Changing a recurring donation ----------------------------------------------------------


def test_a_donor_changes_their_monthly_amount(client, donor, mailoutbox, fake_stripe):
    sign_in(client, mailoutbox)
    donation = RecurringDonation.objects.get(donor=donor)
    action, request_id = change_form(client, donation)

    changed = client.post(action, {"interval": "month", "amount": "20", "request_id": request_id})

    assert changed.status_code == 303
    [update] = subscription_updates(fake_stripe, donation)
    [item] = update.params["items"]
    assert item["price_data"]["unit_amount"] == "2000"
    assert item["price_data"]["currency"] == "usd"
    assert item["price_data"]["recurring"]["interval"] == "month"
    assert item["price_data"]["product"] == StripeProduct.objects.get(livemode=False).product_id
    assert item["id"] == fake_stripe.objects[donation.stripe_id]["items"]["data"][0]["id"]
    assert update.params["proration_behavior"] == "none"
    assert update.idempotency_key and request_id in update.idempotency_key
    page = text_of(client.get(MANAGE))
    assert "Done: from your next payment on, you give $20 a month." in page
    assert "$20 a month" in page and "$12 a month" not in page
    donation.refresh_from_db()
    assert (donation.amount, donation.interval) == (2000, "month")
    assert fake_stripe.objects[donation.stripe_id]["items"]["data"][0]["price"]["unit_amount"] == (
        2000
    )


def test_submitting_the_same_change_twice_sends_the_same_idempotency_key(
    client, donor, mailoutbox, fake_stripe
):
    sign_in(client, mailoutbox)
    donation = RecurringDonation.objects.get(donor=donor)
    action, request_id = change_form(client, donation)
    form = {"interval": "month", "amount": "20", "request_id": request_id}

    client.post(action, form)
    client.post(action, form)

    first, second = subscription_updates(fake_stripe, donation)
    assert first.idempotency_key == second.idempotency_key
    assert first.params == second.params
    donation.refresh_from_db()
    assert donation.amount == 2000
    # A fresh form (a new visit to the page) is a new change with its own key.
    _action, next_request_id = change_form(client, donation)
    assert next_request_id != request_id


def test_a_donor_switches_to_giving_once_a_year(client, donor, mailoutbox, fake_stripe):
    sign_in(client, mailoutbox)
    donation = RecurringDonation.objects.get(donor=donor)
    action, request_id = change_form(client, donation)

    client.post(action, {"interval": "year", "amount": "120", "request_id": request_id})

    [update] = subscription_updates(fake_stripe, donation)
    assert update.params["items"][0]["price_data"]["recurring"]["interval"] == "year"
    assert update.params["items"][0]["price_data"]["unit_amount"] == "12000"
    page = text_of(client.get(MANAGE))
    assert "$120 a year" in page and "a month" not in page
    donation.refresh_from_db()
    assert (donation.amount, donation.interval) == (12000, "year")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1", "The smallest gift we can take is $2."),
        ("twelve", "Enter an amount as a number, like 25 or 12.50."),
        ("20000", "The largest gift we can take online is $10,000."),
    ],
)
def test_a_bad_amount_gets_an_error_and_nothing_goes_to_stripe(
    client, donor, mailoutbox, fake_stripe, amount, message
):
    sign_in(client, mailoutbox)
    donation = RecurringDonation.objects.get(donor=donor)
    action, request_id = change_form(client, donation)

    response = client.post(
        action, {"interval": "month", "amount": amount, "request_id": request_id}
    )

    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert f'value="{amount}"' in page  # what the donor typed is kept
    assert subscription_updates(fake_stripe, donation) == []
    donation.refresh_from_db()
    assert donation.amount == 1200


def test_another_donors_donation_cannot_be_changed(client, donor, mailoutbox, fake_stripe):
    give(Client(), fake_stripe, "monthly", "50", email="someone-else@example.org")
    theirs = RecurringDonation.objects.get(donor__email="someone-else@example.org")
    sign_in(client, mailoutbox)
    _action, request_id = change_form(client, RecurringDonation.objects.get(donor=donor))

    response = client.post(
        f"{MANAGE}change/{theirs.pk}/",
        {"interval": "month", "amount": "2", "request_id": request_id},
    )

    assert response.status_code == 303
    assert "That donation can no longer be changed." in text_of(client.get(MANAGE))
    assert subscription_updates(fake_stripe, theirs) == []
    theirs.refresh_from_db()
    assert theirs.amount == 5000


def test_changes_need_a_signed_in_donor(client, donor, fake_stripe):
    donation = RecurringDonation.objects.get(donor=donor)

    response = client.post(
        f"{MANAGE}change/{donation.pk}/",
        {"interval": "month", "amount": "2", "request_id": "5d0e4a36-6f7e-4a63-9f3c-d3c1f3e0a001"},
    )

    assert response.status_code == 303
    assert subscription_updates(fake_stripe, donation) == []
    assert client.post(f"{MANAGE}portal/").status_code == 303
    assert fake_stripe.requests_to("POST", "/v1/billing_portal/sessions") == []


def test_stripe_unreachable_changes_nothing_and_says_so(client, donor, mailoutbox, fake_stripe):
    sign_in(client, mailoutbox)
    donation = RecurringDonation.objects.get(donor=donor)
    action, request_id = change_form(client, donation)
    fake_stripe.unreachable = True

    response = client.post(action, {"interval": "month", "amount": "20", "request_id": request_id})

    assert response.status_code == 303
    fake_stripe.unreachable = False
    page = text_of(client.get(MANAGE))
    assert "We couldn't reach our payment processor. Nothing was changed; try again." in page
    assert "$12 a month" in page
    donation.refresh_from_db()
    assert (donation.amount, donation.interval) == (1200, "month")
    assert fake_stripe.objects[donation.stripe_id]["items"]["data"][0]["price"]["unit_amount"] == (
        1200
    )


# --- Stripe's Customer Portal ---------------------------------------------------------------


def test_the_portal_button_opens_stripes_portal_for_this_donor(
    client, donor, mailoutbox, fake_stripe
):
    sign_in(client, mailoutbox)

    response = client.post(f"{MANAGE}portal/")

    assert response.status_code == 303
    [request] = fake_stripe.requests_to("POST", "/v1/billing_portal/sessions")
    customer = donor.stripe_customer_id(livemode=False)
    assert customer and fake_stripe.objects[customer]["email"] == DONOR
    assert request.params["customer"] == customer
    assert request.params["return_url"] == f"http://testserver{MANAGE}"
    assert request.idempotency_key
    assert response["Location"].startswith(f"{fake_stripe.url}/portal/")
    assert fake_stripe.url in response["Content-Security-Policy"]  # the browser may go there
    with urllib.request.urlopen(response["Location"], timeout=10) as portal:
        assert customer in portal.read().decode()


def test_the_portal_unreachable_brings_the_donor_back_with_a_message(
    client, donor, mailoutbox, fake_stripe
):
    sign_in(client, mailoutbox)
    fake_stripe.unreachable = True

    response = client.post(f"{MANAGE}portal/")

    assert response.status_code == 303
    assert response["Location"] == MANAGE
    fake_stripe.unreachable = False
    assert "Try again in a minute." in text_of(client.get(MANAGE))


# --- In French ------------------------------------------------------------------------------


def test_manage_my_donation_in_french(client, donor, mailoutbox, fake_stripe, support_page):
    french_support_page(support_page)
    manage = "/fr/support/manage/"

    form = client.get(manage)
    assert form.status_code == 200
    assert '<html lang="fr"' in form.content.decode()
    invalid = ask_for_link(client, "pas-une-adresse", manage)
    assert invalid.status_code == 400
    assert "Saisissez une adresse de courriel valide." in text_of(invalid)  # Django's own French

    link = sign_in(client, mailoutbox, path=manage)

    assert link.startswith("/fr/support/manage/sign-in/")
    [(alternative, _mimetype)] = mailoutbox[0].alternatives
    assert '<html lang="fr"' in alternative  # the e-mail comes in the page's language
    page = client.get(manage)
    assert page.status_code == 200
    assert "12\u00a0$US" in text_of(page)  # amounts written the French way
    donation = RecurringDonation.objects.get(donor=donor)
    action = f"{manage}change/{donation.pk}/"
    assert f'action="{action}"' in page.content.decode()
    request_id = REQUEST_ID.search(page.content.decode()).group(1)

    too_small = client.post(action, {"interval": "month", "amount": "1", "request_id": request_id})

    assert too_small.status_code == 400
    assert "2\u00a0$US" in text_of(too_small)  # the minimum, in French
    assert subscription_updates(fake_stripe, donation) == []

    changed = client.post(action, {"interval": "month", "amount": "20", "request_id": request_id})

    assert changed["Location"] == manage
    assert "20\u00a0$US" in text_of(client.get(manage))
    assert subscription_updates(fake_stripe, donation)[0].params["items"][0]["price_data"][
        "unit_amount"
    ] == ("2000")
