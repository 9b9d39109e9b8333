"""Forgetting who sent a tip: every request to a tip box address (`/tips/...` in any language)
keeps only the few headers needed to answer it; its network address, browser, referrer,
cookies and any proxy's forwarding headers are removed before any other middleware, view, log
line or error report can see them.

The same happens at the WSGI layer (`forget_tip_sender_wsgi`, in `masthead/wsgi.py`), so the
page cache in front of Django never sees them either. What the web server and a reverse proxy
log is theirs to configure: `serve` logs no addresses at all, and docs/deploy.md shows nginx's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, MutableMapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The only request headers a tip box request keeps (HTTP_* names as in the WSGI environ and
# request.META): what is needed to answer it and to refuse cross-site posts. Everything else
# goes: the address headers of any proxy or CDN (X-Forwarded-For, X-Real-IP, Forwarded,
# CF-Connecting-IP, ...), User-Agent and client hints, Referer, and cookies (a signed-in
# editor's or donor's session would tie the request to a name).
KEPT_HEADERS = frozenset(
    {
        "HTTP_HOST",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_CONNECTION",
        "HTTP_CACHE_CONTROL",
        "HTTP_PRAGMA",
        "HTTP_ORIGIN",
        "HTTP_SEC_FETCH_SITE",
        "HTTP_SEC_FETCH_MODE",
        "HTTP_SEC_FETCH_DEST",
        "HTTP_SEC_FETCH_USER",
        "HTTP_UPGRADE_INSECURE_REQUESTS",
    }
)
# REMOTE_ADDR must exist (Django and WSGI servers expect it): this says "unknown".
NOBODY = "0.0.0.0"  # noqa: S104 - an address, not a binding


def _tip_path_pattern() -> re.Pattern[str]:
    prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{prefixes})/)?tips(?:/|$)", re.IGNORECASE)


TIP_PATH = _tip_path_pattern()


def is_tip_path(path: str) -> bool:
    return bool(TIP_PATH.match(path))


def _kept_headers() -> frozenset[str]:
    kept = set(KEPT_HEADERS)
    if settings.SECURE_PROXY_SSL_HEADER:  # "is this HTTPS?", from the trusted proxy
        kept.add(settings.SECURE_PROXY_SSL_HEADER[0])
    return frozenset(kept)


def forget_sender(meta: MutableMapping[str, object]) -> None:
    """Removes from a WSGI environ (or request.META) everything that says who sent it."""
    meta["REMOTE_ADDR"] = NOBODY
    meta.pop("REMOTE_HOST", None)
    meta.pop("REMOTE_PORT", None)
    meta.pop("REMOTE_USER", None)
    kept = _kept_headers()
    for name in [name for name in meta if name.startswith("HTTP_") and name not in kept]:
        del meta[name]


class ForgetTipSenderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_tip_path(request.path_info):
            forget_sender(request.META)
            # Whatever reads the body first (a view, the CSRF check of an address that does not
            # exist, an error report), uploaded files stay in memory, never in temporary files.
            from masthead.tips.uploads import hold_uploads_in_memory

            hold_uploads_in_memory(request)
        return self.get_response(request)


def forget_tip_sender_wsgi(application: Callable) -> Callable:
    """Wraps a WSGI application so tip box requests reach it without their sender."""

    def forgetting(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if is_tip_path(environ.get("PATH_INFO", "")):
            forget_sender(environ)
        return application(environ, start_response)

    return forgetting
