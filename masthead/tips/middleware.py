"""Forgetting who sent a tip: every request to a tip box address (`/tips/...` in any language)
has its network address, browser, referrer and forwarding headers removed before any other
middleware, view, log line or error report can see them.

The same happens at the WSGI layer (`forget_tip_sender_wsgi`, in `masthead/wsgi.py`), so the
page cache in front of Django never sees them either. What the web server and a reverse proxy
log is theirs to configure: `serve` logs no addresses at all, and docs/deploy.md shows nginx's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, MutableMapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# What a request says about who sent it (HTTP_* names as in the WSGI environ / request.META).
IDENTIFYING_HEADERS = (
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_VIA",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
)
# REMOTE_ADDR must exist (Django and WSGI servers expect it): this says "unknown".
NOBODY = "0.0.0.0"  # noqa: S104 - an address, not a binding


def _tip_path_pattern() -> re.Pattern[str]:
    prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{prefixes})/)?tips(?:/|$)", re.IGNORECASE)


TIP_PATH = _tip_path_pattern()


def is_tip_path(path: str) -> bool:
    return bool(TIP_PATH.match(path))


def forget_sender(meta: MutableMapping[str, object]) -> None:
    """Removes from a WSGI environ (or request.META) everything that says who sent it."""
    meta["REMOTE_ADDR"] = NOBODY
    meta.pop("REMOTE_HOST", None)
    for name in (*IDENTIFYING_HEADERS, settings.MASTHEAD_CLIENT_IP_HEADER):
        if name:
            meta.pop(name, None)


class ForgetTipSenderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_tip_path(request.path_info):
            forget_sender(request.META)
        return self.get_response(request)


def forget_tip_sender_wsgi(application: Callable) -> Callable:
    """Wraps a WSGI application so tip box requests reach it without their sender."""

    def forgetting(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if is_tip_path(environ.get("PATH_INFO", "")):
            forget_sender(environ)
        return application(environ, start_response)

    return forgetting
