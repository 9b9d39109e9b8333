"""The full-page cache in front of Django: `PageCacheApp` wraps Masthead's WSGI application.

A request is *cacheable* when it is a GET or HEAD for a reader page (not the editor, static
files, uploads, documents or the health check), carries no session or messages cookie and no
credentials, and has no query string other than `page=N`. A cacheable request is answered
from the store when it holds a current copy (`X-Masthead-Cache: hit`); otherwise Django renders
it while its dependency record is kept, and the answer is stored (`miss`) when it is a plain
200 that sets no cookie and doesn't forbid caching (pages with CSRF tokens set the CSRF
cookie, the Support and sign-in pages say `no-store`). Everything else goes straight through
(`bypass`), never stored.

Stored answers carry a strong `ETag` (a hash of the bytes) and `Last-Modified`, and revalidate
with `304 Not Modified`; `Cache-Control: public, max-age=0, must-revalidate` lets browsers and
proxies keep them but ask each time (`MASTHEAD_PAGE_CACHE_SHARED_MAX_AGE` allows shared caches
a few seconds more). Reader pages don't vary by cookie: a request with a session cookie is never
answered from the cache, so `Vary: Cookie` is dropped from stored answers.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus

from django.conf import settings

from masthead.pagecache.dependencies import recording
from masthead.pagecache.store import CachedPage, PageStore, page_store

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]

PAGE_QUERY = re.compile(r"page=[1-9][0-9]{0,5}")
# Headers that belong to one answer, not to the page.
PER_ANSWER_HEADERS = {"date", "content-length", "etag", "last-modified", "x-masthead-cache"}
NOT_MODIFIED = f"{HTTPStatus.NOT_MODIFIED.value} {HTTPStatus.NOT_MODIFIED.phrase}"
# Headers a 304 repeats (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "expires", "vary"}


def excluded_prefixes() -> tuple[str, ...]:
    return tuple(
        prefix
        for prefix in (
            "/admin/",
            "/documents/",
            "/healthz",
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
        if prefix
    )


class PageCacheApp:
    """WSGI middleware: answers cacheable requests from the page store, stores what it renders."""

    def __init__(self, app: WSGIApp, store: PageStore | None = None) -> None:
        self.app = app
        self._store = store
        self.excluded = excluded_prefixes()
        cookie_names = "|".join(
            re.escape(name) for name in (settings.SESSION_COOKIE_NAME, "messages")
        )
        self.private_cookie = re.compile(rf"(?:^|;)\s*(?:{cookie_names})=")
        shared_max_age = settings.MASTHEAD_PAGE_CACHE_SHARED_MAX_AGE
        self.cache_control = "public, max-age=0, must-revalidate" + (
            f", s-maxage={shared_max_age}" if shared_max_age > 0 else ""
        )
        self.proxy_scheme_header = None
        if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            self.proxy_scheme_header = settings.SECURE_PROXY_SSL_HEADER

    @property
    def store(self) -> PageStore:
        return self._store or page_store()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        url = self.cache_url(environ)
        if url is None:
            return self.app(environ, self.private_answer(environ, start_response))
        page = self.store.lookup(url)
        if page is not None:
            return self.answer(environ, start_response, page, "hit")
        if environ["REQUEST_METHOD"] != "GET":
            return self.app(environ, start_response)  # HEAD: stored only from a full GET
        return self.render_and_store(environ, start_response, url)

    # --- Which requests ---------------------------------------------------------------------

    def cache_url(self, environ: dict) -> str | None:
        """The cache's name for this request, or None when it must not be cached."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        path = environ.get("PATH_INFO", "") or "/"
        if path.startswith(self.excluded):
            return None
        query = environ.get("QUERY_STRING", "")
        if query and not PAGE_QUERY.fullmatch(query):
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and self.private_cookie.search(cookies):
            return None
        if "HTTP_AUTHORIZATION" in environ:
            return None
        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        return f"{self.scheme(environ)}://{host}{path}?{query}"

    def scheme(self, environ: dict) -> str:
        if self.proxy_scheme_header:
            header, secure_value = self.proxy_scheme_header
            forwarded = environ.get(header, "").split(",")[0].strip()
            if forwarded:
                return "https" if forwarded == secure_value else "http"
        return environ.get("wsgi.url_scheme", "http")

    def private_answer(self, environ: dict, start_response: Callable) -> Callable:
        """start_response for requests that bypass the cache: signed-in pages are private."""
        signed_in = bool(
            environ.get("HTTP_COOKIE") and self.private_cookie.search(environ["HTTP_COOKIE"])
        )

        def respond(status: str, headers: list[tuple[str, str]], exc_info=None):
            names = {name.lower() for name, _value in headers}
            if signed_in and "cache-control" not in names:
                headers = [*headers, ("Cache-Control", "private, no-cache")]
            headers = [*headers, ("X-Masthead-Cache", "bypass")]
            return start_response(status, headers, exc_info)

        return respond

    # --- Rendering and storing --------------------------------------------------------------

    def render_and_store(self, environ: dict, start_response: Callable, url: str):
        store = self.store
        started = store.generation()
        captured: dict = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        with recording() as tags:
            body_iterable = self.app(environ, capture)
            try:
                chunks = []
                size = 0
                limit = settings.MASTHEAD_PAGE_CACHE_MAX_BYTES
                iterator = iter(body_iterable)
                for chunk in iterator:
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        # Too big to keep: send what came and stream the rest.
                        start_response(captured["status"], self.marked(captured, "bypass"))
                        return self.streamed(chunks, iterator, body_iterable)
            except BaseException:
                self.close(body_iterable)
                raise
            self.close(body_iterable)
        body = b"".join([*captured.get("written", []), *chunks])
        page = self.storable(captured["status"], captured["headers"], body)
        if page is None:
            start_response(captured["status"], self.marked(captured, "bypass"))
            return [body]
        stored = store.save(url, page, tags, started)
        return self.answer(environ, start_response, page, "miss" if stored else "bypass")

    def storable(self, status: str, headers: list[tuple[str, str]], body: bytes):
        """The answer as a CachedPage if it may be kept for every anonymous reader."""
        if not status.startswith("200"):
            return None
        kept = []
        for name, value in headers:
            lowered = name.lower()
            if lowered == "set-cookie":
                return None
            if lowered == "cache-control" and re.search(
                r"\b(private|no-store|no-cache)\b", value, re.IGNORECASE
            ):
                return None
            if lowered == "vary":
                fields = [f.strip() for f in value.split(",") if f.strip().lower() != "cookie"]
                if "*" in fields:
                    return None
                if fields:
                    kept.append((name, ", ".join(fields)))
                continue
            if lowered not in PER_ANSWER_HEADERS:
                kept.append((name, value))
        if not any(name.lower() == "cache-control" for name, _value in kept):
            kept.append(("Cache-Control", self.cache_control))
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return CachedPage(
            status=status,
            headers=kept,
            body=body,
            etag=etag,
            last_modified=formatdate(time.time(), usegmt=True),
        )

    # --- Answering --------------------------------------------------------------------------

    def answer(self, environ: dict, start_response: Callable, page: CachedPage, how: str):
        validators = [("ETag", page.etag), ("Last-Modified", page.last_modified)]
        if self.not_modified(environ, page):
            headers = [
                (name, value)
                for name, value in page.headers
                if name.lower() in NOT_MODIFIED_HEADERS
            ]
            start_response(NOT_MODIFIED, [*headers, *validators, ("X-Masthead-Cache", how)])
            return []
        headers = [
            *page.headers,
            *validators,
            ("Content-Length", str(len(page.body))),
            ("X-Masthead-Cache", how),
        ]
        start_response(page.status, headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            return []
        return [page.body]

    @staticmethod
    def not_modified(environ: dict, page: CachedPage) -> bool:
        """RFC 9110 13.1: If-None-Match wins; If-Modified-Since only without it."""
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if if_none_match.strip() == "*":
                return True
            wanted = page.etag.strip('"')
            for tag in if_none_match.split(","):
                tag = tag.strip()
                if tag.startswith("W/"):
                    tag = tag[2:]
                if tag.strip('"') == wanted:
                    return True
            return False
        if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
                modified = parsedate_to_datetime(page.last_modified)
            except (TypeError, ValueError):
                return False
            return since.tzinfo is not None and modified <= since
        return False

    @staticmethod
    def marked(captured: dict, how: str) -> list[tuple[str, str]]:
        return [*captured["headers"], ("X-Masthead-Cache", how)]

    @staticmethod
    def close(body_iterable) -> None:
        close = getattr(body_iterable, "close", None)
        if close is not None:
            close()

    def streamed(self, first: list[bytes], rest, body_iterable):
        try:
            yield from first
            yield from rest
        finally:
            self.close(body_iterable)


def wrap(app: WSGIApp) -> WSGIApp:
    """Masthead's WSGI application with the page cache in front (unless turned off)."""
    if not settings.MASTHEAD_PAGE_CACHE:
        return app
    return PageCacheApp(app)
