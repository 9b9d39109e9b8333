"""The gifts export (CSV) in the admin: one row per gift with where it came from, and the
supporters' e-mail addresses only for the Finance group."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masthead.supporters.models import Campaign, Donor, Gift

IDENTITY = ["email", "name"]
COLUMNS = [
    "paid_at",
    "kind",
    "amount",
    "refunded",
    "net",
    "currency",
    "campaign",
    "source_article",
    "source_article_url",
    "supporter_id",
]


@pytest.fixture(autouse=True)
def test_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_export"


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(username=group.lower(), password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def gift(who: Donor, amount: int, **extra) -> Gift:
    return Gift.objects.create(
        donor=who,
        kind=extra.pop("kind", "one_time"),
        amount=amount,
        currency=extra.pop("currency", "usd"),
        stripe_payment_intent=f"pi_{uuid.uuid4().hex[:12]}",
        **extra,
    )


@pytest.fixture
def gifts(small_newsroom):
    from masthead.newsroom.models import ArticlePage

    article = ArticlePage.objects.get(title="Canada story 3 days old")
    drive = Campaign.objects.create(name="Winter drive", slug="winter", goal=50)
    june = Donor.objects.create(email="june.marrow@example.org", name="June Marrow")
    noor = Donor.objects.create(email="noor.marrow@example.org", name="Noor Marrow")
    now = timezone.now()
    first = gift(
        june,
        1250,
        kind="monthly",
        campaign=drive,
        source_page=article,
        paid_at=now - timedelta(days=40),
    )
    second = gift(noor, 5000, amount_refunded=2000, paid_at=now - timedelta(days=1))
    third = gift(noor, 3000, currency="jpy", paid_at=now)
    gift(june, 777700, livemode=True)  # live mode: not with test keys
    return {"article": article, "june": june, "noor": noor, "gifts": [first, second, third]}


def download(client, **params) -> tuple[list[str], list[dict]]:
    response = client.get(reverse("supporters_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def test_finance_gets_every_gift_with_email_addresses(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Finance")

    columns, rows = download(client)

    assert columns == COLUMNS + IDENTITY
    assert len(rows) == 3  # the live-mode gift is left out with test keys
    first = rows[0]  # oldest first
    assert first["kind"] == "monthly"
    assert (first["amount"], first["refunded"], first["net"]) == ("12.50", "0.00", "12.50")
    assert first["currency"] == "USD"
    assert first["campaign"] == "Winter drive"
    assert first["source_article"] == "Canada story 3 days old"
    assert first["source_article_url"].endswith("/canada/canada-story-3-days-old/")
    assert first["source_article_url"].startswith("http")
    assert first["supporter_id"] == str(gifts["june"].pk)
    assert first["email"] == "june.marrow@example.org"
    assert first["name"] == "June Marrow"
    assert (rows[1]["amount"], rows[1]["refunded"], rows[1]["net"]) == ("50.00", "20.00", "30.00")
    assert rows[1]["source_article"] == "" and rows[1]["campaign"] == ""
    assert (rows[2]["amount"], rows[2]["currency"]) == ("3000", "JPY")  # yen have no cents


def test_editors_get_the_gifts_without_anyone_s_address(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Editors")

    response = client.get(reverse("supporters_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    columns, rows = download(client)

    assert columns == COLUMNS
    assert len(rows) == 3
    assert "@example.org" not in text and "Marrow" not in text
    assert {row["supporter_id"] for row in rows} == {str(gifts["june"].pk), str(gifts["noor"].pk)}


def test_the_export_can_be_limited_to_dates(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Finance")
    today = timezone.localdate()

    _columns, recent = download(client, since=(today - timedelta(days=7)).isoformat())
    _columns, older = download(client, until=(today - timedelta(days=7)).isoformat())

    assert len(recent) == 2
    assert [row["amount"] for row in older] == ["12.50"]


def test_bad_dates_send_back_to_the_dashboard(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Finance")

    response = client.get(reverse("supporters_export"), {"since": "last tuesday"})

    assert response.status_code == 302
    assert response["Location"] == reverse("supporters_dashboard")


def test_text_a_spreadsheet_would_run_is_written_as_text(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Finance")
    Campaign.objects.update(name='=HYPERLINK("http://evil.example","x")')
    Donor.objects.filter(pk=gifts["june"].pk).update(name="@SUM(1+1)")

    _columns, rows = download(client)

    assert rows[0]["campaign"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[0]["name"] == "'@SUM(1+1)"


def test_the_dashboard_offers_the_export_and_says_what_is_in_it(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Editors")

    html = client.get(reverse("supporters_dashboard")).content.decode()

    assert reverse("supporters_export") in html
    assert "only the Finance group sees them" in html


def test_writers_cannot_export(client, django_user_model, gifts):
    signed_in(client, django_user_model, "Writers")

    response = client.get(reverse("supporters_export"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
