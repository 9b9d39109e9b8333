"""`manage.py load_demo` and donations: the Support page in eight languages, a campaign meter,
and a few hundred plainly fake supporters whose count shows in the editor's note.

The demo takes a while to build, so this module builds it once and every test works inside
its own savepoint on top of it (rolled back after each test; the demo itself at the end).
"""

import re

import pytest
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Locale, Site

from masthead.newsroom.models import ArticlePage
from masthead.newsroom.tests.test_demo import load_demo
from masthead.supporters import demo
from masthead.supporters.models import (
    Campaign,
    Donor,
    Gift,
    RecurringDonation,
    SupportPage,
    SupportSettings,
)

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<strong class="supporter-count">([\d,.\s\u00a0\u202f]+)</strong>')


@pytest.fixture(scope="module", autouse=True)
def demo_newsroom(django_db_setup, django_db_blocker):
    """The demo newsroom, loaded once for the module and taken away afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


def shown_count(html: str) -> int:
    match = COUNT.search(html)
    assert match, "the editor's note shows no supporter count"
    return int(re.sub(r"\D", "", match.group(1)))


def test_the_support_page_reads_in_all_eight_languages(client, demo_newsroom):
    assert "support page 'Keep The Hemisphere Ledger independent'" in demo_newsroom
    original = SupportPage.objects.get(locale=Locale.get_default())
    assert original.url == "/support/"
    translations = demo.load_translations()
    assert sorted(translations) == ["de", "es", "fr", "it", "pt", "ru", "zh-hans"]

    english = client.get("/support/").content.decode()
    assert escape(demo.SUPPORT_PAGE["title"]) in english
    assert "About two thirds" in english
    for code, text in translations.items():
        response = client.get(f"/{code}/support/")
        assert response.status_code == 200, code
        html = response.content.decode()
        assert f"<h1>{escape(text['title'])}</h1>" in html, code
        assert escape(text["intro"]) in html, code
        first_item = re.search(r"<li><b>(.*?)</b>", text["where_the_money_goes"]).group(1)
        assert first_item in html, code
        assert demo.SUPPORT_PAGE["title"] not in html, code
        version = SupportPage.objects.get(locale__language_code=code)
        assert version.translation_key == original.translation_key
        assert version.live


def test_a_demo_article_shows_the_live_supporter_count(client):
    count = RecurringDonation.objects.supporter_count()
    assert 300 <= count <= 450
    article = ArticlePage.objects.live().filter(locale=Locale.get_default()).first()

    html = client.get(article.url).content.decode()

    assert shown_count(html) == count
    assert f'href="/support/?from={article.pk}"' in html  # "Become a supporter"

    french = ArticlePage.objects.live().filter(locale__language_code="fr").first()
    html = client.get(french.url).content.decode()
    assert shown_count(html) == count
    assert f'href="/fr/support/?from={french.pk}"' in html


def test_the_winter_appeal_meter_shows_under_articles_and_on_the_support_page(client):
    campaign = Campaign.objects.get(slug="winter-appeal-2026")
    count = RecurringDonation.objects.supporter_count()
    assert campaign.name == "Winter appeal 2026"
    assert campaign.goal_kind == Campaign.SUPPORTERS and campaign.show_meter
    assert count < campaign.goal <= count + 60
    assert campaign.is_running()
    percent = round(100 * count / campaign.goal)
    meter = f'<progress class="goal-meter-bar" max="100" value="{percent}" aria-label="{campaign}">'

    article = ArticlePage.objects.live().filter(locale=Locale.get_default()).first()
    for path in (article.url, "/support/", "/es/support/"):
        html = client.get(path).content.decode()
        assert meter in html, path
        assert f"{count} of {campaign.goal} supporters" in html or path != "/support/"


def test_running_the_demo_again_adds_no_supporters():
    def counts():
        return (
            Donor.objects.count(),
            RecurringDonation.objects.count(),
            Gift.objects.count(),
            Campaign.objects.count(),
            SupportPage.objects.count(),
        )

    before = counts()
    output = load_demo()

    assert "everything is in place already" in output
    assert counts() == before


def test_a_deleted_demo_supporter_comes_back_as_they_were():
    donation = RecurringDonation.objects.filter(status="active").order_by("stripe_id").first()
    donor = donation.donor
    gifts = sorted(donor.gifts.values_list("stripe_invoice", "stripe_payment_intent", "amount"))
    email, stripe_id, total = donor.email, donation.stripe_id, Gift.objects.count()
    donor.delete()

    output = load_demo()

    assert "+ 1 demo supporters and donors" in output
    back = Donor.objects.get(email=email)
    assert back.recurring_donations.get().stripe_id == stripe_id
    assert (
        sorted(back.gifts.values_list("stripe_invoice", "stripe_payment_intent", "amount")) == gifts
    )
    assert Gift.objects.count() == total


def test_the_demo_supporters_are_plainly_fake_and_varied():
    donors = Donor.objects.all()
    assert donors.count() > 400
    assert all(email.endswith(".invalid") for email in donors.values_list("email", flat=True))
    assert all(donor.name for donor in donors)
    donations = RecurringDonation.objects.all()
    assert all(
        stripe_id.startswith("sub_demo_")
        for stripe_id in donations.values_list("stripe_id", flat=True)
    )
    assert not donations.filter(livemode=True).exists()
    assert not Gift.objects.filter(livemode=True).exists()
    for gift in Gift.objects.all():
        assert (gift.stripe_invoice or "").startswith("in_demo_") or (
            gift.stripe_payment_intent or ""
        ).startswith("pi_demo_")

    # Monthly and annual, some renewals failing, some ending, some gone.
    assert donations.filter(interval="month", status="active").count() > 250
    assert donations.filter(interval="year", status="active").count() > 20
    assert 3 <= donations.filter(status="past_due").count() <= 20
    assert 2 <= donations.filter(status="active", cancel_at_period_end=True).count() <= 12
    churned = donations.filter(status="canceled")
    assert churned.count() >= 10
    assert not churned.filter(ended_at__isnull=True).exists()
    # Gifts: one per paid month or year, some from articles and the appeal, some one-time.
    for donation in donations.filter(interval="month", status="active")[:20]:
        assert donation.gifts.count() >= 1
        assert donation.current_period_end > donation.started_at
    assert Gift.objects.filter(kind="one_time").count() > 50
    assert Gift.objects.filter(source_page__isnull=False).exists()
    assert Gift.objects.filter(campaign__slug="winter-appeal-2026").exists()
    from_translations = Gift.objects.exclude(source_page__locale=Locale.get_default())
    assert from_translations.filter(source_page__isnull=False).exists()

    settings = SupportSettings.for_site(Site.objects.get(is_default_site=True))
    assert "fictional" in settings.legal_name
    assert settings.postal_address and settings.receipt_note


def test_a_site_with_live_stripe_keys_gets_no_fake_supporters(settings):
    settings.STRIPE_SECRET_KEY = "sk_live_masthead"
    Donor.objects.all().delete()
    Campaign.objects.all().delete()
    home = Site.objects.get(is_default_site=True).root_page
    articles = list(ArticlePage.objects.filter(locale=Locale.get_default()))

    created = demo.load_demo_supporters(home, articles)

    assert created == []
    assert not Donor.objects.exists()
    assert not Campaign.objects.exists()
