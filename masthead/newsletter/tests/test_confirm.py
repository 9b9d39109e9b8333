"""Double opt-in from end to end, through the real SMTP server: the confirmation e-mail (its
language, its parts, its link) and the confirm page, including links that don't work."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from masthead.newsletter import tokens
from masthead.newsletter.models import DAILY, EVERY_ARTICLE, WEEKLY, NewsletterSettings, Subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/newsletter/confirm/[^/\s]+/")


@pytest.fixture
def subscribe(client, newsroom, smtp_server, django_capture_on_commit_callbacks):
    def post(email: str, prefix: str = "", **fields):
        data = {"email": email, "language": "en", "frequency": WEEKLY, **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{prefix}/newsletter/", data)

    return post


def confirmation_path(mail) -> str:
    """The confirmation link's path, found in the plain-text part (and the same in the HTML)."""
    link = LINK.search(mail.text).group(0)
    assert f'href="{link}"' in mail.html
    return urlsplit(link).path


def test_double_opt_in_subscribes_only_once_the_link_is_used(subscribe, client, smtp_server):
    response = subscribe("new.reader@example.org", language="es", frequency=EVERY_ARTICLE)
    assert response.status_code == 200
    assert len(smtp_server.inbox.mails) == 1
    mail = smtp_server.inbox.mails[0]
    assert mail.recipients == ["new.reader@example.org"]
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.PENDING
    assert not Subscriber.objects.receiving().exists()  # nothing goes to it before confirming

    path = confirmation_path(mail)
    assert path.startswith("/es/newsletter/confirm/")
    page = client.get(path)
    assert page.status_code == 200
    assert "new.reader@example.org" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex"
    assert page["Referrer-Policy"] == "strict-origin"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.PENDING  # opening the link (a mail scanner) isn't enough

    done = client.post(path)
    assert done.status_code == 200
    assert "/newsletter/preferences/" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.SUBSCRIBED
    assert (subscriber.language, subscriber.frequency) == ("es", EVERY_ARTICLE)
    assert subscriber.confirmed_at is not None
    assert list(Subscriber.objects.receiving()) == [subscriber]
    assert len(smtp_server.inbox.mails) == 1  # confirming sends nothing more


def test_the_confirmation_email_is_in_the_language_asked_for(subscribe, smtp_server, newsroom):
    newsletter_settings = NewsletterSettings.for_site(newsroom.site)
    newsletter_settings.sender_name = "La Gazette"
    newsletter_settings.save()
    subscribe("lecteur@example.org", prefix="/fr", language="fr")
    subscribe("reader@example.org", language="en")
    french, english = smtp_server.inbox.mails
    for mail in (french, english):
        assert mail.message.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in mail.message.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
        assert mail.header("From") == "La Gazette <newsroom@localhost>"
    assert french.subject == "Confirmez votre abonnement à The Test Ledger"
    assert 'lang="fr"' in french.html
    assert "Confirmer mon abonnement" in french.html
    assert "Le lien fonctionne pendant 72 heures." in " ".join(french.text.split())
    assert "/fr/newsletter/confirm/" in french.text
    assert english.subject == "Confirm your subscription to The Test Ledger"
    assert "The link works for 72 hours." in " ".join(english.text.split())
    assert "/fr/" not in english.text


def test_confirming_applies_the_links_choices_and_forgets_past_bounces(client, newsroom):
    earlier = timezone.now() - timedelta(days=400)
    subscriber = Subscriber.objects.create(
        email="back@example.org",
        status=Subscriber.BOUNCING,
        bounce_count=3,
        confirmed_at=earlier,
        unsubscribed_at=earlier,
        language="en",
        frequency=WEEKLY,
    )
    url = tokens.confirmation_url(subscriber, "de", DAILY, "Jan")
    response = Client(enforce_csrf_checks=True).post(urlsplit(url).path)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.SUBSCRIBED
    assert (subscriber.language, subscriber.frequency, subscriber.name) == ("de", DAILY, "Jan")
    assert subscriber.bounce_count == 0
    assert subscriber.confirmed_at == earlier
    assert subscriber.unsubscribed_at is None


def old_confirmation_token(subscriber: Subscriber, hours_ago: int) -> str:
    class Backdated(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - hours_ago * 3600)

    payload = {"s": subscriber.pk, "k": subscriber.key, "l": "fr", "f": DAILY, "n": ""}
    return Backdated(salt=tokens.CONFIRM_SALT).sign_object(payload, compress=True)


def unchanged(subscriber: Subscriber) -> bool:
    fresh = Subscriber.objects.get(pk=subscriber.pk)
    return (fresh.status, fresh.language, fresh.frequency) == (
        subscriber.status,
        subscriber.language,
        subscriber.frequency,
    )


def test_an_expired_link_says_so_and_offers_a_new_one(client, newsroom):
    subscriber = Subscriber.objects.create(email="late@example.org")
    token = old_confirmation_token(subscriber, hours_ago=73)
    for method in (client.get, client.post):
        response = method(f"/fr/newsletter/confirm/{token}/")
        assert response.status_code == 400
        html = response.content.decode()
        assert 'href="/fr/newsletter/"' in html
        assert "expired" in html or "expiré" in html
        assert unchanged(subscriber)
    # Still within the hours it works, the same kind of link is fine.
    fresh = old_confirmation_token(subscriber, hours_ago=71)
    assert client.get(f"/fr/newsletter/confirm/{fresh}/").status_code == 200


def test_a_tampered_or_garbage_link_is_broken_and_changes_nothing(client, newsroom):
    subscriber = Subscriber.objects.create(email="target@example.org")
    token = tokens.confirmation_token(subscriber, "en", DAILY)
    gone = Subscriber.objects.create(email="gone@example.org")
    gone_token = tokens.confirmation_token(gone, "en", DAILY)
    gone.delete()
    bad_tokens = [
        token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),  # tampered signature
        token[: len(token) // 2],  # cut in half by a mail program
        "garbage",
        tokens.subscriber_token(subscriber),  # an unsubscribe link's token isn't a confirmation
        gone_token,  # for an address since deleted
    ]
    for bad in bad_tokens:
        for method in (client.get, client.post):
            response = method(f"/newsletter/confirm/{bad}/")
            assert response.status_code == 400, bad
            assert "broken" in response.content.decode()
            assert response["Cache-Control"] == "private, no-store"
    assert unchanged(subscriber)
    assert Subscriber.objects.filter(status=Subscriber.SUBSCRIBED).count() == 0


def test_a_link_for_a_subscriber_whose_key_changed_no_longer_works(client, newsroom):
    subscriber = Subscriber.objects.create(email="rekeyed@example.org")
    path = urlsplit(tokens.confirmation_url(subscriber, "en", DAILY)).path
    Subscriber.objects.filter(pk=subscriber.pk).update(key="another-key")
    assert client.post(path).status_code == 400
    assert unchanged(subscriber)
