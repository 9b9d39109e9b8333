"""The Supporters dashboard in the admin: the figures an editor reads (money given, monthly
recurring revenue, supporters at risk, ending and churned), the chart of supporters month by
month, where gifts came from, and what Stripe still needs when keys are missing."""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masthead.supporters.models import Campaign, Donor, Gift, RecurringDonation

KEYS = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY")


@pytest.fixture
def test_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_dashboard"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_dashboard"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dashboard"
    return settings


@pytest.fixture
def no_keys(settings):
    for name in KEYS:
        setattr(settings, name, "")
    return settings


def member_of(django_user_model, group: str, username: str | None = None):
    user = django_user_model.objects.create_user(
        username=username or group.lower(), password="x", email=f"{group.lower()}@newsroom.test"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client, django_user_model, newsroom):
    client.force_login(member_of(django_user_model, "Editors"))
    return client


def donor(name: str) -> Donor:
    return Donor.objects.create(email=f"{name.lower()}@example.org", name=f"{name} Zedwick")


def donation(who: Donor, amount: int, interval: str = "month", status: str = "active", **extra):
    return RecurringDonation.objects.create(
        stripe_id=f"sub_{uuid.uuid4().hex[:12]}",
        donor=who,
        amount=amount,
        interval=interval,
        status=status,
        currency=extra.pop("currency", "usd"),
        **extra,
    )


def gift(who: Donor, amount: int, **extra) -> Gift:
    return Gift.objects.create(
        donor=who,
        kind=extra.pop("kind", "one_time"),
        amount=amount,
        currency=extra.pop("currency", "usd"),
        stripe_payment_intent=f"pi_{uuid.uuid4().hex[:12]}",
        **extra,
    )


def figure(html: str, name: str) -> str:
    """The value of one figure on the dashboard, as text."""
    match = re.search(
        rf'<li data-figure="{name}">.*?<span class="figure-value">(.*?)</span>\s*<span', html, re.S
    )
    assert match, f"no figure {name}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).split()


@pytest.fixture
def donations(newsroom, test_keys):
    """Four supporters (one annual, one whose renewal fails, one who cancelled), two who
    stopped, one who never paid, gifts with a refund and in another currency, and live-mode
    rows that test keys must ignore."""
    now = timezone.now()
    ada, bo, cy, di = donor("Ada"), donor("Bo"), donor("Cy"), donor("Di")
    donation(ada, 1000, started_at=now - timedelta(days=400))
    donation(bo, 10000, interval="year", started_at=now - timedelta(days=3))
    donation(cy, 500, status="past_due", started_at=now - timedelta(days=3))
    donation(di, 700, cancel_at_period_end=True, started_at=now - timedelta(days=3))
    eve, fay = donor("Eve"), donor("Fay")
    donation(
        eve,
        1500,
        status="canceled",
        started_at=now - timedelta(days=500),
        canceled_at=now - timedelta(days=10),
        ended_at=now - timedelta(days=10),
    )
    donation(
        fay,
        900,
        status="canceled",
        started_at=now - timedelta(days=500),
        canceled_at=now - timedelta(days=60),
        ended_at=now - timedelta(days=60),
    )
    donation(donor("Gus"), 2000, status="incomplete_expired", started_at=now - timedelta(days=5))
    live = donor("Liv")
    donation(live, 99900, livemode=True, started_at=now - timedelta(days=400))
    gift(live, 99900, livemode=True)

    gift(ada, 1000, kind="monthly", paid_at=now)
    gift(ada, 1000, kind="monthly", paid_at=now - timedelta(days=100))
    gift(eve, 2500, kind="monthly", paid_at=now - timedelta(days=400))
    hal = donor("Hal")
    gift(hal, 5000, amount_refunded=2000, paid_at=now)
    gift(hal, 1500, currency="eur", paid_at=now)
    return {"eve": eve, "fay": fay, "hal": hal, "ada": ada}


def test_the_dashboard_shows_the_figures_of_the_data(editor_client, donations):
    response = editor_client.get(reverse("supporters_dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    # Ada, Bo (annual), Cy (renewal failing, still counted) and Di (cancelled, until the end
    # of the period); not Gus (never paid), not the live-mode donor with test keys.
    assert figure(html, "supporters") == ["4"]
    # $10 + $100/12 + $5 + $7: an annual donation counts for a twelfth.
    assert figure(html, "mrr") == ["$30.33"]
    assert figure(html, "at_risk") == ["1"]
    assert figure(html, "ending") == ["1"]
    assert figure(html, "churned_30") == ["1"]
    assert "2 in the last 90 days." in html
    # Net of the $20 refund, and euros apart from dollars.
    assert figure(html, "given_this_month") == ["$40", "€15"]
    assert figure(html, "given_12_months") == ["$50", "€15"]
    assert figure(html, "given_all_time") == ["$75", "€15"]
    assert "$999" not in html


def test_churned_supporters_are_listed_without_their_names_for_editors(editor_client, donations):
    html = editor_client.get(reverse("supporters_dashboard")).content.decode()

    churned = re.search(r'<table class="listing churned">(.*?)</table>', html, re.S).group(1)
    listed = re.findall(r'data-supporter="(\d+)"', churned)
    assert listed == [str(donations["eve"].pk), str(donations["fay"].pk)]  # latest first
    assert f"Supporter #{donations['eve'].pk}" in churned
    for secret in ("Zedwick", "eve@example.org", "fay@example.org", "ada@example.org"):
        assert secret not in html


def test_the_chart_has_one_bar_per_month(editor_client, donations):
    html = editor_client.get(reverse("supporters_dashboard")).content.decode()

    bars = re.findall(r'<rect class="bar" data-month="([\d-]+)" data-count="(\d+)"', html)
    assert len(bars) == 12
    months = [month for month, _count in bars]
    assert months == sorted(months) and len(set(months)) == 12
    assert months[-1] == timezone.localdate().strftime("%Y-%m")
    # Eleven months ago Ada, Eve and Fay gave; now the four supporters do (Eve and Fay stopped).
    assert bars[0][1] == "3"
    assert bars[-1][1] == "4"
    chart = html.split('class="supporters-chart"')[1].split("</svg>")[0]
    assert "<script" not in chart
    content = html.split('<div class="nice-padding">')[1]
    assert not re.search(r'(src|href)="(https?:)?//', content)  # nothing from elsewhere


def test_articles_and_campaigns_that_brought_gifts_are_ranked(editor_client, small_newsroom):
    from masthead.newsroom.models import ArticlePage

    first, second = ArticlePage.objects.order_by("title")[:2]
    spring = Campaign.objects.create(name="Spring drive", slug="spring", goal=100)
    ada, bo = donor("Ada"), donor("Bo")
    gift(ada, 1000, source_page=second)
    gift(bo, 2000, source_page=second, campaign=spring)
    gift(bo, 9000, source_page=first)
    gift(ada, 500)

    html = editor_client.get(reverse("supporters_dashboard")).content.decode()

    articles = re.search(r"attribution-article(.*?)</table>", html, re.S).group(1)
    assert re.findall(r'data-source="(\d+)" data-gifts="(\d+)"', articles) == [
        (str(second.pk), "2"),
        (str(first.pk), "1"),
    ]
    assert second.title in articles and "$30" in articles
    campaigns = re.search(r"attribution-campaign(.*?)</table>", html, re.S).group(1)
    assert "Spring drive" in campaigns and "$20" in campaigns
    assert "1 gift came from no particular article." in html


def test_without_keys_the_dashboard_lists_what_to_configure(editor_client, no_keys):
    response = editor_client.get(reverse("supporters_dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Donations are not open yet" in html
    assert re.findall(r'data-setting="([A-Z_]+)"', html) == list(KEYS)
    base_url = no_keys.WAGTAILADMIN_BASE_URL
    assert f"{base_url}/support/stripe/webhook/" in html
    for event in (
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "invoice.paid",
        "invoice.payment_failed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "charge.refunded",
    ):
        assert f"<code>{event}</code>" in html
    assert "turn off Stripe's own e-mail receipts" in unescape(html)
    assert "cancel the subscription" in html
    assert "Nobody stopped giving in the last 90 days." in html


def test_only_the_settings_still_missing_are_listed(editor_client, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_dashboard"
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dashboard"
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org"

    html = editor_client.get(reverse("supporters_dashboard")).content.decode()

    assert re.findall(r'data-setting="([A-Z_]+)"', html) == ["STRIPE_WEBHOOK_SECRET"]
    assert "https://news.example.org/support/stripe/webhook/" in html
    assert "are of different modes" in html  # a live secret key with a test publishable one


def test_live_keys_count_live_donations_only(editor_client, donations, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_dashboard"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_live_dashboard"

    html = editor_client.get(reverse("supporters_dashboard")).content.decode()

    assert figure(html, "supporters") == ["1"]
    assert figure(html, "mrr") == ["$999"]
    assert figure(html, "given_all_time") == ["$999"]


def test_the_admin_home_says_donations_are_closed_until_stripe_is_configured(
    editor_client, no_keys
):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Donations are not open yet" in html
    assert "STRIPE_SECRET_KEY" in html
    assert reverse("supporters_dashboard") in html


def test_the_admin_home_says_nothing_once_stripe_is_configured(editor_client, test_keys):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Donations are not open yet" not in html
    assert reverse("supporters_dashboard") in html  # the menu item


def test_writers_get_neither_the_section_nor_the_panel(
    client, django_user_model, newsroom, no_keys
):
    client.force_login(member_of(django_user_model, "Writers"))

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("supporters_dashboard"))

    assert reverse("supporters_dashboard") not in home
    assert "Donations are not open yet" not in home
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_signed_out_visitors_are_sent_to_the_login(client, newsroom):
    response = client.get(reverse("supporters_dashboard"))

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
