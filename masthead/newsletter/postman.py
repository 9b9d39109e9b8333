"""The postman: turns mailings into e-mails, in the background worker.

`run_once` (what `tasks.send_newsletters` calls) takes the sending lease, so one worker sends at
a time; prepares the scheduled mailings that are due (records one delivery per recipient, or
marks a mailing with nothing to say EMPTY); then works through the due deliveries, oldest
mailing first, in batches over one mail-server connection each, at the configured rate. Each
delivery is marked sent the moment the server accepts it, so a worker that dies re-sends at most
the one message in flight on restart (with the same Message-ID, which providers drop as a copy).

Temporary failures (4xx, a server that is down or hangs up) are retried with a growing delay;
a permanent refusal (5xx) fails the delivery and counts a bounce, and an address that bounces
`MASTHEAD_NEWSLETTER_BOUNCE_LIMIT` times is marked bouncing and mailed no more.

`start_issue` sends an editor's issue to a segment of the list; `recipients` says who gets an
automatic mailing. Logs name deliveries and subscribers by id, never by address.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from masthead.newsletter import composing, tasks
from masthead.newsletter.composing import Composed
from masthead.newsletter.messages import MessageMaker
from masthead.newsletter.models import (
    DAILY,
    EVERY_ARTICLE,
    WEEKLY,
    Delivery,
    Mailing,
    NewsletterIssue,
    SendingLease,
    Subscriber,
)

logger = logging.getLogger(__name__)

DEFAULT_TIME_BUDGET = 50.0  # seconds; the worker's timer queues the task every 30
LEASE_NAME = "postman"
_FREQUENCY_OF_KIND = {Mailing.ARTICLE: EVERY_ARTICLE, Mailing.DAILY: DAILY, Mailing.WEEKLY: WEEKLY}
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


# --- Who gets what ---------------------------------------------------------------------------


def recipients(mailing: Mailing) -> QuerySet[Subscriber]:
    """Who an automatic mailing goes to: every receiving subscriber whose frequency matches
    its kind, in every language (each gets their language where there is a translation). An
    issue with no segment chosen goes to everyone receiving."""
    receiving = Subscriber.objects.receiving()
    frequency = _FREQUENCY_OF_KIND.get(mailing.kind)
    return receiving if frequency is None else receiving.filter(frequency=frequency)


def _record_deliveries(mailing: Mailing, subscribers: QuerySet[Subscriber]) -> None:
    """One pending delivery per subscriber; none for those who already have one."""
    chunk: list[Delivery] = []
    for subscriber_id in subscribers.order_by("pk").values_list("pk", flat=True).iterator(2000):
        chunk.append(Delivery(mailing_id=mailing.pk, subscriber_id=subscriber_id))
        if len(chunk) == 1000:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)


def start_issue(issue: NewsletterIssue, language: str | None, frequency: str | None) -> Mailing:
    """Send `issue` to the receiving subscribers of `language` and `frequency` (None: any).
    Sending it again to another segment adds only those who haven't had it."""
    now = timezone.now()
    with transaction.atomic():
        mailing, _created = Mailing.objects.get_or_create(
            key=f"issue:{issue.pk}",
            defaults={"kind": Mailing.ISSUE, "issue": issue, "status": Mailing.SENDING},
        )
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        segment = Subscriber.objects.receiving()
        if language:
            segment = segment.filter(language=language)
        if frequency:
            segment = segment.filter(frequency=frequency)
        _record_deliveries(mailing, segment)
        mailing.status = Mailing.SENDING
        mailing.started_at = mailing.started_at or now
        mailing.finished_at = None
        mailing.save(update_fields=["status", "started_at", "finished_at"])
        transaction.on_commit(tasks.send_newsletters.enqueue)
    logger.info("Issue %s: mailing %s queued for a segment", issue.pk, mailing.pk)
    return mailing


def original_language(mailing: Mailing) -> str:
    """The language a mailing is first written in."""
    if mailing.issue_id:
        return mailing.issue.language
    if mailing.article_id and mailing.article is not None:
        return mailing.article.locale.language_code
    return settings.LANGUAGE_CODE


def prepare_due() -> int:
    """Record the deliveries of every scheduled mailing that is due; returns how many were
    prepared. A mailing is prepared whole or not at all (one transaction)."""
    prepared = 0
    due = Mailing.objects.filter(status=Mailing.SCHEDULED, send_after__lte=timezone.now())
    for mailing in due.order_by("send_after", "pk"):
        try:
            composed = composing.compose(mailing, original_language(mailing))
        except Exception:
            logger.exception("Mailing %s could not be composed; it stays scheduled", mailing.pk)
            continue
        with transaction.atomic():
            if not Mailing.objects.filter(pk=mailing.pk, status=Mailing.SCHEDULED).exists():
                continue
            if composed is not None:
                _record_deliveries(mailing, recipients(mailing))
            now = timezone.now()
            if composed is None or not mailing.deliveries.exists():
                Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.EMPTY, finished_at=now)
                logger.info("Mailing %s: nothing to send", mailing.pk)
            else:
                Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.SENDING, started_at=now)
                prepared += 1
    return prepared


# --- The lease -------------------------------------------------------------------------------


def _lease_expiry():
    return timezone.now() + timedelta(seconds=settings.MASTHEAD_NEWSLETTER_LEASE_SECONDS)


def take_lease(holder: str) -> bool:
    """Take the sending lease if it is free or has run out."""
    SendingLease.objects.get_or_create(name=LEASE_NAME)
    free = Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lt=timezone.now())
    taken = SendingLease.objects.filter(free, name=LEASE_NAME).update(
        holder=holder, expires_at=_lease_expiry()
    )
    return taken == 1


def renew_lease(holder: str) -> bool:
    """Keep the lease a while longer; False if another worker has taken it meanwhile."""
    renewed = SendingLease.objects.filter(name=LEASE_NAME, holder=holder).update(
        expires_at=_lease_expiry()
    )
    return renewed == 1


def release_lease(holder: str) -> None:
    SendingLease.objects.filter(name=LEASE_NAME, holder=holder).update(holder="", expires_at=None)


# --- Failures --------------------------------------------------------------------------------

PERMANENT = "permanent"  # this recipient's address is refused: count a bounce
TEMPORARY = "temporary"  # try this message again later
CONNECTION = "connection"  # the server is unreachable or broke off: stop the batch


def _anymail_errors() -> tuple[type, type] | None:
    try:
        from anymail.exceptions import AnymailError, AnymailRecipientsRefused
    except ImportError:
        return None
    return AnymailRecipientsRefused, AnymailError


def classify(error: Exception) -> str:
    """What a sending error means for the delivery (see PERMANENT, TEMPORARY, CONNECTION)."""
    anymail = _anymail_errors()
    if anymail is not None:  # a provider's API (some of its errors are also OSErrors)
        refused, any_error = anymail
        if isinstance(error, refused):
            return PERMANENT
        if isinstance(error, any_error):
            return TEMPORARY
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return PERMANENT if codes and all(500 <= code < 600 for code in codes) else TEMPORARY
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return CONNECTION
    if isinstance(error, smtplib.SMTPDataError):
        # The server accepted the address and refused the message itself (an unverified
        # sender, its size, its content): no bounce for the reader, and every message of the
        # batch would meet the same answer.
        return CONNECTION if 500 <= getattr(error, "smtp_code", 0) < 600 else TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException):
        # The server turned down our session (greeting, sender, authentication): not the
        # reader's fault, and every message of the batch would meet the same answer.
        return CONNECTION
    if isinstance(error, OSError):  # smtplib's other errors; refused, reset, timed out
        return CONNECTION
    return TEMPORARY


def describe(error: Exception) -> str:
    """A short account of `error` for the records, with any e-mail address taken out."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (0, b""))
        text = f"{code} {_decoded(reply)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_decoded(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    return _ADDRESS.sub("<address>", " ".join(text.split()))[:300]


def _decoded(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`th temporary failure: 1, 2, 4, ... retry periods."""
    return timedelta(seconds=settings.MASTHEAD_NEWSLETTER_RETRY_SECONDS * 2 ** (attempts - 1))


# --- Sending ---------------------------------------------------------------------------------


class Pacer:
    """Spaces messages evenly to stay under `per_minute` (0: no limit)."""

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


@dataclass
class Tally:
    """What one run did."""

    prepared: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    stopped: str = ""  # why it stopped before the work was done ("" if it wasn't)
    mailings: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        summary = (
            f"prepared {self.prepared}, sent {self.sent}, retrying {self.retrying}, "
            f"failed {self.failed}, skipped {self.skipped}"
        )
        return f"{summary} ({self.stopped})" if self.stopped else summary


class Run:
    """One turn of sending, under the lease `holder` holds."""

    def __init__(self, holder: str, time_budget: float | None) -> None:
        self.holder = holder
        self.deadline = None if time_budget is None else time.monotonic() + time_budget
        self.batch_size = max(1, settings.MASTHEAD_NEWSLETTER_BATCH_SIZE)
        self.pacer = Pacer(settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE)
        self.renew_every = settings.MASTHEAD_NEWSLETTER_LEASE_SECONDS / 2
        self.renewed_at = time.monotonic()
        self.maker = MessageMaker()
        self.contents: dict[tuple[int, str], Composed | None] = {}
        self.bouncing: set[int] = set()  # subscribers who started bouncing during this run
        self.tally = Tally()

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def keep_lease(self, force: bool = False) -> bool:
        if not force and time.monotonic() - self.renewed_at < self.renew_every:
            return True
        self.renewed_at = time.monotonic()
        return renew_lease(self.holder)

    def send_due(self) -> None:
        while True:
            if self.out_of_time():
                self.tally.stopped = "time budget spent"
                return
            if not self.keep_lease(force=True):
                self.tally.stopped = "lease lost"
                return
            batch = list(
                Delivery.objects.due()
                .select_related("subscriber", "mailing__issue")
                .order_by("mailing_id", "pk")[: self.batch_size]
            )
            if not batch:
                return
            self.send_batch(batch)
            self.finish_mailings({delivery.mailing_id for delivery in batch})
            if self.tally.stopped:
                return

    def content(self, mailing: Mailing, language: str) -> Composed | None:
        """`mailing` in `language` (the original where there's no version in it), composed
        once per run."""
        key = (mailing.pk, language)
        if key not in self.contents:
            composed = composing.compose(mailing, language)
            if composed is None and language != original_language(mailing):
                composed = self.content(mailing, original_language(mailing))
            self.contents[key] = composed
        return self.contents[key]

    def send_batch(self, batch: list[Delivery]) -> None:
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as error:
            self.server_unavailable(batch, error, attempted=False)
            return
        try:
            for position, delivery in enumerate(batch):
                if self.out_of_time():
                    self.tally.stopped = "time budget spent"
                    return
                if not self.keep_lease():
                    self.tally.stopped = "lease lost"
                    return
                subscriber = delivery.subscriber
                if not subscriber.is_receiving or subscriber.pk in self.bouncing:
                    self.skip(delivery, "no longer subscribed")
                    continue
                try:
                    composed = self.content(delivery.mailing, subscriber.language)
                    if composed is None:
                        self.skip(delivery, "nothing to send")
                        continue
                    message = self.maker.message(composed, subscriber, delivery.mailing)
                    self.pacer.wait()
                    connection.send_messages([message])
                except Exception as error:
                    kind = classify(error)
                    if kind == PERMANENT:
                        self.bounced(delivery, error)
                    elif kind == CONNECTION:
                        self.server_unavailable(batch[position:], error)
                        return
                    else:
                        if not isinstance(error, smtplib.SMTPException | OSError):
                            logger.exception("Delivery %s failed", delivery.pk)
                        self.retry_later(delivery, error)
                else:
                    self.sent(delivery)
        finally:
            with contextlib.suppress(Exception):
                connection.close()

    # Each outcome is recorded at once, in its own statement (autocommit outside a test).

    def sent(self, delivery: Delivery) -> None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            last_error="",
        )
        self.tally.sent += 1

    def skip(self, delivery: Delivery, reason: str) -> None:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.PENDING).update(
            status=Delivery.SKIPPED, last_error=reason
        )
        self.tally.skipped += 1

    def retry_later(self, delivery: Delivery, error: Exception) -> None:
        attempts = delivery.attempts + 1
        reason = describe(error)
        if attempts >= settings.MASTHEAD_NEWSLETTER_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.FAILED, attempts=attempts, last_error=reason
            )
            self.tally.failed += 1
            logger.warning("Delivery %s given up after %s attempts", delivery.pk, attempts)
            return
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            next_attempt_at=timezone.now() + retry_delay(attempts),
            last_error=reason,
        )
        self.tally.retrying += 1
        logger.info("Delivery %s: temporary failure %s; retrying later", delivery.pk, attempts)

    def server_unavailable(
        self, batch: list[Delivery], error: Exception, attempted: bool = True
    ) -> None:
        """The message in flight (`batch[0]`, when `attempted`) counts a failed attempt; the
        rest of the batch, never tried, waits as long without losing one (so a long outage
        fails nobody's copy unsent); this run stops."""
        logger.warning("Mail server unavailable: %s", describe(error))
        first, *rest = batch
        if attempted:
            self.retry_later(first, error)
        else:
            rest = batch
        later = timezone.now() + retry_delay(first.attempts + 1)
        Delivery.objects.filter(
            pk__in=[delivery.pk for delivery in rest], status=Delivery.PENDING
        ).update(next_attempt_at=later, last_error=describe(error))
        self.tally.stopped = "mail server unavailable"

    def bounced(self, delivery: Delivery, error: Exception) -> None:
        """A permanent refusal: the delivery fails and the address counts a bounce; at the
        limit it is marked bouncing and its other pending deliveries are skipped."""
        reason = describe(error)
        now = timezone.now()
        subscriber_id = delivery.subscriber_id
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.FAILED, attempts=F("attempts") + 1, last_error=reason
            )
            Subscriber.objects.filter(pk=subscriber_id).update(
                bounce_count=F("bounce_count") + 1, last_bounce_at=now, last_bounce_reason=reason
            )
            bounces = Subscriber.objects.values_list("bounce_count", flat=True).get(
                pk=subscriber_id
            )
            if bounces >= settings.MASTHEAD_NEWSLETTER_BOUNCE_LIMIT:
                Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.SUBSCRIBED).update(
                    status=Subscriber.BOUNCING
                )
                Delivery.objects.filter(
                    subscriber_id=subscriber_id, status=Delivery.PENDING
                ).update(status=Delivery.SKIPPED, last_error="address bouncing")
                self.bouncing.add(subscriber_id)
                logger.info("Subscriber %s is bouncing; no more mail to them", subscriber_id)
        self.tally.failed += 1
        logger.info("Delivery %s refused permanently (bounce %s)", delivery.pk, bounces)

    def finish_mailings(self, mailing_ids: Iterable[int]) -> None:
        """Mark DONE each of these mailings that has nothing left to send or retry."""
        pending = Delivery.objects.filter(mailing_id=OuterRef("pk"), status=Delivery.PENDING)
        for mailing_id in mailing_ids:
            # One statement, so deliveries a new segment adds meanwhile keep it SENDING.
            finished = (
                Mailing.objects.filter(pk=mailing_id, status=Mailing.SENDING)
                .filter(~Exists(pending))
                .update(status=Mailing.DONE, finished_at=timezone.now())
            )
            if finished:
                logger.info("Mailing %s sent", mailing_id)


def _sends_inline() -> bool:
    """Whether queued tasks run at once, in the queuing code (the test suite's backend)."""
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(tasks.send_newsletters.get_backend(), ImmediateBackend)


def run_once(time_budget: float | None = DEFAULT_TIME_BUDGET) -> str:
    """Prepare due mailings and send due deliveries for up to `time_budget` seconds (None: until
    done). Returns a summary, or "busy" when another worker holds the lease."""
    holder = secrets.token_hex(16)
    if not take_lease(holder):
        return "busy"
    run = Run(holder, time_budget)
    try:
        run.tally.prepared = prepare_due()
        run.send_due()
        # Mailings whose last deliveries were skipped or failed outside a batch.
        run.finish_mailings(
            Mailing.objects.filter(status=Mailing.SENDING).values_list("pk", flat=True)
        )
    finally:
        release_lease(holder)
    # More to send: go on in a fresh task (not inline, where it would only nest this one).
    out_of_time = run.tally.stopped == "time budget spent"
    if out_of_time and not _sends_inline() and Delivery.objects.due().exists():
        tasks.send_newsletters.enqueue()
    return str(run.tally)
