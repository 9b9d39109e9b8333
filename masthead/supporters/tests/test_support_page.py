"""The Support page: the form, what it asks Stripe Checkout for, and what bad input gets."""

import pytest
from django.test import Client

from masthead.supporters.models import Checkout, Gift, SupportSettings
from masthead.testing.supporters import start_gift, support_page_in


def checkout_requests(fake):
    return fake.requests_to("POST", "/v1/checkout/sessions")


def test_without_stripe_keys_the_page_says_donations_are_not_open(client, support_page, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = client.get("/support/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Donations are not open yet" in html
    assert '<form class="donation-form"' not in html
    assert "Most of it pays reporters." in html  # the editors' explanation still shows
    posted = client.post("/support/", {"kind": "monthly", "amount": "10", "email": "a@b.org"})
    assert posted.status_code == 200
    assert Checkout.objects.count() == 0


def test_the_form_offers_the_three_kinds_and_the_suggested_amounts(
    client, fake_stripe, support_page
):
    html = client.get("/support/").content.decode()

    for kind in ("one_time", "monthly", "annual"):
        assert f'value="{kind}"' in html
    assert 'value="500"' in html and "$5" in html  # a monthly suggestion, in cents and shown
    assert 'value="5000"' in html and "$50" in html  # an annual suggestion
    assert 'name="dedication"' in html


@pytest.mark.parametrize(
    ("kind", "mode", "interval"),
    [
        ("monthly", "subscription", "month"),
        ("annual", "subscription", "year"),
        ("one_time", "payment", None),
    ],
)
def test_giving_opens_stripe_checkout_with_an_ad_hoc_price_on_the_outlets_product(
    client, fake_stripe, support_page, kind, mode, interval
):
    gave = start_gift(client, kind=kind, amount="12.50", email="Reader@Example.org")

    assert gave.response["Location"] == f"{fake_stripe.url}/pay/{gave.session_id}"
    [request] = checkout_requests(fake_stripe)
    params = request.params
    assert params["mode"] == mode
    assert params["submit_type"] == "donate"
    assert params["locale"] == "en"
    [line] = params["line_items"]
    assert line["price_data"]["unit_amount"] == "1250"
    assert line["price_data"]["currency"] == "usd"
    assert "product_data" not in line["price_data"]
    [product] = [obj for obj in fake_stripe.objects.values() if obj["object"] == "product"]
    assert line["price_data"]["product"] == product["id"]
    assert (line["price_data"].get("recurring") or {}).get("interval") == interval
    checkout = Checkout.objects.get()
    assert params["client_reference_id"] == str(checkout.reference)
    assert request.idempotency_key == f"masthead-checkout-{checkout.reference}"
    assert request.headers["stripe-version"] == "2026-10-28.endive"
    assert checkout.status == Checkout.OPEN
    assert Gift.objects.count() == 0  # nothing is money until Stripe says so


def test_one_product_serves_every_gift(client, fake_stripe, support_page):
    start_gift(client, kind="monthly")
    start_gift(client, kind="one_time", amount="40")

    assert len(fake_stripe.requests_to("POST", "/v1/products")) == 1
    products = {
        r.params["line_items"][0]["price_data"]["product"] for r in checkout_requests(fake_stripe)
    }
    assert len(products) == 1


def test_a_returning_donor_reuses_their_stripe_customer(client, fake_stripe, support_page):
    from masthead.testing.supporters import give

    give(client, fake_stripe, "one_time", "20", email="returning@example.org")
    start_gift(client, kind="monthly", email="returning@example.org")

    first, second = checkout_requests(fake_stripe)
    assert first.params["customer_email"] == "returning@example.org"
    assert first.params["customer_creation"] == "always"
    assert second.params["customer"].startswith("cus_")
    assert "customer_email" not in second.params


def test_the_article_the_reader_came_from_and_the_campaign_travel_with_the_gift(
    client, fake_stripe, support_page, small_newsroom
):
    from masthead.newsroom.models import ArticlePage
    from masthead.supporters.models import Campaign

    article = ArticlePage.objects.first()
    Campaign.objects.create(name="Winter", slug="winter", goal=100)
    form_page = client.get(f"/support/?from={article.pk}&campaign=winter").content.decode()
    assert f'name="source" value="{article.pk}"' in form_page

    start_gift(client, source=str(article.pk), campaign="winter")

    checkout = Checkout.objects.get()
    assert checkout.source_page_id == article.pk
    assert checkout.campaign.slug == "winter"
    metadata = checkout_requests(fake_stripe)[0].params["subscription_data"]["metadata"]
    assert metadata["source_page"] == str(article.pk)
    assert metadata["campaign"] == "winter"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1", "The smallest gift we can take is $2."),
        ("20000", "The largest gift we can take online is $10,000."),
        ("twelve", "Enter an amount as a number"),
        ("", "Choose or enter an amount."),
    ],
)
def test_bad_amounts_get_a_clear_error_and_nothing_is_sent_to_stripe(
    client, fake_stripe, support_page, amount, message
):
    response = client.post(
        "/support/", {"kind": "monthly", "amount": amount, "email": "a@b.org", "currency": "usd"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert checkout_requests(fake_stripe) == []
    assert Checkout.objects.count() == 0


def test_a_missing_email_and_a_wrong_currency_are_refused(client, fake_stripe, support_page):
    no_email = client.post("/support/", {"kind": "monthly", "amount": "10", "currency": "usd"})
    other_currency = client.post(
        "/support/", {"kind": "monthly", "amount": "10", "email": "a@b.org", "currency": "eur"}
    )

    assert no_email.status_code == 400
    assert "This field is required." in no_email.content.decode()
    assert other_currency.status_code == 400
    assert "Donations are taken in US Dollar" in other_currency.content.decode()
    assert checkout_requests(fake_stripe) == []


def test_errors_come_in_the_readers_language(client, fake_stripe, support_page):
    support_page_in(support_page, "fr")

    response = client.post(
        "/fr/support/",
        {"kind": "monthly", "amount": "1", "email": "pas-une-adresse", "currency": "usd"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide." in html  # Django's own French
    assert "2\u00a0$US" in html or "2 $US" in html  # the minimum, written the French way


def test_a_french_reader_gets_checkout_in_french(client, fake_stripe, support_page):
    support_page_in(support_page, "fr")

    start_gift(client, path="/fr/support/")

    assert checkout_requests(fake_stripe)[0].params["locale"] == "fr"
    assert Checkout.objects.get().language == "fr"


def test_stripe_unreachable_gives_a_try_again_page_and_records_nothing_paid(
    client, fake_stripe, support_page
):
    fake_stripe.unreachable = True

    response = client.post(
        "/support/", {"kind": "monthly", "amount": "10", "email": "a@b.org", "currency": "usd"}
    )

    html = response.content.decode()
    assert response.status_code == 503
    assert "We couldn't reach our payment processor." in html
    assert "Nothing was charged" in html
    assert 'value="10"' in html  # what the reader typed is kept
    assert Checkout.objects.get().status == Checkout.UNREACHABLE
    assert Gift.objects.count() == 0


def test_the_support_page_lets_its_form_continue_to_stripe_and_is_not_cached(
    client, fake_stripe, support_page
):
    response = client.get("/support/")

    policy = response["Content-Security-Policy"]
    assert f"form-action 'self' {fake_stripe.url}" in policy
    assert "frame-ancestors 'none'" in policy
    assert "no-store" in response["Cache-Control"]


def test_the_form_needs_its_csrf_token(fake_stripe, support_page):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        "/support/", {"kind": "monthly", "amount": "10", "email": "a@b.org", "currency": "usd"}
    )

    assert response.status_code == 403
    assert checkout_requests(fake_stripe) == []


def test_the_site_currency_is_used(client, fake_stripe, support_page, newsroom):
    settings = SupportSettings.for_site(newsroom.site)
    settings.currency = "eur"
    settings.save()

    start_gift(client, amount="15")

    price_data = checkout_requests(fake_stripe)[0].params["line_items"][0]["price_data"]
    assert price_data["currency"] == "eur"
    assert price_data["unit_amount"] == "1500"
