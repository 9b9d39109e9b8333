"""The supporters list and each supporter's page in the admin: search, filters, pages, and who
may see who the supporters are (the Finance group; Editors see numbers only)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masthead.supporters.models import Donor, Gift, RecurringDonation


@pytest.fixture(autouse=True)
def test_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_list"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_list"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_list"


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(username=group.lower(), password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, django_user_model, newsroom):
    return signed_in(client, django_user_model, "Editors")


@pytest.fixture
def finance_client(client, django_user_model, newsroom):
    return signed_in(client, django_user_model, "Finance")


def donation(who: Donor, amount: int, status: str = "active", **extra) -> RecurringDonation:
    return RecurringDonation.objects.create(
        stripe_id=f"sub_{uuid.uuid4().hex[:12]}",
        donor=who,
        amount=amount,
        interval=extra.pop("interval", "month"),
        status=status,
        currency="usd",
        **extra,
    )


def gift(who: Donor, amount: int, **extra) -> Gift:
    return Gift.objects.create(
        donor=who,
        kind=extra.pop("kind", "one_time"),
        amount=amount,
        currency="usd",
        stripe_payment_intent=f"pi_{uuid.uuid4().hex[:12]}",
        **extra,
    )


@pytest.fixture
def people(newsroom):
    """One supporter in each state, and someone who never finished paying."""
    now = timezone.now()
    steady = Donor.objects.create(email="steady.quill@example.org", name="Steady Quill")
    donation(steady, 1200, started_at=now - timedelta(days=90))
    gift(steady, 1200, kind="monthly")
    failing = Donor.objects.create(email="failing.quill@example.org", name="Failing Quill")
    donation(failing, 800, status="past_due")
    leaving = Donor.objects.create(email="leaving.quill@example.org", name="Leaving Quill")
    donation(leaving, 2500, interval="year", cancel_at_period_end=True)
    gone = Donor.objects.create(email="gone.quill@example.org", name="Gone Quill")
    donation(gone, 500, status="canceled", ended_at=now - timedelta(days=3))
    gift(gone, 500, kind="monthly", paid_at=now - timedelta(days=40))
    once = Donor.objects.create(email="once.quill@example.org", name="Once Quill")
    gift(once, 5000, amount_refunded=1000)
    never = Donor.objects.create(email="never.quill@example.org", name="Never Quill")
    donation(never, 900, status="incomplete_expired")
    return {
        "steady": steady,
        "failing": failing,
        "leaving": leaving,
        "gone": gone,
        "once": once,
        "never": never,
    }


def listed(html: str) -> dict[int, str]:
    """The supporters in the list, by number, with their status."""
    return {
        int(number): status
        for number, status in re.findall(r'data-supporter="(\d+)" data-status="(\w+)"', html)
    }


def list_page(client, **params) -> str:
    response = client.get(reverse("supporters_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_who_gave_is_listed_with_their_status(editor_client, people):
    rows = listed(list_page(editor_client))

    assert rows == {
        people["steady"].pk: "consistent",
        people["failing"].pk: "at_risk",
        people["leaving"].pk: "ending",
        people["gone"].pk: "churned",
        people["once"].pk: "one_time",
    }


def test_each_row_shows_since_when_what_they_give_and_gave(editor_client, people):
    html = list_page(editor_client)

    row = re.search(rf'data-supporter="{people["steady"].pk}".*?</tr>', html, re.S).group(0)
    assert "$12 monthly" in row
    assert "Supporter" in row and "At risk" not in row
    leaving = re.search(rf'data-supporter="{people["leaving"].pk}".*?</tr>', html, re.S).group(0)
    assert "$25 annual" in leaving and "Ending" in leaving
    once = re.search(rf'data-supporter="{people["once"].pk}".*?</tr>', html, re.S).group(0)
    assert "$40" in once  # $50 less the $10 refunded


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("consistent", {"steady", "failing", "leaving"}),
        ("at_risk", {"failing"}),
        ("ending", {"leaving"}),
        ("churned", {"gone"}),
        ("one_time", {"once"}),
    ],
)
def test_filters(editor_client, people, name, expected):
    rows = listed(list_page(editor_client, filter=name))

    assert set(rows) == {people[key].pk for key in expected}


def test_editors_see_supporter_numbers_never_names_or_addresses(editor_client, people):
    html = list_page(editor_client)
    detail = editor_client.get(reverse("supporters_detail", args=[people["steady"].pk]))

    assert f"Supporter #{people['steady'].pk}" in html
    assert "only to the Finance group" in html
    for page in (html, detail.content.decode()):
        assert "Quill" not in page
        assert "@example.org" not in page


def test_editors_cannot_find_supporters_by_address_or_name(editor_client, people):
    by_address = list_page(editor_client, q="steady.quill@example.org")
    by_name = list_page(editor_client, q="Quill")
    by_number = list_page(editor_client, q=f"#{people['steady'].pk}")

    assert listed(by_address) == {}
    assert "No supporters match." in by_address
    assert listed(by_name) == {}
    assert list(listed(by_number)) == [people["steady"].pk]


def test_finance_sees_and_searches_names_and_addresses(finance_client, people):
    everyone = list_page(finance_client)
    by_address = list_page(finance_client, q="failing.quill@")
    by_name = list_page(finance_client, q="leaving quill")

    assert "steady.quill@example.org" in everyone and "Steady Quill" in everyone
    assert "only to the Finance group" not in everyone
    assert list(listed(by_address)) == [people["failing"].pk]
    assert list(listed(by_name)) == [people["leaving"].pk]


def test_superusers_see_who_supporters_are(admin_client, people):
    html = list_page(admin_client)

    assert "steady.quill@example.org" in html


def test_a_supporters_page_shows_their_donations_and_gifts(editor_client, people):
    gone = people["gone"]

    response = editor_client.get(reverse("supporters_detail", args=[gone.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Supporter #{gone.pk}" in html
    assert 'data-status="canceled"' in html and "$5 monthly" in html
    assert html.count("data-gift=") == 1
    assert "Churned" in html


def test_finance_sees_who_the_supporter_is(finance_client, people):
    html = finance_client.get(reverse("supporters_detail", args=[people["failing"].pk])).content
    html = html.decode()

    assert "failing.quill@example.org" in html and "Failing Quill" in html
    assert "A renewal is failing" in html


def test_the_list_is_paginated(editor_client, newsroom):
    donors = Donor.objects.bulk_create(
        Donor(email=f"reader{number}@example.org") for number in range(55)
    )
    for who in donors:
        gift(who, 1000)

    first = list_page(editor_client)
    second = list_page(editor_client, p=2)

    assert len(listed(first)) == 50
    assert len(listed(second)) == 5
    assert "Page 2 of 2" in second
    assert "55 donors." in first


def test_live_keys_hide_test_mode_supporters(editor_client, people, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_list"
    live = Donor.objects.create(email="live.quill@example.org")
    donation(live, 1000, livemode=True)

    assert listed(list_page(editor_client)) == {live.pk: "consistent"}


def test_writers_have_no_access(client, django_user_model, people):
    signed_in(client, django_user_model, "Writers")

    for url in (
        reverse("supporters_list"),
        reverse("supporters_detail", args=[people["steady"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
