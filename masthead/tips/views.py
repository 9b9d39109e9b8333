"""The tip box's pages for sources, in every language: the advice and the form (`/tips/`), the
codename shown once, signing in again with the codename (`/tips/return/`) to read the newsroom's
replies, and sending more (`/tips/return/message/`).

What these views never do: log, store or put in an error report a message, a file (its name or
its contents), a codename or anything about who sent it (the middleware has already removed the
sender's address, browser and referrer). Files are held in memory only (`uploads.py`) and
encrypted before anything is written (`submissions.py`). No page sets a cookie: there is no
session and no CSRF cookie. Cross-site posts are refused by what the browser says of their
origin instead, the way the newsletter's forms do it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from masthead.runtime.cross_site import is_cross_site
from masthead.tips import abuse, bundles, codenames, encryption, scrubbing, submissions, uploads
from masthead.tips.forms import TipForm, limits_in_words
from masthead.tips.models import Tip, TipBoxSettings
from masthead.translation.languages import view_versions

logger = logging.getLogger(__name__)

# The follow-up form carries a signed, short-lived token naming the tip, never the codename.
FOLLOW_UP_SALT = "masthead.tips.follow-up"
FOLLOW_UP_MAX_AGE_SECONDS = 60 * 60
# Longer than any codename; what is typed beyond it cannot be one (scrypt still runs).
CODENAME_MAX_CHARS = 500

# Stricter than reader pages: no scripts, frames, fonts or other hosts at all.
TIP_PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def tip_page(*, indexable_get: bool = False) -> Callable:
    """Headers for every tip box answer: stored by no cache, browser or proxy; a Referer of the
    site's origin only, never a tip box address ("strict-origin": a link from here to any other
    page of the site must not tell that page's access log that its reader used the tip box;
    "no-referrer" would make our own forms' Origin "null"); the strict policy above; and not
    indexed, except the GET of the tip page itself when `indexable_get`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "private, no-store"
            response.headers["Referrer-Policy"] = "strict-origin"
            response.headers["Content-Security-Policy"] = TIP_PAGE_POLICY
            if not (indexable_get and request.method in ("GET", "HEAD")):
                response.headers["X-Robots-Tag"] = "noindex"
            return response

        return wrapped

    return decorator


def _other_ways(request: HttpRequest) -> TipBoxSettings | None:
    try:
        return TipBoxSettings.for_request(request)
    except TipBoxSettings.DoesNotExist:  # no site for this host
        return None


# Every variable the tip box templates (and base.html's) look up, so that none is missing: a
# missing one makes Django's template engine log the whole context at DEBUG, and the context
# can hold a message, replies or a codename.
TEMPLATE_DEFAULTS = {
    "busy": False,
    "wrong": False,
    "problem": "",
    "not_scrubbed": [],
    "page_address": "",
    "language_versions": [],
    # The footer leaves out its newsletter form: no one should type an e-mail address here.
    "newsletter_page": True,
    "search_query": "",
    "typed_message": "",
}


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {
        **TEMPLATE_DEFAULTS,
        "tip_box": _other_ways(request),
        "submit_url": reverse("tips:submit"),
        "return_url": reverse("tips:return"),
        "follow_up_url": reverse("tips:follow_up"),
        "limits": limits_in_words(),
        **context,
    }
    return render(request, f"tips/{template}", context, status=status)


def _refused_before_reading(request: HttpRequest) -> HttpResponse | None:
    """A cross-site post (403) or a closed tip box (503), before the body is read at all."""
    if is_cross_site(request):
        logger.info("A cross-site tip box request was refused.")
        return _page(request, "cross_site.html", {}, status=403)
    if not encryption.tip_box_is_open():
        return _closed(request)
    return None


def _closed(request: HttpRequest) -> HttpResponse:
    return _page(request, "closed.html", {}, status=503)


def _read_upload(request: HttpRequest) -> tuple[TipForm | None, str]:
    """The bound form of a post, its files held in memory only; or None and why it could not
    be read (a request far past the limits)."""
    handler = uploads.hold_uploads_in_memory(request)  # before POST or FILES is touched
    try:
        data, files = request.POST, request.FILES.getlist(uploads.FILES_FIELD)
    except TooManyFilesSent:
        return None, gettext(
            "You chose too many files: send at most %(count)s with one message."
        ) % {"count": settings.MASTHEAD_TIPS_MAX_FILES}
    except (RequestDataTooBig, TooManyFieldsSent):
        return None, gettext("This request was too large. Nothing was sent.")
    except (MultiPartParserError, UnreadablePostError):
        return None, gettext("What your browser sent could not be read. Nothing was sent.")
    return TipForm(data, files=files, upload_problems=handler.problems), ""


def _attachments(form: TipForm) -> list[bundles.Attachment]:
    """The files as attachments, their hidden data removed if the source asked for it."""
    attachments = [
        bundles.Attachment(name=uploaded.name, data=uploaded.read())
        for uploaded in form.uploaded_files
    ]
    if form.cleaned_data["remove_hidden_data"]:
        scrubbing.scrub_all(attachments)
    return attachments


def _not_scrubbed(attachments: list[bundles.Attachment]) -> list[str]:
    return [a.name for a in attachments if a.treatment == bundles.NOT_SCRUBBED]


# --- A new tip ------------------------------------------------------------------------------


@csrf_exempt
@sensitive_post_parameters()
@tip_page(indexable_get=True)
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """GET: the advice, then the form (or a notice that the tip box is closed).
    POST: a new tip; the answer shows its codename, once."""
    if request.method != "POST":
        context = {
            "form": TipForm(),
            "is_open": encryption.tip_box_is_open(),
            "language_versions": view_versions(request),
            "page_address": request.build_absolute_uri(reverse("tips:submit")),
        }
        return _page(request, "submit.html", context)
    return _new_tip(request)


@sensitive_variables()
def _new_tip(request: HttpRequest) -> HttpResponse:
    refused = _refused_before_reading(request)
    if refused:
        return refused
    form, unreadable = _read_upload(request)
    if form is None:
        context = {"form": TipForm(), "is_open": True, "problem": unreadable}
        return _page(request, "submit.html", context, status=400)
    if not form.is_valid():
        return _page(request, "submit.html", {"form": form, "is_open": True}, status=400)
    if abuse.too_many_messages():
        context = {"form": form, "is_open": True, "busy": True}
        return _page(request, "submit.html", context, status=429)
    return_address = request.build_absolute_uri(reverse("tips:return"))
    if form.filled_by_a_bot:
        logger.info("A tip with the honeypot filled in was ignored.")
        context = {"codename": codenames.new_codename(), "return_address": return_address}
        return _page(request, "created.html", context)
    attachments = _attachments(form)
    try:
        new = submissions.open_tip(form.cleaned_data["message"], attachments)
    except encryption.TipBoxClosed:
        return _closed(request)
    abuse.count_message()
    # Nothing is logged: a line saying when tip #N came is what the rounding to the hour avoids.
    context = {
        "codename": new.codename,
        "not_scrubbed": _not_scrubbed(attachments),
        "return_address": return_address,
    }
    return _page(request, "created.html", context)


# --- Coming back with the codename ----------------------------------------------------------


def follow_up_token(tip: Tip) -> str:
    """A signed token naming `tip`, for the follow-up form (valid for an hour)."""
    return signing.dumps({"tip": tip.pk}, salt=FOLLOW_UP_SALT, compress=False)


def tip_from_token(token: str) -> Tip | None:
    """The tip a follow-up token names, or None if it is expired, changed, or the tip is gone."""
    try:
        payload = signing.loads(token, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("tip"), int):
        return None
    return Tip.objects.filter(pk=payload["tip"]).first()


@csrf_exempt
@sensitive_post_parameters()
@tip_page()
@require_http_methods(["GET", "HEAD", "POST"])
def return_to_tip(request: HttpRequest) -> HttpResponse:
    """GET: the codename form. POST: the thread the codename opens (the newsroom's replies and
    a form to send more), or the same answer for every codename that opens none."""
    if request.method != "POST":
        return _page(request, "return.html", {})
    return _sign_in(request)


@sensitive_variables()
def _sign_in(request: HttpRequest) -> HttpResponse:
    if is_cross_site(request):
        logger.info("A cross-site tip box request was refused.")
        return _page(request, "cross_site.html", {}, status=403)
    uploads.hold_uploads_in_memory(request)
    try:
        typed = request.POST.get("codename", "")[:CODENAME_MAX_CHARS]
    except (
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent,
        MultiPartParserError,
        UnreadablePostError,
    ):
        typed = ""
    if abuse.too_many_signins():
        return _page(request, "return.html", {"busy": True}, status=429)
    tip, derived = submissions.find_tip(typed)  # slow, and run for every attempt
    if tip is None:
        return _page(request, "return.html", {"wrong": True}, status=400)
    replies = submissions.read_replies(tip, derived)
    context = {
        "replies": replies,
        "form": TipForm(),
        "token": follow_up_token(tip),
        "is_open": encryption.tip_box_is_open(),
    }
    return _page(request, "thread.html", context)


@csrf_exempt
@sensitive_post_parameters()
@tip_page()
@require_http_methods(["POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """A follow-up message from a source who signed in with the codename within the hour."""
    return _follow_up(request)


@sensitive_variables()
def _follow_up(request: HttpRequest) -> HttpResponse:
    refused = _refused_before_reading(request)
    if refused:
        return refused
    form, unreadable = _read_upload(request)
    if form is None:
        return _page(request, "sign_in_again.html", {"problem": unreadable}, status=400)
    token = request.POST.get("token", "")
    tip = tip_from_token(token)
    if tip is None:
        # The message comes back to be copied: nothing the source wrote is lost to a timeout.
        context = {"typed_message": request.POST.get("message", "")}
        return _page(request, "sign_in_again.html", context, status=400)
    context = {"form": form, "token": token, "is_open": True}
    if not form.is_valid():
        return _page(request, "follow_up.html", context, status=400)
    if abuse.too_many_messages():
        return _page(request, "follow_up.html", {**context, "busy": True}, status=429)
    if form.filled_by_a_bot:
        logger.info("A follow-up with the honeypot filled in was ignored.")
        return _page(request, "sent.html", {})
    attachments = _attachments(form)
    try:
        submissions.add_message(tip, form.cleaned_data["message"], attachments)
    except encryption.TipBoxClosed:
        return _closed(request)
    abuse.count_message()
    return _page(request, "sent.html", {"not_scrubbed": _not_scrubbed(attachments)})
