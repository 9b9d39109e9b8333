"""The live count under every article: read from the cache on the hot path, refreshed when a
webhook changes it, and announced so that cached pages can be refreshed too."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.newsroom.models import ArticlePage
from masthead.supporters import figures
from masthead.supporters.models import Campaign, Donor, Gift, RecurringDonation
from masthead.testing.supporters import give


def supporter_queries(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "supporters_recurringdonation" in query["sql"] or "supporters_gift" in query["sql"]
    ]


def test_rendering_articles_never_counts_supporters_in_the_database(
    client, fake_stripe, support_page, small_newsroom
):
    give(client, fake_stripe, "monthly", "10")
    article = ArticlePage.objects.live().first()
    client.get(article.url)  # whatever warms up

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            html = client.get(article.url).content.decode()

    assert '<strong class="supporter-count">1</strong>' in html
    assert supporter_queries(queries.captured_queries) == []


def test_the_count_is_computed_once_after_the_cache_is_emptied(
    client, support_page, small_newsroom
):
    from django.core.cache import cache

    cache.clear()
    article = ArticlePage.objects.live().first()

    with CaptureQueriesContext(connection) as first:
        client.get(article.url)
    with CaptureQueriesContext(connection) as second:
        client.get(article.url)

    assert len(supporter_queries(first.captured_queries)) >= 1
    assert supporter_queries(second.captured_queries) == []


def test_a_change_of_the_count_is_announced_once(client, fake_stripe, support_page):
    announced = []

    def listener(sender, figures, **kwargs):
        announced.append(figures.supporters)

    figures.supporter_figures_changed.connect(listener)
    try:
        give(client, fake_stripe, "monthly", "10")
        give(client, fake_stripe, "one_time", "10", email="other@example.org")
    finally:
        figures.supporter_figures_changed.disconnect(listener)

    assert announced == [1]  # the one-time gift changed no figure, so nothing was announced


def test_goal_meters_show_supporters_and_money(client, fake_stripe, support_page, small_newsroom):
    Campaign.objects.create(name="Five hundred", slug="five-hundred", goal=500)
    Campaign.objects.create(
        name="This month", slug="month", goal_kind=Campaign.AMOUNT_THIS_MONTH, goal=5000
    )
    Campaign.objects.create(
        name="Over",
        slug="over",
        goal=10,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=1),
    )

    give(client, fake_stripe, "monthly", "10")
    give(client, fake_stripe, "one_time", "3110", email="big@example.org")
    html = client.get(ArticlePage.objects.live().first().url).content.decode()

    assert "1 of 500 supporters" in html
    assert "$3,120 of $5,000 this month" in html
    assert "of 10 supporters" not in html  # a finished campaign shows no meter
    support = client.get("/support/").content.decode()
    assert "1 of 500 supporters" in support


def test_a_campaign_meter_counts_only_its_own_gifts_net_of_refunds(
    client, fake_stripe, support_page
):
    Campaign.objects.create(
        name="Appeal", slug="appeal", goal_kind=Campaign.AMOUNT_RAISED, goal=1000
    )
    give(client, fake_stripe, "one_time", "100", campaign="appeal")
    give(client, fake_stripe, "one_time", "70", email="elsewhere@example.org")

    [meter] = figures.current().meters
    assert (meter.current, meter.goal, meter.percent) == (10000, 100000, 10)


def test_editing_a_campaign_updates_the_meter_at_once(
    client, support_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = Campaign.objects.create(name="Goal", slug="goal", goal=100)
    assert [m.goal for m in figures.current().meters] == [100]

    with django_capture_on_commit_callbacks(execute=True):
        campaign.goal = 250
        campaign.save()

    assert [m.goal for m in figures.current().meters] == [250]


def test_the_count_counts_donors_as_defined(db):
    """One definition: distinct donors with an active or past_due recurring donation."""
    now = timezone.now()
    people = [Donor.objects.create(email=f"p{i}@example.org") for i in range(4)]
    for donor, status in zip(people, ["active", "past_due", "canceled", "incomplete"], strict=True):
        RecurringDonation.objects.create(
            stripe_id=f"sub_{donor.pk}",
            donor=donor,
            status=status,
            interval="month",
            amount=500,
            currency="usd",
            started_at=now,
        )
    RecurringDonation.objects.create(
        stripe_id="sub_second",
        donor=people[0],
        status="active",
        interval="year",
        amount=5000,
        currency="usd",
    )
    Gift.objects.create(
        donor=people[3], kind="one_time", amount=100, currency="usd", stripe_payment_intent="pi_1"
    )

    assert RecurringDonation.objects.supporter_count() == 2
    assert figures.refresh().supporters == 2
