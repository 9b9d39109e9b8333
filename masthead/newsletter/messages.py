"""The e-mail every newsletter is sent as: the shared layout around a mailing's content (the
outlet's name, its postal address, why the reader gets it, the unsubscribe and preferences
links), the plain-text twin of it, and the headers (From, Reply-To, List-Unsubscribe with
RFC 8058's one-click List-Unsubscribe-Post, List-Id, Content-Language and a Message-ID that is the
same every time a delivery is attempted, so a copy sent again after a crash is dropped by the
receiving provider).

Sending ten thousand copies must be cheap, so the layout is rendered once per content and reader
language, with placeholders where each subscriber's own links go; a copy is that text with the
links put in (`MessageMaker`). The footer is in the subscriber's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.header import Header
from email.parser import BytesHeaderParser
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Site

from masthead.newsletter import tokens
from masthead.newsletter.composing import Composed
from masthead.newsletter.models import Mailing, NewsletterSettings, Subscriber
from masthead.newsroom.context_processors import newsroom_name
from masthead.supporters.models import SupportSettings
from masthead.translation.languages import bcp47

# Stand-ins for a subscriber's own links in a rendered layout (letters and underscores only, so
# neither HTML escaping nor the text part changes them).
UNSUBSCRIBE_PLACEHOLDER = "__masthead_unsubscribe_url__"
PREFERENCES_PLACEHOLDER = "__masthead_preferences_url__"
# What the admin preview links to instead (it has no subscriber).
PREVIEW_LINK = "#"
# The same for the other things that differ between two copies of a message.
_LINK_SLOT = "MastheadSubscriberLink"
_RECIPIENT_PLACEHOLDER = b"masthead-recipient@placeholder.invalid"
_MESSAGE_ID_PLACEHOLDER = b"<masthead-message-id@placeholder.invalid>"
_DATE_PLACEHOLDER = b"masthead-date-placeholder"
TEST_SUBJECT_PREFIX = "[Test] "


def _one_line(value: str) -> str:
    """`value` with every run of whitespace (newlines included) made one space: safe in a
    header, so nothing can smuggle in a header of its own."""
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Sender:
    """Who newsletters come from, read once from the site's settings."""

    name: str
    from_email: str
    reply_to: str
    postal_address: str
    list_id: str  # the List-Id header
    site_hash: str  # tells this installation's Message-IDs from another's
    domain: str  # of the From address: the right-hand side of each Message-ID

    @classmethod
    def load(cls) -> Sender:
        site = Site.objects.filter(is_default_site=True).first()
        newsletter = NewsletterSettings.for_site(site) if site else None
        name = _one_line((newsletter.sender_name if newsletter else "") or newsroom_name(site))
        postal_address = (newsletter.postal_address if newsletter else "").strip()
        if not postal_address and site:
            postal_address = SupportSettings.for_site(site).postal_address.strip()
        # Only the address: the setting may be written "Name <address>", as Django allows.
        from_email = parseaddr(settings.MASTHEAD_NEWSLETTER_FROM_EMAIL)[1]
        domain = from_email.rpartition("@")[2].strip() or "localhost"
        host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or domain
        return cls(
            name=name,
            from_email=from_email,
            reply_to=_one_line(newsletter.reply_to) if newsletter else "",
            postal_address=postal_address,
            list_id=f"{_phrase(name)} <newsletter.{host}>",
            site_hash=salted_hmac(
                "masthead.newsletter.message-id", settings.WAGTAILADMIN_BASE_URL
            ).hexdigest()[:10],
            domain=domain,
        )

    @property
    def from_header(self) -> str:
        return formataddr((self.name, self.from_email))


def _phrase(name: str) -> str:
    """`name` as the display part of a header value that Django passes on as it is (ASCII):
    quoted, or as an RFC 2047 encoded word when it isn't ASCII."""
    if name.isascii():
        return '"{}"'.format(name.replace("\\", "\\\\").replace('"', '\\"'))
    return Header(name, "utf-8").encode(linesep="")  # folded, a long name would break a header


class NewsletterMessage(EmailMultiAlternatives):
    """An e-mail whose headers are folded only past RFC 5322's hard limit of 998 characters,
    so a long List-Unsubscribe address is sent on one line, as mail programs read it best.

    `prepared`, when set, is the message already serialized (see `MessageMaker`): what
    Django's SMTP backend sends instead of building the MIME tree again. Backends that read
    the message's fields instead (django-anymail) use the fields, which say the same."""

    prepared: bytes | None = None

    def message(self):
        if self.prepared is not None:
            return PreparedMIME(self.prepared)
        message = super().message()
        message.policy = message.policy.clone(max_line_length=998)
        return message


class PreparedMIME:
    """The part of `email.message.Message` Django's mail backends use, for finished bytes."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", errors="replace")

    def get_charset(self) -> None:
        return None

    def get(self, name: str, default: str | None = None) -> str | None:
        head = self.raw.partition(b"\r\n\r\n")[0]
        return BytesHeaderParser().parsebytes(head).get(name, default)

    def __getitem__(self, name: str) -> str | None:
        return self.get(name)


@dataclass(frozen=True)
class Layout:
    """A content wrapped in the layout for one reader language, links still placeholders."""

    subject: str
    html: str
    text: str

    def personal_html(self, unsubscribe_url: str, preferences_url: str) -> str:
        return self.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe_url)).replace(
            PREFERENCES_PLACEHOLDER, escape(preferences_url)
        )

    def personal_text(self, unsubscribe_url: str, preferences_url: str) -> str:
        return self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url).replace(
            PREFERENCES_PLACEHOLDER, preferences_url
        )


def render_layout(composed: Composed, language: str, sender: Sender) -> Layout:
    """`composed` in the shared layout, its footer in `language` (the reader's)."""
    context = {
        "subject": composed.subject,
        "content_html": mark_safe(composed.html),  # noqa: S308 (composing's own HTML)
        "content_text": composed.text.strip(),
        "content_language": bcp47(composed.language),
        "site_name": sender.name,
        "postal_address": sender.postal_address,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
    }
    with translation.override(language):
        html = render_to_string("newsletter/emails/layout.html", context)
        text = render_to_string("newsletter/emails/layout.txt", context)
    return Layout(subject=_one_line(composed.subject), html=html, text=text)


class MessageMaker:
    """Makes the messages of one send. Each layout is rendered once per content and reader
    language; with `prepare`, it is also serialized once, with placeholders for what differs
    from one subscriber to the next (address, links, Message-ID, date), and each subscriber's
    message is those bytes with the placeholders replaced: no template, no MIME tree per copy."""

    def __init__(self, sender: Sender | None = None, *, prepare: bool = True) -> None:
        self.sender = sender or Sender.load()
        self.prepare = prepare
        self._layouts: dict[tuple[Composed, str], Layout] = {}
        self._serialized: dict[tuple[Composed, str], bytes | None] = {}
        self._link_parts: dict[str, tuple[str, str, str, str]] = {}

    def layout(self, composed: Composed, language: str) -> Layout:
        key = (composed, language)
        layout = self._layouts.get(key)
        if layout is None:
            layout = self._layouts[key] = render_layout(composed, language, self.sender)
        return layout

    def links(self, subscriber: Subscriber) -> tuple[str, str]:
        """`subscriber`'s unsubscribe and preferences links (as `tokens` makes them, with the
        addresses reversed once per language and one signature for both)."""
        parts = self._link_parts.get(subscriber.language)
        if parts is None:
            unsubscribe = tokens.absolute_url(
                "newsletter:unsubscribe", subscriber.language, _LINK_SLOT
            )
            preferences = tokens.absolute_url(
                "newsletter:preferences", subscriber.language, _LINK_SLOT
            )
            parts = (*unsubscribe.split(_LINK_SLOT), *preferences.split(_LINK_SLOT))
            self._link_parts[subscriber.language] = parts
        token = tokens.subscriber_token(subscriber)
        return f"{parts[0]}{token}{parts[1]}", f"{parts[2]}{token}{parts[3]}"

    def message(
        self, composed: Composed, subscriber: Subscriber, mailing: Mailing
    ) -> NewsletterMessage:
        """The e-mail of `mailing` for `subscriber`, with every header."""
        layout = self.layout(composed, subscriber.language)
        unsubscribe_url, preferences_url = self.links(subscriber)
        sender = self.sender
        message_id = f"<newsletter.{mailing.pk}.{subscriber.pk}.{sender.site_hash}@{sender.domain}>"
        message = self._build(
            composed, layout, subscriber.email, unsubscribe_url, preferences_url, message_id
        )
        serialized = self._serialize(composed, subscriber.language) if self.prepare else None
        plain = (unsubscribe_url, preferences_url) == (
            escape(unsubscribe_url),
            escape(preferences_url),
        )
        if serialized is not None and plain and subscriber.email.isascii():
            head, _, body = serialized.partition(b"\r\n\r\n")
            date = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
            head = (
                head.replace(_RECIPIENT_PLACEHOLDER, subscriber.email.encode())
                .replace(_MESSAGE_ID_PLACEHOLDER, message_id.encode())
                .replace(_DATE_PLACEHOLDER, date.encode())
            )
            message.prepared = (
                (head + b"\r\n\r\n" + body)
                .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe_url.encode())
                .replace(PREFERENCES_PLACEHOLDER.encode(), preferences_url.encode())
            )
        return message

    def _build(
        self,
        composed: Composed,
        layout: Layout,
        to: str,
        unsubscribe_url: str,
        preferences_url: str,
        message_id: str,
        date: str | None = None,
    ) -> NewsletterMessage:
        sender = self.sender
        headers = {
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": sender.list_id,
            "Content-Language": bcp47(composed.language),
        }
        if date:
            headers["Date"] = date
        message = NewsletterMessage(
            subject=layout.subject,
            body=layout.personal_text(unsubscribe_url, preferences_url),
            from_email=sender.from_header,
            to=[to],
            reply_to=[sender.reply_to] if sender.reply_to else None,
            headers=headers,
        )
        message.attach_alternative(
            layout.personal_html(unsubscribe_url, preferences_url), "text/html"
        )
        return message

    def _serialize(self, composed: Composed, language: str) -> bytes | None:
        """The message for this content and language with placeholders, as sent; None if a
        placeholder did not come through whole (an encoding that splits or changes them)."""
        key = (composed, language)
        if key not in self._serialized:
            layout = self.layout(composed, language)
            template = self._build(
                composed,
                layout,
                _RECIPIENT_PLACEHOLDER.decode(),
                UNSUBSCRIBE_PLACEHOLDER,
                PREFERENCES_PLACEHOLDER,
                _MESSAGE_ID_PLACEHOLDER.decode(),
                _DATE_PLACEHOLDER.decode(),
            )
            raw = template.message().as_bytes(linesep="\r\n")
            head = raw.partition(b"\r\n\r\n")[0]
            in_parts = layout.html + layout.text
            whole = (
                head.count(_RECIPIENT_PLACEHOLDER) == 1
                and head.count(_MESSAGE_ID_PLACEHOLDER) == 1
                and head.count(_DATE_PLACEHOLDER) == 1
                and raw.count(UNSUBSCRIBE_PLACEHOLDER.encode())
                == 1 + in_parts.count(UNSUBSCRIBE_PLACEHOLDER)
                and raw.count(PREFERENCES_PLACEHOLDER.encode())
                == in_parts.count(PREFERENCES_PLACEHOLDER)
            )
            self._serialized[key] = raw if whole else None
        return self._serialized[key]


def render_html(composed: Composed, subscriber: Subscriber | None) -> str:
    """The whole HTML body of the e-mail `subscriber` gets (None: the admin preview, whose
    links lead nowhere)."""
    language = subscriber.language if subscriber else composed.language
    layout = render_layout(composed, language, Sender.load())
    if subscriber is None:
        return layout.personal_html(PREVIEW_LINK, PREVIEW_LINK)
    return layout.personal_html(
        tokens.unsubscribe_url(subscriber), tokens.preferences_url(subscriber)
    )


def render_text(composed: Composed, subscriber: Subscriber | None) -> str:
    """The plain-text part of the e-mail `subscriber` gets (None: the admin preview)."""
    language = subscriber.language if subscriber else composed.language
    layout = render_layout(composed, language, Sender.load())
    if subscriber is None:
        return layout.personal_text(PREVIEW_LINK, PREVIEW_LINK)
    return layout.personal_text(
        tokens.unsubscribe_url(subscriber), tokens.preferences_url(subscriber)
    )


def build_message(
    composed: Composed, subscriber: Subscriber, mailing: Mailing
) -> NewsletterMessage:
    """The e-mail of `mailing` for `subscriber`, with every header (one-off; the postman keeps
    a `MessageMaker` for a whole send)."""
    return MessageMaker(prepare=False).message(composed, subscriber, mailing)


def send_test(composed: Composed, to_address: str) -> None:
    """Send one copy of `composed` to `to_address` now (an editor's test): subject prefixed
    "[Test] ", placeholder links, no List-Unsubscribe, recorded nowhere. Raises what the mail
    backend raises, so the editor sees a failure; a malformed address raises ValidationError
    before anything is sent."""
    validate_email(to_address)
    sender = Sender.load()
    layout = render_layout(composed, composed.language, sender)
    message = EmailMultiAlternatives(
        subject=TEST_SUBJECT_PREFIX + layout.subject,
        body=layout.personal_text(PREVIEW_LINK, PREVIEW_LINK),
        from_email=sender.from_header,
        to=[to_address],
        reply_to=[sender.reply_to] if sender.reply_to else None,
        headers={"Content-Language": bcp47(composed.language)},
    )
    message.attach_alternative(layout.personal_html(PREVIEW_LINK, PREVIEW_LINK), "text/html")
    message.send(fail_silently=False)
