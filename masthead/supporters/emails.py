"""The e-mails donors get from Masthead, in their language: a receipt for every payment (Stripe's
own receipts are turned off, so nobody gets two), the sign-in link for "Manage my donation",
and a note when a renewal fails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Site

from masthead.newsroom.context_processors import newsroom_name
from masthead.supporters.links import support_page_url
from masthead.supporters.models import Donor, Gift, RecurringDonation, SupportSettings


def _site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first()


def _send(donor: Donor, template: str, context: dict, language: str | None = None) -> None:
    """Send one e-mail to `donor`, in `language` (by default the donor's own)."""
    language = language or donor.language
    site = _site()
    context = {
        "site_name": newsroom_name(site),
        "support": SupportSettings.for_site(site) if site else None,
        "donor": donor,
        "language": language,
        "manage_url": support_page_url(language, "manage/"),
        **context,
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"supporters/emails/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"supporters/emails/{template}.txt", context)
        html = render_to_string(f"supporters/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [donor.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_receipt(gift_id: int) -> str:
    """Send the receipt for one gift, once (the gift remembers that it was sent)."""
    with transaction.atomic():
        gift = (
            Gift.objects.select_for_update(of=("self",))
            .select_related("donor", "recurring_donation")
            .filter(pk=gift_id)
            .first()
        )
        if gift is None:
            return "no such gift"
        if gift.receipt_sent_at:
            return "already sent"
        _send(
            gift.donor,
            "receipt",
            {"gift": gift, "amount": gift.display_amount(gift.donor.language)},
        )
        gift.receipt_sent_at = timezone.now()
        gift.save(update_fields=["receipt_sent_at"])
    return "sent"


def send_sign_in_link(donor: Donor, token: str, language: str) -> None:
    link = support_page_url(language, f"manage/sign-in/{token}/")
    minutes = settings.MASTHEAD_SIGN_IN_LINK_MINUTES
    _send(donor, "sign_in_link", {"link": link, "minutes": minutes}, language)


def send_payment_failed(donation_id: int) -> str:
    """Tell a donor their renewal failed and how to update their card (Stripe keeps retrying)."""
    donation = RecurringDonation.objects.select_related("donor").filter(pk=donation_id).first()
    if donation is None:
        return "no such donation"
    _send(
        donation.donor,
        "payment_failed",
        {"donation": donation, "amount": donation.display_amount(donation.donor.language)},
    )
    return "sent"
