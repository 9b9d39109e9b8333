"""The reader's newsletter pages, in every language: the subscribe page (and the footer form's
endpoint), the confirmation link, the unsubscribe link (one-click too, RFC 8058) and the
preferences page.

Pages that show an address or carry a link's token are never stored by anyone
(`Cache-Control: private, no-store`), never indexed, and send no Referer onwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masthead.newsletter import subscriptions, tokens
from masthead.newsletter.forms import PreferencesForm, SubscribeForm
from masthead.newsletter.models import FREQUENCIES, WEEKLY, Subscriber
from masthead.runtime.cross_site import is_cross_site
from masthead.runtime.rate_limits import over_limit, reader_address
from masthead.translation.languages import view_versions

logger = logging.getLogger(__name__)

RATE_LIMIT_WINDOW_SECONDS = 60 * 60
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For answers that show an address or carry a token: stored by no cache, browser or
    proxy, not indexed, and no Referer holding the token sent from them ("strict-origin": only
    the site's origin; not "no-referrer", which would make the forms' Origin "null" and fail the
    CSRF check)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "strict-origin"
        return response

    return wrapped


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {
        "newsletter_page": True,  # the footer leaves its own subscribe form out
        "subscribe_url": reverse("newsletter:subscribe"),
        **context,
    }
    return render(request, f"newsletter/{template}", context, status=status)


# --- Subscribing ----------------------------------------------------------------------------


def too_many_subscribe_requests(request: HttpRequest, email: str) -> bool:
    """At most MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_EMAIL requests per address and
    MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_IP per network address in an hour."""
    return over_limit(
        "newsletter:subscribe",
        [
            ("email", email, settings.MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_EMAIL),
            ("ip", reader_address(request), settings.MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_IP),
        ],
        window=RATE_LIMIT_WINDOW_SECONDS,
    )


def _blank_subscribe_form() -> SubscribeForm:
    return SubscribeForm(initial={"language": translation.get_language(), "frequency": WEEKLY})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """GET: the subscribe page (public, the same for everyone, so the page cache keeps it).
    POST: a subscribe request, from this page or any page's footer form.

    No CSRF token: the footer form is on every cached page, and a token would set a cookie on
    each of them and keep them out of the page cache. Cross-site posts are refused by what the
    browser says of their origin instead (`is_cross_site`). A forged request from another site
    could at most have a confirmation e-mail sent, which the rate limits cap, and nothing is
    subscribed without the link in it.
    """
    if request.method != "POST":
        context = {
            "form": _blank_subscribe_form(),
            "language_versions": view_versions(request),
        }
        return _page(request, "subscribe.html", context)
    return _subscribe_request(request)


@private_page
def _subscribe_request(request: HttpRequest) -> HttpResponse:
    if is_cross_site(request):
        logger.info("A cross-site subscribe request was refused.")
        return _page(request, "cross_site.html", {}, status=403)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, "subscribe.html", {"form": form}, status=400)
    data = form.cleaned_data
    if too_many_subscribe_requests(request, data["email"]):
        return _page(request, "too_many.html", {}, status=429)
    if form.filled_by_a_bot:
        logger.info("A subscribe request with the honeypot filled in was ignored.")
    else:
        subscriptions.request_subscription(
            data["email"], data["language"], data["frequency"], data["name"]
        )
    return _page(request, "check_inbox.html", {"email": data["email"]})


# --- Links from e-mails ---------------------------------------------------------------------


def _link_problem(request: HttpRequest, problem: tokens.BadLink) -> HttpResponse:
    return _page(request, "link_problem.html", {"reason": problem.reason}, status=400)


@csrf_exempt
@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link asks for and a button; POST applies it (mail scanners that open
    links only GET). No CSRF token is needed: the signed link is the proof, and whoever holds
    it could post it themselves."""
    try:
        asked = tokens.read_confirmation_token(token)
    except tokens.BadLink as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        subscriber = subscriptions.confirm(asked)
        context = {"subscriber": subscriber, "preferences_url": _preferences_path(subscriber)}
        return _page(request, "confirmed.html", context)
    context = {
        "email": asked.subscriber.email,
        "language_name": dict(settings.LANGUAGES)[asked.language],
        "frequency_label": dict(FREQUENCIES)[asked.frequency],
        "name": asked.name,
    }
    return _page(request, "confirm.html", context)


def _preferences_path(subscriber: Subscriber) -> str:
    with translation.override(subscriber.language):
        token = tokens.subscriber_token(subscriber)
        return reverse("newsletter:preferences", kwargs={"token": token})


def is_one_click(request: HttpRequest) -> bool:
    """A mail program's one-click unsubscribe (RFC 8058): a POST of exactly this field."""
    return request.POST.get("List-Unsubscribe") == "One-Click"


@csrf_exempt
@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button and changes nothing (mail scanners open links); POST
    unsubscribes, whether from that button or from a mail program's one-click unsubscribe,
    which sends no cookie and no CSRF token: the signed link is the proof."""
    try:
        subscriber = tokens.read_subscriber_token(token)
    except tokens.BadLink as problem:
        return _link_problem(request, problem)
    if request.method != "POST":
        return _page(request, "unsubscribe.html", {"subscriber": subscriber, "done": False})
    subscriptions.unsubscribe(subscriber)
    if is_one_click(request):
        return HttpResponse(
            gettext("You are unsubscribed."), content_type="text/plain; charset=utf-8"
        )
    context = {
        "subscriber": subscriber,
        "done": True,
        "preferences_url": _preferences_path(subscriber),
    }
    return _page(request, "unsubscribe.html", context)


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """A subscriber's language, frequency and name, to change; or to leave, or come back."""
    try:
        subscriber = tokens.read_subscriber_token(token)
    except tokens.BadLink as problem:
        return _link_problem(request, problem)
    status, saved = 200, None
    form = PreferencesForm(
        initial={
            "language": subscriber.language,
            "frequency": subscriber.frequency,
            "name": subscriber.name,
        }
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "save" and subscriber.status == Subscriber.SUBSCRIBED:
            form = PreferencesForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                subscriptions.change_preferences(
                    subscriber, data["language"], data["frequency"], data["name"]
                )
                saved = "preferences"
            else:
                status = 400
        elif action == "unsubscribe":
            subscriptions.unsubscribe(subscriber)
            saved = "unsubscribed"
        elif action == "resubscribe" and subscriber.status == Subscriber.UNSUBSCRIBED:
            subscriptions.resubscribe(subscriber)
            saved = "resubscribed"
        elif action == "confirm_again" and subscriber.status in (
            Subscriber.PENDING,
            Subscriber.BOUNCING,
        ):
            if too_many_subscribe_requests(request, subscriber.email):
                return _page(request, "too_many.html", {}, status=429)
            subscriptions.request_subscription(
                subscriber.email, subscriber.language, subscriber.frequency, subscriber.name
            )
            saved = "link_sent"
        else:
            status = 400
            saved = "not_possible"
    context = {
        "subscriber": subscriber,
        "form": form,
        "saved": saved,
        "unsubscribe_url": reverse("newsletter:unsubscribe", kwargs={"token": token}),
    }
    return _page(request, "preferences.html", context, status=status)
