"""What a subscriber receives, as the real SMTP server received it: both parts, the footer
(outlet, postal address, why, the two links, in the reader's language), and the headers mail
programs act on (RFC 8058 one-click unsubscribe, List-Id, a Message-ID that never changes)."""

from __future__ import annotations

import email
import email.policy
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from masthead.newsletter import messages, postman
from masthead.newsletter.composing import Composed
from masthead.newsletter.models import (
    EVERY_ARTICLE,
    Delivery,
    Mailing,
    NewsletterIssue,
    NewsletterSettings,
    Subscriber,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"
ADDRESS = "The Test Ledger Ltd\n12 Harbour Road\nHalifax NS B3H 1A1"


def subscriber(email: str, language: str = "en", frequency: str = EVERY_ARTICLE) -> Subscriber:
    return Subscriber.objects.create(
        email=email, language=language, frequency=frequency, status=Subscriber.SUBSCRIBED
    )


def issue(subject: str = "Our week", intro: str = "<p>Five stories you missed.</p>"):
    return NewsletterIssue.objects.create(subject=subject, intro=intro, language="en")


@pytest.fixture
def outlet(newsroom, settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    settings.MASTHEAD_NEWSLETTER_FROM_EMAIL = "letters@news.example.org"
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    newsletter = NewsletterSettings.for_site(newsroom.site)
    newsletter.postal_address = ADDRESS
    newsletter.reply_to = "desk@news.example.org"
    newsletter.save()
    return newsroom


def send_issue(*subscribers: Subscriber) -> Mailing:
    mailing = postman.start_issue(issue(), None, None)
    postman.run_once(time_budget=None)
    return mailing


def raw_header(raw: bytes, name: str) -> bytes:
    """The header `name` exactly as sent (continuation lines joined), from the raw bytes."""
    found = re.search(rb"^" + name.encode() + rb": (.*?)\r?\n(?![ \t])", raw, re.M | re.S)
    assert found, f"no {name} header in the message"
    return found.group(1)


def test_a_newsletter_has_both_parts_with_the_footer_and_working_links(outlet, smtp_server):
    reader = subscriber("reader@example.org")
    send_issue(reader)

    [mail] = smtp_server.inbox.to("reader@example.org")
    assert mail.subject == "Our week"
    assert mail.message.get_content_type() == "multipart/alternative"
    html, text = mail.html, mail.text
    assert "<p>Five stories you missed.</p>" in html
    assert "Five stories you missed." in text and "<p>" not in text
    for part in (html, text):
        assert "The Test Ledger" in part
        assert "12 Harbour Road" in part and "Halifax NS B3H 1A1" in part
        assert "you subscribed to the newsletter of The Test Ledger" in part
    assert "12 Harbour Road<br>Halifax" in html
    assert 'style="' in html and "<link" not in html and "<script" not in html
    assert "max-width:600px" in html

    unsubscribe = re.search(r"Unsubscribe: (\S+)", text).group(1)
    preferences = re.search(r"Manage your preferences: (\S+)", text).group(1)
    assert unsubscribe.startswith(f"{BASE_URL}/newsletter/unsubscribe/")
    assert preferences.startswith(f"{BASE_URL}/newsletter/preferences/")
    assert f'href="{unsubscribe}"' in html and f'href="{preferences}"' in html

    client = Client()
    assert client.get(urlsplit(preferences).path).status_code == 200
    assert client.get(urlsplit(unsubscribe).path).status_code == 200  # a page with a button
    reader.refresh_from_db()
    assert reader.status == Subscriber.SUBSCRIBED


def test_headers_are_those_mail_programs_need_for_one_click_unsubscribe(outlet, smtp_server):
    reader = subscriber("reader@example.org")
    mailing = send_issue(reader)

    [mail] = smtp_server.inbox.mails
    raw = mail.raw
    assert raw_header(raw, "List-Unsubscribe-Post") == b"List-Unsubscribe=One-Click"
    list_unsubscribe = raw_header(raw, "List-Unsubscribe")
    assert re.fullmatch(
        rb"<https://news\.example\.org/newsletter/unsubscribe/[\w:-]+/>", list_unsubscribe
    )
    assert raw_header(raw, "From") == b"The Test Ledger <letters@news.example.org>"
    assert raw_header(raw, "Reply-To") == b"desk@news.example.org"
    assert raw_header(raw, "List-Id") == b'"The Test Ledger" <newsletter.news.example.org>'
    assert raw_header(raw, "Content-Language") == b"en"
    assert raw_header(raw, "To") == b"reader@example.org"
    message_id = raw_header(raw, "Message-ID").decode()
    assert re.fullmatch(
        rf"<newsletter\.{mailing.pk}\.{reader.pk}\.[0-9a-f]{{10}}@news\.example\.org>", message_id
    )

    # The link in the header unsubscribes with the POST a mail program sends (RFC 8058): no
    # cookie, no CSRF token, just the signed address.
    one_click = Client(enforce_csrf_checks=True).post(
        urlsplit(list_unsubscribe.decode().strip("<>")).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED


def test_the_message_id_is_the_same_each_time_and_differs_per_subscriber(outlet, smtp_server):
    ana, ben = subscriber("ana@example.org"), subscriber("ben@example.org")
    mailing = Mailing.objects.create(key="issue:x", kind=Mailing.ISSUE, issue=issue())
    composed = Composed("Subject", "<p>Body</p>", "Body", "en")

    first = messages.build_message(composed, ana, mailing)
    again = messages.build_message(composed, ana, mailing)
    other = messages.build_message(composed, ben, mailing)
    assert first.message()["Message-ID"] == again.message()["Message-ID"]
    assert first.message()["Message-ID"] != other.message()["Message-ID"]

    first.send()
    [mail] = smtp_server.inbox.mails
    assert mail.header("Message-ID") == again.message()["Message-ID"]


def test_the_footer_is_in_each_subscribers_language(outlet, smtp_server):
    subscriber("anne@example.org", language="fr")
    subscriber("jan@example.org", language="de")
    subscriber("ed@example.org", language="en")
    send_issue()

    [french] = smtp_server.inbox.to("anne@example.org")
    [german] = smtp_server.inbox.to("jan@example.org")
    [english] = smtp_server.inbox.to("ed@example.org")
    assert "Se désabonner : https://news.example.org/fr/newsletter/unsubscribe/" in french.text
    assert ">Se désabonner</a>" in french.html
    assert "Abmelden: https://news.example.org/de/newsletter/unsubscribe/" in german.text
    assert "Unsubscribe: https://news.example.org/newsletter/unsubscribe/" in english.text
    # The issue is written in English: that is what the content says it is.
    assert french.header("Content-Language") == "en"


def test_the_preview_and_a_test_send_carry_no_real_links(outlet, smtp_server):
    composed = Composed("Draft", "<p>Draft body</p>", "Draft body", "en")
    html = messages.render_html(composed, None)
    text = messages.render_text(composed, None)
    assert "<p>Draft body</p>" in html and "12 Harbour Road" in html
    assert "/newsletter/unsubscribe/" not in html + text
    assert messages.UNSUBSCRIBE_PLACEHOLDER not in html + text

    messages.send_test(composed, "editor@example.org")
    [mail] = smtp_server.inbox.to("editor@example.org")
    assert mail.subject == "[Test] Draft"
    assert "<p>Draft body</p>" in mail.html
    assert mail.header("List-Unsubscribe") is None
    assert not Mailing.objects.exists()


def test_a_header_injection_in_settings_or_subject_stays_in_its_header(outlet, smtp_server):
    newsletter = NewsletterSettings.objects.get()
    newsletter.sender_name = "Ledger\r\nBcc: victim@example.org"
    newsletter.save()
    subscriber("reader@example.org")
    postman.start_issue(issue(subject="Hello\nBcc: victim@example.org"), None, None)
    postman.run_once(time_budget=None)

    [mail] = smtp_server.inbox.mails
    assert mail.recipients == ["reader@example.org"]
    assert mail.header("Bcc") is None
    assert mail.subject == "Hello Bcc: victim@example.org"


def test_a_malformed_test_address_is_refused_before_anything_is_sent(outlet, smtp_server):
    from django.core.exceptions import ValidationError

    composed = Composed("Draft", "<p>x</p>", "x", "en")
    for address in ("not an address", "editor@example.org\nBcc: victim@example.org"):
        with pytest.raises(ValidationError):
            messages.send_test(composed, address)
    assert smtp_server.inbox.mails == []


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_a_copy_made_from_the_serialized_layout_is_the_message_built_in_full(
    outlet, language, monkeypatch
):
    # Both copies are signed in the same second, as they are when sent (not on a slow machine).
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_800_000_000.0)
    reader = subscriber("reader@example.org", language=language)
    mailing = Mailing.objects.create(key="issue:x", kind=Mailing.ISSUE, issue=issue())
    composed = Composed("Des nouvelles — 新闻", "<p>Corps — 正文</p>", "Corps — 正文", "fr")

    fast = messages.MessageMaker().message(composed, reader, mailing)
    full = messages.MessageMaker(prepare=False).message(composed, reader, mailing)
    assert fast.prepared is not None and full.prepared is None

    parsed = [
        email.message_from_bytes(
            each.message().as_bytes(linesep="\r\n"), policy=email.policy.default
        )
        for each in (fast, full)
    ]
    for name in (
        "Subject", "From", "To", "Reply-To", "Message-ID", "List-Unsubscribe",
        "List-Unsubscribe-Post", "List-Id", "Content-Language", "MIME-Version",
    ):  # fmt: skip
        assert parsed[0][name] == parsed[1][name], name
    assert parsed[0]["Date"] and "placeholder" not in parsed[0]["Date"]
    for kind in ("plain", "html"):
        assert (
            parsed[0].get_body((kind,)).get_content() == parsed[1].get_body((kind,)).get_content()
        )
    assert b"placeholder" not in fast.message().as_bytes(linesep="\r\n")


def test_a_long_sender_name_in_cyrillic_and_a_named_from_setting_still_send(
    outlet, smtp_server, settings
):
    name = "Независимая газета Нижнего Новгорода"
    newsletter = NewsletterSettings.for_site(outlet.site)
    newsletter.sender_name = name
    newsletter.save()
    settings.MASTHEAD_NEWSLETTER_FROM_EMAIL = "Letters desk <letters@news.example.org>"
    reader = subscriber("reader@example.org")

    mailing = send_issue(reader)

    (mail,) = smtp_server.inbox.to("reader@example.org")
    assert mailing.deliveries.get().status == Delivery.SENT
    assert mail.message["From"].addresses[0].display_name == name
    assert mail.message["From"].addresses[0].addr_spec == "letters@news.example.org"
    assert name in str(mail.message["List-Id"])
    assert mail.sender == "letters@news.example.org"
