"""The reader's side of donations, served by the Support page in each language:

- the donation form, which sends the reader to Stripe Checkout (`support`);
- the thank-you page Checkout returns to (`thanks`);
- "Manage my donation": a sign-in link by e-mail, then the donor's gifts, a change of amount
  or interval, and the way to Stripe's Customer Portal (`manage`, `sign_in`, `change`,
  `portal`, `sign_out`).
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page

from masthead.newsroom.middleware import reader_page_policy
from masthead.runtime.rate_limits import over_limit, reader_address
from masthead.supporters import emails, figures, money, stripe_api, sync
from masthead.supporters.forms import ChangeDonationForm, DonationForm, SignInLinkForm
from masthead.supporters.models import (
    COUNTED_STATUSES,
    Campaign,
    Checkout,
    Donor,
    SignInLink,
    SupportPage,
    SupportSettings,
)

logger = logging.getLogger(__name__)

SESSION_KEY = "masthead_supporter"
SIGNED_IN_SECONDS = 2 * 60 * 60


def _with_stripe_forms(response: HttpResponse) -> HttpResponse:
    """Let this page's forms continue to Stripe (Checkout, the Customer Portal): browsers
    apply `form-action` to the redirect that follows a form."""
    response.headers["Content-Security-Policy"] = reader_page_policy(
        settings.MASTHEAD_STRIPE_FORM_ORIGINS
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page_context(request: HttpRequest, page: SupportPage, **extra) -> dict:
    context = page.get_context(request)
    context.update(extra)
    return context


# --- Giving ---------------------------------------------------------------------------------


def support(request: HttpRequest, page: SupportPage) -> HttpResponse:
    support_settings = SupportSettings.for_request(request)
    configured = stripe_api.is_configured()
    status = 200
    unreachable = False
    if request.method == "POST" and configured:
        form = DonationForm(request.POST, support_settings=support_settings)
        if form.is_valid():
            checkout = _start_checkout(request, form)
            try:
                session = stripe_api.create_checkout_session(
                    checkout,
                    success_url=request.build_absolute_uri(page.url + "thanks/")
                    + "?session_id={CHECKOUT_SESSION_ID}",
                    cancel_url=request.build_absolute_uri(page.url),
                )
            except stripe_api.StripeError as error:
                logger.warning("Stripe Checkout could not be started: %s", error)
                checkout.status = Checkout.UNREACHABLE
                checkout.save(update_fields=["status", "updated_at"])
                unreachable = True
                status = 503
            else:
                checkout.stripe_session_id = session["id"]
                checkout.status = Checkout.OPEN
                checkout.save(update_fields=["stripe_session_id", "status", "updated_at"])
                return _with_stripe_forms(HttpResponseRedirect(session["url"], status=303))
        else:
            status = 400
    else:
        form = DonationForm(
            initial={
                "source": _source_page_id(request.GET.get("from")),
                "campaign": request.GET.get("campaign", "")[:80],
                "kind": request.GET.get("kind") if request.GET.get("kind") else "monthly",
            },
            support_settings=support_settings,
        )
    context = _page_context(
        request,
        page,
        form=form,
        configured=configured,
        unreachable=unreachable,
        support_settings=support_settings,
        kinds=[(kind, label, form.presets(kind)) for kind, label in form.fields["kind"].choices],
        figures=figures.current(),
    )
    response = render(request, page.template, context, status=status)
    return _with_stripe_forms(response)


def _source_page_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _start_checkout(request: HttpRequest, form: DonationForm) -> Checkout:
    data = form.cleaned_data
    source_id = data.get("source")
    source = Page.objects.filter(pk=source_id).first() if source_id else None
    return Checkout.objects.create(
        kind=data["kind"],
        amount=data["amount_minor"],
        currency=data["currency"],
        email=data["email"],
        name=data["name"],
        dedication=data["dedication"],
        language=translation.get_language() or "en",
        source_page=source,
        campaign=Campaign.objects.filter(slug=data.get("campaign") or "").first(),
        livemode=stripe_api.livemode(),
    )


def thanks(request: HttpRequest, page: SupportPage) -> HttpResponse:
    """Where Checkout sends the reader back. It asks Stripe about the session itself, so it
    doesn't wait for the webhook (applying what it learns is the same as the webhook's)."""
    session_id = request.GET.get("session_id", "")[:255]
    checkout = Checkout.objects.filter(stripe_session_id=session_id).first() if session_id else None
    if checkout and stripe_api.is_configured():
        try:
            with transaction.atomic():
                checkout = (
                    sync.apply_checkout_session(stripe_api.retrieve_checkout_session(session_id))
                    or checkout
                )
        except (stripe_api.StripeError, sync.NotReadyYet) as error:
            logger.info("The thank-you page could not ask Stripe yet: %s", error)
    context = _page_context(request, page, checkout=checkout)
    return render(request, "supporters/thanks.html", context, status=200 if checkout else 404)


# --- Managing a donation --------------------------------------------------------------------


def signed_in_donor(request: HttpRequest) -> Donor | None:
    state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not state or state.get("until", 0) < time.time():
        return None
    return Donor.objects.filter(pk=state.get("donor")).first()


def manage(request: HttpRequest, page: SupportPage) -> HttpResponse:
    donor = signed_in_donor(request)
    if donor is not None:
        return _donor_page(request, page, donor)
    form = SignInLinkForm(request.POST or None)
    sent = False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if _too_many_link_requests(request, form.cleaned_data["email"]):
                status = 429
                form.add_error(
                    None,
                    gettext("Too many sign-in links were asked for. Try again in a few minutes."),
                )
            else:
                _send_link_if_known(form.cleaned_data["email"])
                sent = True
        else:
            status = 400
    context = _page_context(
        request, page, form=form, sent=sent, sign_in_minutes=settings.MASTHEAD_SIGN_IN_LINK_MINUTES
    )
    response = render(request, "supporters/manage_sign_in.html", context, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _too_many_link_requests(request: HttpRequest, email: str) -> bool:
    """At most a few links per address and per network address in a quarter of an hour."""
    return over_limit(
        "supporters:sign-in-links",
        [
            ("email", email, settings.MASTHEAD_SIGN_IN_LINKS_PER_EMAIL),
            ("ip", reader_address(request), settings.MASTHEAD_SIGN_IN_LINKS_PER_IP),
        ],
        window=15 * 60,
    )


def _send_link_if_known(email: str) -> None:
    """A link goes only to an address that has given; the page says the same either way."""
    donor = Donor.objects.filter(email=email).first()
    if donor is None:
        logger.info("A sign-in link was asked for an address that has not given.")
        return
    _link, token = SignInLink.issue(donor)
    language = translation.get_language() or donor.language
    transaction.on_commit(lambda: emails.send_sign_in_link(donor, token, language))


def sign_in(request: HttpRequest, page: SupportPage, token: str) -> HttpResponse:
    """GET shows a button (so that mail scanners opening the link don't use it up); POST uses
    the link, once."""
    link = SignInLink.objects.filter(token_hash=SignInLink.hash(token)).first()
    problem = None
    if link is None:
        problem = "unknown"
    elif link.used_at is not None:
        problem = "used"
    elif link.expires_at <= timezone.now():
        problem = "expired"
    if problem is None and request.method == "POST":
        used = SignInLink.objects.usable().filter(pk=link.pk).update(used_at=timezone.now())
        if used == 1:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "donor": link.donor_id,
                "until": time.time() + SIGNED_IN_SECONDS,
            }
            request.session.set_expiry(SIGNED_IN_SECONDS)
            return HttpResponseRedirect(page.url + "manage/", status=303)
        problem = "used"
    context = _page_context(request, page, problem=problem)
    response = render(request, "supporters/sign_in.html", context, status=410 if problem else 200)
    response.headers["Cache-Control"] = "private, no-store"
    # The link's token stays out of Referer headers; the form's POST still carries the
    # site's Origin, which the CSRF check needs ("no-referrer" would make it "null").
    response.headers["Referrer-Policy"] = "strict-origin"
    return response


def _donor_page(request: HttpRequest, page: SupportPage, donor: Donor, forms=None) -> HttpResponse:
    support_settings = SupportSettings.for_request(request)
    donations = list(donor.recurring_donations.filter(livemode=stripe_api.livemode()))
    for donation in donations:
        donation.form = (forms or {}).get(donation.pk) or ChangeDonationForm(
            initial={
                "interval": donation.interval,
                "amount": money.from_minor_units(donation.amount, donation.currency),
                "request_id": uuid.uuid4(),
            },
            support_settings=support_settings,
            currency=donation.currency,
        )
    context = _page_context(
        request,
        page,
        donor=donor,
        donations=donations,
        gifts=donor.gifts.filter(livemode=stripe_api.livemode())[:50],
        counted_statuses=COUNTED_STATUSES,
        can_use_portal=bool(donor.stripe_customer_id(stripe_api.livemode())),
    )
    status = 400 if forms else 200
    response = render(request, "supporters/manage.html", context, status=status)
    return _with_stripe_forms(response)


def change(request: HttpRequest, page: SupportPage, donation_id: int) -> HttpResponse:
    donor = signed_in_donor(request)
    if donor is None or request.method != "POST":
        return HttpResponseRedirect(page.url + "manage/", status=303)
    donation = donor.recurring_donations.filter(pk=donation_id, status__in=COUNTED_STATUSES).first()
    if donation is None:
        messages.error(request, gettext("That donation can no longer be changed."))
        return HttpResponseRedirect(page.url + "manage/", status=303)
    form = ChangeDonationForm(
        request.POST,
        support_settings=SupportSettings.for_request(request),
        currency=donation.currency,
    )
    if not form.is_valid():
        return _donor_page(request, page, donor, forms={donation.pk: form})
    data = form.cleaned_data
    try:
        updated = stripe_api.change_amount(
            donation, data["amount_minor"], data["interval"], data["request_id"]
        )
        with transaction.atomic():
            donation = sync.apply_subscription(updated)
    except (stripe_api.StripeError, sync.NotReadyYet) as error:
        logger.warning("Changing %s failed: %s", donation.stripe_id, error)
        messages.error(
            request,
            gettext("We couldn't reach our payment processor. Nothing was changed; try again."),
        )
    else:
        messages.success(
            request,
            gettext("Done: from your next payment on, you give %(amount)s %(interval)s.")
            % {
                "amount": donation.display_amount(),
                "interval": gettext("a month")
                if donation.interval == "month"
                else gettext("a year"),
            },
        )
    return HttpResponseRedirect(page.url + "manage/", status=303)


def portal(request: HttpRequest, page: SupportPage) -> HttpResponse:
    donor = signed_in_donor(request)
    if donor is None or request.method != "POST":
        return HttpResponseRedirect(page.url + "manage/", status=303)
    customer = donor.stripe_customer_id(stripe_api.livemode())
    if not customer:
        messages.error(request, gettext("There is no card on file to manage."))
        return HttpResponseRedirect(page.url + "manage/", status=303)
    try:
        url = stripe_api.portal_url(customer, request.build_absolute_uri(page.url + "manage/"))
    except stripe_api.StripeError as error:
        logger.warning("The Customer Portal could not be opened: %s", error)
        messages.error(
            request, gettext("We couldn't reach our payment processor. Try again in a minute.")
        )
        return HttpResponseRedirect(page.url + "manage/", status=303)
    return _with_stripe_forms(HttpResponseRedirect(url, status=303))


def sign_out(request: HttpRequest, page: SupportPage) -> HttpResponse:
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(page.url + "manage/", status=303)
