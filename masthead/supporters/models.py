"""Reader revenue: who gives (donors), what they give (gifts and recurring donations, mirrored
from Stripe), how they got there (checkouts, campaigns, the article they came from), and the
Support page itself.

Stripe is the system of record for money. These tables are a local mirror fed by webhooks
(`webhooks.py`, `sync.py`) and repaired by `manage.py stripe_sync`; the supporter count is
defined once, in `RecurringDonationQuerySet.counting`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField

from masthead.newsroom.models import ReaderPageMixin
from masthead.supporters import money

MONTH = "month"
YEAR = "year"
ONE_TIME = "one_time"
MONTHLY = "monthly"
ANNUAL = "annual"
KINDS = [(ONE_TIME, _("One-time")), (MONTHLY, _("Monthly")), (ANNUAL, _("Annual"))]
INTERVAL_OF_KIND = {MONTHLY: MONTH, ANNUAL: YEAR}
KIND_OF_INTERVAL = {MONTH: MONTHLY, YEAR: ANNUAL}

# The one definition of a supporter: a donor with a recurring donation in one of these states.
# `past_due` is a renewal Stripe is still retrying; a donation set to cancel at the end of its
# period stays `active` until it ends. Everything else (incomplete, incomplete_expired, unpaid,
# canceled, paused, trialing) does not count.
COUNTED_STATUSES = ("active", "past_due")


def normalize_email(address: str) -> str:
    return address.strip().lower()


class Donor(models.Model):
    """A person who gave, known by e-mail address (one row per address, however many Stripe
    customers it has)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(
        max_length=10, default="en", help_text="The language of their receipts and e-mails."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_donor_email", "Can see supporters' e-mail addresses")]

    def __str__(self) -> str:
        return f"Supporter #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def stripe_customer_id(self, livemode: bool) -> str | None:
        customer = self.stripe_customers.filter(livemode=livemode).order_by("-created_at").first()
        return customer.id if customer else None


class StripeCustomer(models.Model):
    """A Stripe customer id seen for a donor (a donor may have several, e.g. test and live)."""

    id = models.CharField(max_length=255, primary_key=True)
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="stripe_customers")
    livemode = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.id


class StripeProduct(models.Model):
    """The outlet's one Stripe Product that every gift's ad-hoc price belongs to, per mode."""

    livemode = models.BooleanField(unique=True)
    product_id = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.product_id


@register_snippet
class Campaign(models.Model):
    """A fundraising push with an optional goal meter; Support links can name it
    (`/support/?campaign=<slug>`) so gifts are attributed to it."""

    SUPPORTERS = "supporters"
    AMOUNT_THIS_MONTH = "amount_this_month"
    AMOUNT_RAISED = "amount_raised"
    GOAL_KINDS = [
        (SUPPORTERS, _("Recurring supporters (all of them)")),
        (AMOUNT_THIS_MONTH, _("Amount given this calendar month (all gifts)")),
        (AMOUNT_RAISED, _("Amount given to this campaign between its dates")),
    ]

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in Support links.")
    goal_kind = models.CharField(max_length=30, choices=GOAL_KINDS, default=SUPPORTERS)
    goal = models.PositiveIntegerField(
        help_text="Supporters, or an amount in whole units of the site's currency.",
        validators=[MinValueValidator(1)],
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    show_meter = models.BooleanField(
        default=True, help_text="Show the goal meter on the Support page and under articles."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("goal_kind"), FieldPanel("goal")], heading="Goal"),
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading="Dates"),
        FieldPanel("show_meter"),
    ]

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign can't end before it starts.")})

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (
            self.ends_on is None or today <= self.ends_on
        )


class Checkout(models.Model):
    """One trip of a reader through Stripe Checkout, made when they submit the Support form.

    It carries what the reader chose and where they came from; Stripe's Checkout Session id
    links it to what happens next. Nothing here is money received: that is a `Gift`."""

    STARTED = "started"
    OPEN = "open"
    COMPLETE = "complete"
    AWAITING_PAYMENT = "awaiting_payment"
    FAILED = "failed"
    EXPIRED = "expired"
    UNREACHABLE = "unreachable"
    STATUSES = [
        (STARTED, "Started"),
        (OPEN, "At Stripe Checkout"),
        (COMPLETE, "Complete"),
        (AWAITING_PAYMENT, "Waiting for a delayed payment"),
        (FAILED, "Payment failed"),
        (EXPIRED, "Abandoned"),
        (UNREACHABLE, "Stripe could not be reached"),
    ]

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=KINDS)
    amount = models.PositiveIntegerField(help_text="In the currency's smallest unit.")
    currency = models.CharField(max_length=3)
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    dedication = models.CharField(
        max_length=500, blank=True, help_text="In honour of / a note from the donor."
    )
    language = models.CharField(max_length=10, default="en")
    source_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    livemode = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=STATUSES, default=STARTED)
    stripe_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {money.format_money(self.amount, self.currency)}"

    @property
    def is_recurring(self) -> bool:
        return self.kind != ONE_TIME

    @property
    def interval(self) -> str | None:
        return INTERVAL_OF_KIND.get(self.kind)

    def display_amount(self) -> str:
        return money.format_money(self.amount, self.currency, self.language)


class RecurringDonationQuerySet(models.QuerySet):
    def counting(self, livemode: bool | None = None) -> RecurringDonationQuerySet:
        """The donations that make their donor a supporter (see COUNTED_STATUSES), in the mode
        of the configured Stripe key: with live keys, test-mode donations never count."""
        if livemode is None:
            from masthead.supporters import stripe_api

            livemode = stripe_api.livemode()
        return self.filter(status__in=COUNTED_STATUSES, livemode=livemode)

    def supporter_count(self, livemode: bool | None = None) -> int:
        return self.counting(livemode).values("donor_id").distinct().count()


class RecurringDonation(models.Model):
    """The local mirror of one Stripe subscription: a monthly or annual gift."""

    stripe_id = models.CharField(max_length=255, unique=True)
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="recurring_donations")
    status = models.CharField(max_length=30, help_text="Stripe's subscription status.")
    interval = models.CharField(max_length=10, choices=[(MONTH, _("Monthly")), (YEAR, _("Annual"))])
    amount = models.PositiveIntegerField(help_text="Per interval, in the smallest unit.")
    currency = models.CharField(max_length=3)
    cancel_at_period_end = models.BooleanField(default=False)
    current_period_end = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    canceled_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    livemode = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synced_at = models.DateTimeField(default=timezone.now)

    objects = RecurringDonationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_interval_display()} {money.format_money(self.amount, self.currency)}"

    @property
    def kind(self) -> str:
        return KIND_OF_INTERVAL.get(self.interval, MONTHLY)

    @property
    def counts(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def is_ending(self) -> bool:
        return self.counts and self.cancel_at_period_end

    @property
    def monthly_amount(self) -> Decimal:
        """Normalised to a month (annual / 12), in the smallest unit."""
        return Decimal(self.amount) / (12 if self.interval == YEAR else 1)

    def display_amount(self, language: str | None = None) -> str:
        return money.format_money(self.amount, self.currency, language)


class GiftQuerySet(models.QuerySet):
    def received(self, livemode: bool | None = None) -> GiftQuerySet:
        if livemode is None:
            from masthead.supporters import stripe_api

            livemode = stripe_api.livemode()
        return self.filter(livemode=livemode)

    def net_total(self) -> int:
        """What was given, minus refunds, in the smallest unit (one currency at a time)."""
        totals = self.aggregate(given=Sum("amount"), refunded=Sum("amount_refunded"))
        return (totals["given"] or 0) - (totals["refunded"] or 0)


class Gift(models.Model):
    """Money received: a one-time gift or one payment of a recurring donation.

    Keyed by Stripe's ids (the PaymentIntent, and the Invoice for recurring payments), so a
    payment reported twice, or by both the webhook and the thank-you page, is recorded once."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="gifts")
    recurring_donation = models.ForeignKey(
        RecurringDonation, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts"
    )
    kind = models.CharField(max_length=10, choices=KINDS)
    amount = models.PositiveIntegerField(help_text="In the currency's smallest unit.")
    amount_refunded = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3)
    paid_at = models.DateTimeField(default=timezone.now)
    stripe_payment_intent = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_invoice = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_checkout_session = models.CharField(max_length=255, blank=True)
    livemode = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    dedication = models.CharField(max_length=500, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts"
    )
    source_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = GiftQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stripe_payment_intent__isnull=False) | Q(stripe_invoice__isnull=False),
                name="gift_has_a_stripe_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {money.format_money(self.amount, self.currency)}"

    @property
    def is_refunded(self) -> bool:
        return self.amount_refunded >= self.amount > 0

    @property
    def net_amount(self) -> int:
        return self.amount - self.amount_refunded

    def display_amount(self, language: str | None = None) -> str:
        return money.format_money(self.amount, self.currency, language or self.language)


class StripeEvent(models.Model):
    """Every webhook event received, by Stripe's event id: the record that makes processing
    happen exactly once (a replayed event finds its row and does nothing)."""

    id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    @property
    def object_id(self) -> str:
        return self.payload.get("data", {}).get("object", {}).get("id", "")


class SignInLinkQuerySet(models.QuerySet):
    def usable(self) -> SignInLinkQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class SignInLink(models.Model):
    """A one-time link that signs a donor in to manage their donations. Only a hash of the
    token is kept; the token itself exists only in the e-mail."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Sign-in link for {self.donor}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, donor: Donor) -> tuple[SignInLink, str]:
        """A new link for `donor`; returns it with the token to put in the e-mail."""
        token = secrets.token_urlsafe(32)
        lifetime = timedelta(minutes=settings.MASTHEAD_SIGN_IN_LINK_MINUTES)
        link = cls.objects.create(
            donor=donor, token_hash=cls.hash(token), expires_at=timezone.now() + lifetime
        )
        return link, token


# --- Settings and the Support page -----------------------------------------------------------


def _default_currency() -> str:
    return settings.MASTHEAD_DONATION_CURRENCY


@register_setting(icon="pick")
class SupportSettings(BaseSiteSetting):
    """How this site takes donations: currency, suggested amounts, limits, and the legal
    details printed on receipts."""

    currency = models.CharField(
        max_length=3,
        default=_default_currency,
        help_text="ISO 4217 code, e.g. usd, eur, gbp, cad.",
    )
    one_time_amounts = models.CharField(
        max_length=200, default="10, 25, 50, 100", help_text="Suggested one-time amounts."
    )
    monthly_amounts = models.CharField(
        max_length=200, default="5, 10, 20, 50", help_text="Suggested monthly amounts."
    )
    annual_amounts = models.CharField(
        max_length=200, default="50, 100, 200, 500", help_text="Suggested annual amounts."
    )
    minimum_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(2))
    maximum_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(10000))
    legal_name = models.CharField(
        max_length=200, blank=True, help_text="The organisation's legal name, for receipts."
    )
    postal_address = models.TextField(blank=True, help_text="Printed on every receipt.")
    receipt_note = models.TextField(
        blank=True,
        help_text='Added to receipts, e.g. tax status or "No goods or services were provided."',
    )

    panels = [
        FieldPanel("currency"),
        MultiFieldPanel(
            [
                FieldPanel("one_time_amounts"),
                FieldPanel("monthly_amounts"),
                FieldPanel("annual_amounts"),
                FieldPanel("minimum_amount"),
                FieldPanel("maximum_amount"),
            ],
            heading="Amounts (whole units, comma-separated)",
        ),
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("postal_address"), FieldPanel("receipt_note")],
            heading="Receipts",
        ),
    ]

    class Meta:
        verbose_name = "support settings"

    def clean(self) -> None:
        errors = {}
        if not money.is_known_currency(self.currency):
            errors["currency"] = _("Not a currency code.")
        self.currency = self.currency.lower()
        for field in ("one_time_amounts", "monthly_amounts", "annual_amounts"):
            try:
                self.parse_amounts(getattr(self, field))
            except ValueError:
                errors[field] = _("Write amounts as numbers separated by commas, e.g. 5, 10, 20.")
        if (
            self.minimum_amount
            and self.maximum_amount
            and self.minimum_amount > self.maximum_amount
        ):
            errors["maximum_amount"] = _("The maximum must be at least the minimum.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def parse_amounts(text: str) -> list[Decimal]:
        amounts = [Decimal(part.strip()) for part in text.split(",") if part.strip()]
        if any(amount <= 0 for amount in amounts):
            raise ValueError("amounts must be positive")
        return amounts

    def suggested_amounts(self, kind: str) -> list[int]:
        """The suggested amounts for one kind of gift, in the smallest unit."""
        text = {
            ONE_TIME: self.one_time_amounts,
            MONTHLY: self.monthly_amounts,
            ANNUAL: self.annual_amounts,
        }[kind]
        try:
            amounts = self.parse_amounts(text)
        except (ValueError, ArithmeticError):
            return []
        return [money.to_minor_units(amount, self.currency) for amount in amounts]

    @property
    def minimum_minor(self) -> int:
        return money.to_minor_units(self.minimum_amount, self.currency)

    @property
    def maximum_minor(self) -> int:
        return money.to_minor_units(self.maximum_amount, self.currency)


class SupportPage(RoutablePageMixin, ReaderPageMixin, Page):
    """The Support page: the donation form, with the newsroom's own words about where the
    money goes; also the thank-you page (`thanks/`) and "Manage my donation" (`manage/`).

    Views live in `views.py`; this page routes to them so each language's copy serves them."""

    intro = models.TextField(
        blank=True, help_text="A sentence or two above the form.", max_length=600
    )
    where_the_money_goes = RichTextField(
        features=["bold", "italic", "link", "ul", "ol", "h3"],
        blank=True,
        help_text="A short explanation of how donations are spent.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("where_the_money_goes")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types: list[str] = []
    # Every language's copy keeps the address /<language>/support/ that links and e-mails use.
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]
    max_count_per_parent = 1
    template = "supporters/support_page.html"

    class Meta:
        verbose_name = "support page"

    # Each route hands over to `views.py`.

    @path("")
    def support_view(self, request):
        from masthead.supporters import views

        return views.support(request, self)

    @path("thanks/")
    def thanks_view(self, request):
        from masthead.supporters import views

        return views.thanks(request, self)

    @path("manage/")
    def manage_view(self, request):
        from masthead.supporters import views

        return views.manage(request, self)

    @path("manage/sign-in/<str:token>/")
    def sign_in_view(self, request, token):
        from masthead.supporters import views

        return views.sign_in(request, self, token[:100])

    @path("manage/change/<int:donation_id>/")
    def change_view(self, request, donation_id):
        from masthead.supporters import views

        return views.change(request, self, donation_id)

    @path("manage/portal/")
    def portal_view(self, request):
        from masthead.supporters import views

        return views.portal(request, self)

    @path("manage/sign-out/")
    def sign_out_view(self, request):
        from masthead.supporters import views

        return views.sign_out(request, self)
