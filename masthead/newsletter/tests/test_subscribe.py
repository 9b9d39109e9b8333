"""The subscribe form and its endpoint: what a reader (or a bot, or another site) gets for each
kind of request, what is stored and what reaches the real SMTP server."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client

from masthead.newsletter.models import DAILY, EVERY_ARTICLE, WEEKLY, Subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/"


@pytest.fixture
def subscribe(client, newsroom, smtp_server, django_capture_on_commit_callbacks):
    """Post the subscribe form as a reader would, running what is queued after the commit."""

    def post(email: str, path: str = SUBSCRIBE, client: Client = client, **fields):
        ip = fields.pop("ip", "192.0.2.10")
        data = {"email": email, "language": "en", "frequency": WEEKLY, "website": "", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, REMOTE_ADDR=ip)

    return post


def test_the_subscribe_page_offers_every_language_with_the_pages_own_preselected(client, newsroom):
    for prefix, language in (("", "en"), ("/fr", "fr"), ("/zh-hans", "zh-hans")):
        response = client.get(f"{prefix}/newsletter/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<option value="{language}" lang="{language}" selected>' in html
        for name in ("简体中文", "English", "Français", "Deutsch", "Русский", "Español"):
            assert f">{name}</option>" in html
        assert 'value="weekly" checked' in html
        assert response.cookies == {}


def test_a_valid_request_stores_a_pending_address_and_sends_one_confirmation(
    subscribe, smtp_server
):
    response = subscribe("  Reader@Example.org ", frequency=DAILY, language="de", name="Ana")
    assert response.status_code == 200
    assert "reader@example.org" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.status == Subscriber.PENDING
    assert subscriber.confirmed_at is None
    assert [mail.recipients for mail in smtp_server.inbox.mails] == [["reader@example.org"]]
    assert "/de/newsletter/confirm/" in smtp_server.inbox.mails[0].text


def masked(response, address: str) -> str:
    return response.content.decode().replace(address, "ADDRESS")


def test_the_answer_is_the_same_whatever_the_address_is_known_as(subscribe, smtp_server):
    Subscriber.objects.create(email="pending@example.org")
    Subscriber.objects.create(email="subscribed@example.org", status=Subscriber.SUBSCRIBED)
    Subscriber.objects.create(email="left@example.org", status=Subscriber.UNSUBSCRIBED)
    answers = {
        address: subscribe(address, ip=f"192.0.2.{number}")
        for number, address in enumerate(
            [
                "unknown@example.org",
                "pending@example.org",
                "subscribed@example.org",
                "left@example.org",
            ]
        )
    }
    assert {response.status_code for response in answers.values()} == {200}
    bodies = {masked(response, address) for address, response in answers.items()}
    assert len(bodies) == 1
    # Each got one e-mail; the subscribed address a note, not a confirmation link.
    for address in answers:
        assert len(smtp_server.inbox.to(address)) == 1, address
    note = smtp_server.inbox.to("subscribed@example.org")[0]
    assert "/newsletter/confirm/" not in note.text
    assert "/newsletter/preferences/" in note.text
    assert "already subscribed" in note.subject


def test_repeated_requests_make_no_second_row_and_change_nothing_until_confirmed(
    subscribe, smtp_server
):
    subscribe("twice@example.org", language="en", frequency=WEEKLY)
    subscribe("TWICE@example.org", language="fr", frequency=EVERY_ARTICLE, name="Zoé")
    subscriber = Subscriber.objects.get()
    assert (subscriber.language, subscriber.frequency, subscriber.name) == ("en", WEEKLY, "")
    mails = smtp_server.inbox.to("twice@example.org")
    assert len(mails) == 2
    # The second request's choices travel in its link, to the French page.
    assert "/fr/newsletter/confirm/" in mails[1].text


def test_a_subscribed_reader_asking_again_keeps_their_subscription(subscribe):
    Subscriber.objects.create(
        email="kept@example.org", status=Subscriber.SUBSCRIBED, language="it", frequency=DAILY
    )
    subscribe("kept@example.org", language="en", frequency=WEEKLY)
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.language, subscriber.frequency) == (
        Subscriber.SUBSCRIBED,
        "it",
        DAILY,
    )


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org\r\nBcc: x@example.org",
        "a@example.org\nSubject: hi",
        "a@example.org\rBcc: x@example.org",
        "a@exam\x00ple.org",
        "not an address",
        "@example.org",
        "a@",
        "",
        "a" * 250 + "@example.org",
    ],
)
def test_bad_addresses_get_the_form_again_and_nothing_is_stored_or_sent(
    subscribe, smtp_server, address
):
    response = subscribe(address)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert 'aria-invalid="true"' in html
    assert response["Cache-Control"] == "private, no-store"
    assert not Subscriber.objects.exists()
    assert smtp_server.inbox.mails == []


def test_header_injection_is_named_as_such(subscribe):
    response = subscribe("a@example.org\r\nBcc: x@example.org")
    assert "line breaks" in response.content.decode()


def test_a_name_with_a_line_break_is_refused(subscribe, smtp_server):
    response = subscribe("named@example.org", name="Ana\r\nBcc: x@example.org")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert smtp_server.inbox.mails == []


def test_unknown_language_or_frequency_is_refused(subscribe, smtp_server):
    assert subscribe("x@example.org", language="xx").status_code == 400
    assert subscribe("x@example.org", frequency="hourly").status_code == 400
    assert not Subscriber.objects.exists()
    assert smtp_server.inbox.mails == []


def test_the_honeypot_answers_like_success_but_stores_and_sends_nothing(subscribe, smtp_server):
    response = subscribe("bot@example.org", website="http://spam.example")
    assert response.status_code == 200
    human = subscribe("human@example.org", ip="192.0.2.99")
    assert masked(response, "bot@example.org") == masked(human, "human@example.org")
    Subscriber.objects.filter(email="human@example.org").delete()
    smtp_server.inbox.clear()
    assert not Subscriber.objects.exists()
    assert smtp_server.inbox.mails == []


def test_too_many_requests_for_one_address_get_429(subscribe, smtp_server, settings):
    settings.MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_EMAIL = 2
    statuses = [subscribe("often@example.org", ip=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert len(smtp_server.inbox.to("often@example.org")) == 2
    # Another address is not held back by it.
    assert subscribe("other@example.org", ip="198.51.100.9").status_code == 200


def test_too_many_requests_from_one_network_address_get_429(subscribe, smtp_server, settings):
    settings.MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_IP = 3
    statuses = [subscribe(f"r{n}@example.org", ip="203.0.113.5").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Subscriber.objects.count() == 3
    assert len(smtp_server.inbox.mails) == 3
    limited = subscribe("r9@example.org", ip="203.0.113.5")
    assert "try again" in limited.content.decode().lower()
    assert subscribe("r10@example.org", ip="203.0.113.6").status_code == 200


def test_the_rate_limit_counts_under_keyed_hashes_not_addresses(subscribe):
    from django.core.cache import cache
    from django.utils.crypto import salted_hmac

    subscribe("secret.reader@example.org", ip="203.0.113.77")
    for kind, value in (("email", "secret.reader@example.org"), ("ip", "203.0.113.77")):
        keyed = salted_hmac("newsletter:subscribe", value).hexdigest()
        plain = hashlib.sha256(value.encode()).hexdigest()  # a list of addresses reverses it
        assert cache.get(f"newsletter:subscribe:{kind}:{keyed}") == 1
        assert cache.get(f"newsletter:subscribe:{kind}:{plain}") is None
        assert cache.get(f"newsletter:subscribe:{kind}:{value}") is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver:8080"},
    ],
)
def test_cross_site_posts_are_refused(client, newsroom, smtp_server, headers):
    response = client.post(
        SUBSCRIBE,
        {"email": "victim@example.org", "language": "en", "frequency": WEEKLY},
        headers=headers,
    )
    assert response.status_code == 403
    assert "another website" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert smtp_server.inbox.mails == []


def test_same_origin_posts_are_welcome(subscribe):
    client = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "same-origin"})
    response = subscribe("mine@example.org", client=client)
    assert response.status_code == 200
    client = Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver"})
    assert subscribe("mine2@example.org", client=client).status_code == 200
    assert Subscriber.objects.count() == 2


def test_the_footer_form_posts_to_the_subscribe_endpoint_without_a_csrf_token(
    client, small_newsroom
):
    html = client.get("/fr/canada/").content.decode()
    form = re.search(r'<form class="footer-newsletter-form"[^>]*>', html).group(0)
    assert 'action="/fr/newsletter/"' in form
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" not in html
    assert '<option value="fr" lang="fr" selected>' in html


# --- The page cache -------------------------------------------------------------------------


def test_an_article_with_the_footer_form_is_still_served_from_the_page_cache(web, small_newsroom):
    section = small_newsroom.home.get_children().get(slug="canada")
    article = section.get_children().first().specific
    first = web.get(article.url)
    assert first.status == 200
    assert 'class="footer-newsletter-form"' in first.text
    assert "set-cookie" not in first.headers
    assert first.cache == "miss"
    second = web.get(article.url)
    assert second.cache == "hit"
    assert second.body == first.body


def test_the_subscribe_page_sets_no_cookie_and_is_cached_too(web, newsroom):
    first = web.get("/newsletter/")
    assert first.status == 200
    assert "set-cookie" not in first.headers
    assert 'class="newsletter-form"' in first.text
    assert web.get("/newsletter/").cache == "hit"
    french = web.get("/fr/newsletter/")
    assert "set-cookie" not in french.headers
    assert '<option value="fr" lang="fr" selected>' in french.text
