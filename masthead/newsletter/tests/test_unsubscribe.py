"""The unsubscribe link: opening it changes nothing, its button and a mail program's one-click
POST (RFC 8058, no cookie, no CSRF token) unsubscribe, and a broken link changes nothing."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from masthead.newsletter import tokens
from masthead.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(newsroom) -> Subscriber:
    return Subscriber.objects.create(
        email="leaving@example.org", status=Subscriber.SUBSCRIBED, language="fr"
    )


@pytest.fixture
def mail_program() -> Client:
    """What posts one-click unsubscribes: no cookies, and CSRF checks as in production."""
    return Client(enforce_csrf_checks=True)


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_opening_the_link_changes_nothing_and_shows_one_button(mail_program, reader):
    path = path_of(tokens.unsubscribe_url(reader))
    assert path.startswith("/fr/newsletter/unsubscribe/")
    response = mail_program.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="submit"') == 2  # the header's search, and the one button
    assert 'method="post"' in html
    assert "leaving@example.org" in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    reader.refresh_from_db()
    assert reader.status == Subscriber.SUBSCRIBED


def test_the_button_unsubscribes_without_a_csrf_token_or_sign_in(mail_program, reader):
    path = path_of(tokens.unsubscribe_url(reader))
    response = mail_program.post(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/fr/newsletter/"' in html  # subscribe again, with another address
    assert "/fr/newsletter/preferences/" in html  # or this one, in one click
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED
    assert reader.unsubscribed_at is not None
    assert not Subscriber.objects.receiving().exists()


@pytest.mark.parametrize("multipart", [False, True])
def test_one_click_unsubscribe_from_a_mail_program(mail_program, reader, multipart):
    path = path_of(tokens.unsubscribe_url(reader))
    if multipart:
        response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})
    else:
        response = mail_program.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert len(response.content) < 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED


def test_unsubscribing_twice_is_fine_and_keeps_the_first_date(mail_program, reader):
    path = path_of(tokens.unsubscribe_url(reader))
    assert mail_program.post(path).status_code == 200
    reader.refresh_from_db()
    first = reader.unsubscribed_at
    again = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED
    assert reader.unsubscribed_at == first


def test_a_link_from_an_e_mail_years_old_still_works(mail_program, reader):
    class ThreeYearsAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 3 * 365 * 24 * 3600)

    token = ThreeYearsAgo(salt=tokens.SUBSCRIBER_SALT).sign_object([reader.pk, reader.key])
    assert mail_program.post(f"/fr/newsletter/unsubscribe/{token}/").status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.UNSUBSCRIBED


def test_a_broken_link_changes_nothing(mail_program, reader):
    token = tokens.subscriber_token(reader)
    other = Subscriber.objects.create(email="other@example.org", status=Subscriber.SUBSCRIBED)
    for bad in [
        token[:-2] + ("xy" if not token.endswith("xy") else "zz"),
        token.split(":")[0],
        "nonsense",
        tokens.confirmation_token(reader, "en", "weekly"),  # a confirmation link's token
    ]:
        response = mail_program.post(f"/newsletter/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "broken" in response.content.decode()
        one_click = mail_program.post(
            f"/newsletter/unsubscribe/{bad}/",
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert one_click.status_code == 400
    assert Subscriber.objects.filter(status=Subscriber.SUBSCRIBED).count() == 2
    assert other.pk != reader.pk
