"""A reader's subscription, from the subscribe form to the unsubscribe link: double opt-in
(the confirmation e-mail and what its link applies), changes of preferences, leaving and
coming back.

Nothing about an address changes until its owner uses a link sent to it: a request for an
address already on the list only sends a link (the language, frequency and name asked for
travel inside it), and an address already subscribed gets a note saying so instead. A pending
address is sent nothing but confirmation links.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Site

from masthead.newsletter import tasks, tokens
from masthead.newsletter.messages import Sender
from masthead.newsletter.models import Subscriber, normalize_email
from masthead.newsroom.context_processors import newsroom_name

logger = logging.getLogger(__name__)


def request_subscription(email: str, language: str, frequency: str, name: str = "") -> None:
    """Someone asked, on the subscribe form, for `email` to get the newsletter.

    A new address is recorded as pending; any address gets its e-mail after the commit (a
    confirmation link, or the note that it is already subscribed). The caller answers the same
    whatever the address's state, so the form reveals nobody's subscription.
    """
    subscriber, _created = Subscriber.objects.get_or_create(
        email=normalize_email(email),
        defaults={
            "language": language,
            "frequency": frequency,
            "name": name,
            "source": Subscriber.FORM,
        },
    )
    if not _created and subscriber.status == Subscriber.PENDING:
        # A pending address is kept while its latest link may still be used (see
        # `forget_unconfirmed`), so its clock starts again.
        Subscriber.objects.filter(pk=subscriber.pk).update(created_at=timezone.now())
    subscriber_id = subscriber.pk
    transaction.on_commit(
        lambda: tasks.send_confirmation.enqueue(subscriber_id, language, frequency, name)
    )


def send_confirmation(subscriber_id: int, language: str, frequency: str, name: str = "") -> str:
    """E-mail `subscriber_id` a confirmation link for what they asked (or, when they are
    already subscribed, a note with a link to their preferences), in `language`."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "no such subscriber"
    if subscriber.status == Subscriber.SUBSCRIBED:
        context = {"preferences_url": tokens.preferences_url(subscriber)}
        _send(subscriber, "already_subscribed", context, language)
        return "already subscribed: note sent"
    context = {
        "confirm_url": tokens.confirmation_url(subscriber, language, frequency, name),
        "hours": settings.MASTHEAD_NEWSLETTER_CONFIRM_HOURS,
        "frequency": frequency,
    }
    _send(subscriber, "confirm", context, language)
    return "confirmation sent"


def _send(subscriber: Subscriber, template: str, context: dict, language: str) -> None:
    sender = Sender.load()  # the newsletter's own sender name, address and reply-to
    site = Site.objects.filter(is_default_site=True).first()
    context = {
        "site_name": newsroom_name(site),
        "language": language,
        "email": subscriber.email,
        **context,
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"newsletter/emails/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"newsletter/emails/{template}.txt", context)
        html = render_to_string(f"newsletter/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        sender.from_header,
        [subscriber.email],
        reply_to=[sender.reply_to] if sender.reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def confirm(request: tokens.ConfirmationRequest) -> Subscriber:
    """Apply a confirmation link: the address is subscribed, with what the link asked for.

    The reader just proved the address receives mail, so earlier bounces are forgotten."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=request.subscriber.pk)
        now = timezone.now()
        subscriber.status = Subscriber.SUBSCRIBED
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.language = request.language
        subscriber.frequency = request.frequency
        subscriber.name = request.name or subscriber.name
        subscriber.unsubscribed_at = None
        subscriber.bounce_count = 0
        subscriber.save()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    """Take `subscriber` off the list (nothing more is sent to them). Doing it twice is fine:
    the first time is the one remembered."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.UNSUBSCRIBED).update(
        status=Subscriber.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    subscriber.refresh_from_db()


def resubscribe(subscriber: Subscriber) -> None:
    """Put an unsubscribed reader back on the list, from their own preferences link (which
    proves the address is theirs: it was only ever sent to it)."""
    Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.UNSUBSCRIBED).update(
        status=Subscriber.SUBSCRIBED, unsubscribed_at=None
    )
    subscriber.refresh_from_db()


def change_preferences(subscriber: Subscriber, language: str, frequency: str, name: str) -> None:
    """Save a subscriber's new language, frequency and name."""
    subscriber.language = language
    subscriber.frequency = frequency
    subscriber.name = name
    subscriber.save(update_fields=["language", "frequency", "name"])


def forget_unconfirmed(now: datetime | None = None) -> str:
    """Delete the addresses that asked to subscribe and never confirmed, a day after their
    last link expired: an address nobody confirmed is not the newsroom's to keep."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.MASTHEAD_NEWSLETTER_CONFIRM_HOURS, days=1)
    deleted, _by_model = Subscriber.objects.filter(
        status=Subscriber.PENDING, confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return f"forgot {deleted} unconfirmed addresses" if deleted else "nothing to forget"
