"""Who gets the newsletter (subscribers), what is sent (mailings: a new story, a daily or weekly
digest, or an issue an editor composed) and to whom it went (one delivery record per mailing and
subscriber, which is what makes a send resumable and keeps anyone from getting it twice).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PreviewableMixin

EVERY_ARTICLE = "article"
DAILY = "daily"
WEEKLY = "weekly"
FREQUENCIES = [
    (EVERY_ARTICLE, _("Every new article")),
    (DAILY, _("Daily digest")),
    (WEEKLY, _("Weekly digest")),
]

ISSUE_INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def normalize_email(address: str) -> str:
    """The form every address is stored and compared in: trimmed and lower-cased, so that
    Ana@Example.org and ana@example.org are one subscriber."""
    return address.strip().lower()


def new_subscriber_key() -> str:
    return secrets.token_urlsafe(16)


class SubscriberQuerySet(models.QuerySet):
    def receiving(self) -> SubscriberQuerySet:
        """Subscribers newsletters go to: confirmed, not unsubscribed, not bouncing."""
        return self.filter(status=Subscriber.SUBSCRIBED)


class Subscriber(models.Model):
    """One e-mail address on the list, with its language and how often it wants mail."""

    PENDING = "pending"
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCING = "bouncing"
    STATUSES = [
        (PENDING, _("Waiting for confirmation")),
        (SUBSCRIBED, _("Subscribed")),
        (UNSUBSCRIBED, _("Unsubscribed")),
        (BOUNCING, _("Bouncing")),
    ]
    FORM = "form"
    IMPORT = "import"
    ADMIN = "admin"
    SOURCES = [(FORM, "Subscribe form"), (IMPORT, "CSV import"), (ADMIN, "Added by an editor")]

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, default=WEEKLY)
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING)
    source = models.CharField(max_length=10, choices=SOURCES, default=FORM)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounce_count = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    last_bounce_reason = models.CharField(max_length=300, blank=True)
    # A random secret in every link of this subscriber's (confirm, unsubscribe, preferences):
    # a link stays tied to this row even if its id were ever reused.
    key = models.CharField(max_length=32, default=new_subscriber_key, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "frequency", "language"])]
        permissions = [("import_subscribers", "Can import subscribers from CSV")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_receiving(self) -> bool:
        return self.status == self.SUBSCRIBED


@register_setting(icon="mail")
class NewsletterSettings(BaseSiteSetting):
    """How this site's newsletters look and when the automatic ones go out."""

    MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
    WEEKDAYS = [
        (MONDAY, "Monday"),
        (TUESDAY, "Tuesday"),
        (WEDNESDAY, "Wednesday"),
        (THURSDAY, "Thursday"),
        (FRIDAY, "Friday"),
        (SATURDAY, "Saturday"),
        (SUNDAY, "Sunday"),
    ]

    sender_name = models.CharField(
        max_length=100, blank=True, help_text="Shown as the sender. Empty: the site's name."
    )
    reply_to = models.EmailField(blank=True, help_text="Where readers' replies go (optional).")
    postal_address = models.TextField(
        blank=True,
        help_text="Printed at the foot of every newsletter (anti-spam laws require one). "
        "Empty: the address in the Support settings.",
    )
    article_delay_minutes = models.PositiveIntegerField(
        default=15,
        help_text="Minutes between a story's first publication and its e-mail, to leave time "
        "for a last correction and for its translations.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=7, help_text="Hour of the day (0 to 23, site time) the daily and weekly digests go."
    )
    weekly_digest_day = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=FRIDAY)

    class Meta:
        verbose_name = "Newsletter settings"


class NewsletterIssue(PreviewableMixin, ClusterableModel):
    """A newsletter an editor writes: an introduction and a choice of stories."""

    subject = models.CharField(max_length=200)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the introduction is written in; the stories are shown in it "
        "where they have a translation.",
    )
    intro = RichTextField(features=ISSUE_INTRO_FEATURES, blank=True, verbose_name="introduction")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "newsletter issue"
        ordering = ["-created_at"]
        permissions = [("send_newsletterissue", "Can send newsletter issues to subscribers")]

    def __str__(self) -> str:
        return self.subject

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return [("", "E-mail")]

    def serve_preview(self, request, mode_name: str):
        """The e-mail as a subscriber would see it, from the editor's unsaved changes."""
        from masthead.newsletter.admin_views import serve_issue_preview

        return serve_issue_preview(request, self)


class IssueArticle(Orderable):
    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="issue_articles")
    article = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+")

    class Meta(Orderable.Meta):
        verbose_name = "story"


class Mailing(models.Model):
    """One thing sent to many subscribers. `key` names it uniquely ("article:<translation key>",
    "daily:2026-11-29", "weekly:2026-W48", "issue:<id>"), so the same story or period is never
    mailed twice however often the code that queues it runs."""

    ARTICLE = "article"
    DAILY = DAILY
    WEEKLY = WEEKLY
    ISSUE = "issue"
    KINDS = [
        (ARTICLE, "New article"),
        (DAILY, "Daily digest"),
        (WEEKLY, "Weekly digest"),
        (ISSUE, "Newsletter issue"),
    ]
    SCHEDULED = "scheduled"  # waiting for send_after; recipients not chosen yet
    SENDING = "sending"  # deliveries recorded; the postman works through them
    DONE = "done"  # every delivery sent or given up on
    EMPTY = "empty"  # nothing to say (a digest of a quiet day, a story withdrawn) or nobody to tell
    STATUSES = [
        (SCHEDULED, "Scheduled"),
        (SENDING, "Sending"),
        (DONE, "Sent"),
        (EMPTY, "Nothing sent"),
    ]

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=KINDS)
    status = models.CharField(max_length=10, choices=STATUSES, default=SCHEDULED)
    # ARTICLE: the story as first published (its translations are found through it).
    article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue = models.ForeignKey(
        NewsletterIssue, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailings"
    )
    # DAILY and WEEKLY: the stories first published in [period_start, period_end).
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    send_after = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self) -> str:
        return self.key


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None) -> DeliveryQuerySet:
        """Deliveries the postman should attempt now."""
        return self.filter(status=Delivery.PENDING, next_attempt_at__lte=now or timezone.now())


class Delivery(models.Model):
    """One mailing to one subscriber: recorded before anything is sent, marked sent the moment
    the mail server accepts it."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # given up: a permanent refusal, or too many temporary failures
    SKIPPED = "skipped"  # the subscriber left or started bouncing before their turn came
    STATUSES = [(PENDING, "Pending"), (SENT, "Sent"), (FAILED, "Failed"), (SKIPPED, "Skipped")]

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["mailing", "subscriber"], name="one_delivery_each")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="pending_deliveries",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} to {self.subscriber_id}: {self.status}"


class SendingLease(models.Model):
    """Which worker is sending right now (one at a time, so the rate limit holds and no two
    workers take the same delivery). A lease that is not renewed runs out, so a worker that
    died mid-send is replaced by the next one."""

    name = models.CharField(max_length=40, unique=True, default="postman")
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'free'}"
