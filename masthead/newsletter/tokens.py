"""The signed links in newsletter e-mails.

- A *confirmation* link carries what the reader asked for (language, frequency, name) and
  expires after MASTHEAD_NEWSLETTER_CONFIRM_HOURS; nothing about the subscriber changes until it
  is used, so a stranger typing someone's address into the form changes nothing.
- A *subscriber* link (unsubscribe, preferences) never expires: an unsubscribe link in a
  two-year-old e-mail must still work. Both are bound to the subscriber's random `key`.

Tampered, truncated or expired links raise `BadLink`, whose `reason` a page can explain.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from masthead.newsletter.models import FREQUENCIES, Subscriber

CONFIRM_SALT = "masthead.newsletter.confirm"
SUBSCRIBER_SALT = "masthead.newsletter.subscriber"
_FREQUENCY_CODES = {code for code, _label in FREQUENCIES}
_LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class BadLink(Exception):
    """A link that can't be used: `reason` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ConfirmationRequest:
    """What a confirmation link asks for, once its signature has been checked."""

    subscriber: Subscriber
    language: str
    frequency: str
    name: str


def confirmation_token(
    subscriber: Subscriber, language: str, frequency: str, name: str = ""
) -> str:
    payload = {"s": subscriber.pk, "k": subscriber.key, "l": language, "f": frequency, "n": name}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> ConfirmationRequest:
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.MASTHEAD_NEWSLETTER_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired as error:
        raise BadLink("expired") from error
    except signing.BadSignature as error:
        raise BadLink("invalid") from error
    if not isinstance(payload, dict):
        raise BadLink("invalid")
    subscriber = Subscriber.objects.filter(pk=payload.get("s"), key=payload.get("k")).first()
    language, frequency = payload.get("l"), payload.get("f")
    if subscriber is None or language not in _LANGUAGE_CODES or frequency not in _FREQUENCY_CODES:
        raise BadLink("invalid")
    return ConfirmationRequest(subscriber, language, frequency, str(payload.get("n") or ""))


def subscriber_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=SUBSCRIBER_SALT)


def read_subscriber_token(token: str) -> Subscriber:
    try:
        payload = signing.loads(token, salt=SUBSCRIBER_SALT)
    except signing.BadSignature as error:
        raise BadLink("invalid") from error
    if not (isinstance(payload, list) and len(payload) == 2):
        raise BadLink("invalid")
    subscriber = Subscriber.objects.filter(pk=payload[0], key=payload[1]).first()
    if subscriber is None:
        raise BadLink("invalid")
    return subscriber


def absolute_url(view_name: str, language: str, token: str) -> str:
    """The full address of a newsletter page in `language`, for e-mails."""
    with translation.override(language):
        path = reverse(view_name, kwargs={"token": token})
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def confirmation_url(subscriber: Subscriber, language: str, frequency: str, name: str = "") -> str:
    token = confirmation_token(subscriber, language, frequency, name)
    return absolute_url("newsletter:confirm", language, token)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url("newsletter:unsubscribe", subscriber.language, subscriber_token(subscriber))


def preferences_url(subscriber: Subscriber) -> str:
    return absolute_url("newsletter:preferences", subscriber.language, subscriber_token(subscriber))
