"""The newsletter's counts and growth: receiving subscribers per language and frequency, the
other statuses, and month by month the confirmations, unsubscribes and running total, as
numbers and on the admin's page (table and SVG chart)."""

from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masthead.newsletter import reports
from masthead.newsletter.models import DAILY, EVERY_ARTICLE, WEEKLY, Subscriber
from masthead.supporters import charts

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 15, 12, 0))


def at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 9, 0))


def person(email: str, confirmed=None, unsubscribed=None, **extra) -> Subscriber:
    status = extra.pop("status", None) or (
        Subscriber.UNSUBSCRIBED
        if unsubscribed
        else Subscriber.SUBSCRIBED
        if confirmed
        else Subscriber.PENDING
    )
    return Subscriber.objects.create(
        email=email,
        status=status,
        created_at=confirmed or at(2026, 10, 1),
        confirmed_at=confirmed,
        unsubscribed_at=unsubscribed,
        **extra,
    )


@pytest.fixture
def history():
    person("old-stayed@example.org", confirmed=at(2025, 6, 10))
    person("old-left-early@example.org", confirmed=at(2025, 5, 1), unsubscribed=at(2025, 8, 1))
    person("old-left-in-feb@example.org", confirmed=at(2025, 7, 1), unsubscribed=at(2026, 2, 10))
    person("january-1@example.org", confirmed=at(2026, 1, 5), language="fr", frequency=DAILY)
    person("january-2@example.org", confirmed=at(2026, 1, 6), unsubscribed=at(2026, 3, 20))
    person("november@example.org", confirmed=at(2026, 11, 2), language="de")
    person("never-confirmed@example.org")
    person("never-confirmed-left@example.org", unsubscribed=at(2026, 4, 2))
    person(
        "bouncing@example.org",
        confirmed=at(2026, 6, 1),
        status=Subscriber.BOUNCING,
        frequency=EVERY_ARTICLE,
    )


def test_growth_month_by_month(history):
    growth = reports.growth_by_month(12, NOW)

    table = [
        (point.month.strftime("%Y-%m"), point.confirmed, point.unsubscribed, point.total)
        for point in growth
    ]
    assert table == [
        ("2025-12", 0, 0, 2),  # two confirmed earlier and still there
        ("2026-01", 2, 0, 4),
        ("2026-02", 0, 1, 3),
        ("2026-03", 0, 1, 2),
        ("2026-04", 0, 0, 2),  # never confirmed: neither a departure nor in the total
        ("2026-05", 0, 0, 2),
        ("2026-06", 1, 0, 3),  # bouncing since, but confirmed then
        ("2026-07", 0, 0, 3),
        ("2026-08", 0, 0, 3),
        ("2026-09", 0, 0, 3),
        ("2026-10", 0, 0, 3),
        ("2026-11", 1, 0, 4),
    ]


def test_counts_per_status_language_and_frequency(history):
    counts = reports.subscriber_counts()

    assert (counts.receiving, counts.pending, counts.unsubscribed, counts.bouncing) == (3, 1, 4, 1)
    by_language = {code: count for code, _name, count in counts.by_language}
    assert by_language == {
        "zh-hans": 0,
        "en": 1,
        "fr": 1,
        "de": 1,
        "it": 0,
        "pt": 0,
        "ru": 0,
        "es": 0,
    }
    by_frequency = {code: count for code, _label, count in counts.by_frequency}
    assert by_frequency == {EVERY_ARTICLE: 0, DAILY: 1, WEEKLY: 2}


def test_the_chart_scales_its_bars_to_the_biggest_month(history):
    chart = reports.growth_chart(reports.growth_by_month(12, NOW))

    heights = {bar.count: bar.height for bar in chart.bars}
    assert len(chart.bars) == 12
    assert heights[4] == chart.baseline - charts.CHART_TOP
    assert heights[2] == pytest.approx(heights[4] / 2, abs=0.1)
    assert chart.bars[0].label == "Dec 2025" and chart.bars[1].label == "Jan 2026"


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(username=f"{group.lower()}-user", password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


def test_the_report_page_shows_the_figures(client, django_user_model, history):
    signed_in(client, django_user_model, "Newsletter")

    page = client.get(reverse("newsletter_report"))

    html = page.content.decode()
    assert page.status_code == 200
    assert '<dd data-count="receiving">3</dd>' in html
    assert '<dd data-count="unsubscribed">4</dd>' in html
    assert '<tr data-language="fr"><th scope="row">Français</th><td>1</td></tr>' in html
    assert "<svg" in html and html.count("<rect") == 12
    this_month = timezone.localdate().strftime("%Y-%m")
    assert f'<tr data-month="{this_month}">' in html


def test_editors_dont_get_the_report(client, django_user_model, history):
    signed_in(client, django_user_model, "Editors")

    assert client.get(reverse("newsletter_report")).status_code == 302
