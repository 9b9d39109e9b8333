"""A reader's requests through Masthead's real WSGI stack (page cache in front of Django), as
the web server makes them, for the page-cache tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.client import FakePayload, RequestFactory


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str:
        return self.headers.get("x-masthead-cache", "")


@contextmanager
def connections_kept_open() -> Iterator[None]:
    """Django closes the database connection around each request; the test's transaction
    must survive (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class WebProcess:
    """One web server process: Django behind the page cache, with its own memory copies."""

    def __init__(self, store=None) -> None:
        from masthead.pagecache.wsgi import PageCacheApp

        self.app = PageCacheApp(WSGIHandler(), store=store)
        self.factory = RequestFactory()

    def request(self, method: str, path: str, host: str = "localhost", **headers: str) -> Answer:
        path, _, query = path.partition("?")
        environ = self.factory._base_environ(
            PATH_INFO=path,
            QUERY_STRING=query,
            REQUEST_METHOD=method,
            HTTP_HOST=host,
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        )
        environ["wsgi.input"] = FakePayload(b"")
        answer: dict = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = response_headers
            return lambda data: None

        with connections_kept_open():
            body_iterable = self.app(environ, start_response)
            try:
                body = b"".join(body_iterable)
            finally:
                if hasattr(body_iterable, "close"):
                    body_iterable.close()
        merged: dict[str, str] = {}
        for name, value in answer["headers"]:
            name = name.lower()
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        return Answer(answer["status"], merged, body)

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, **headers)

    def fresh(self, path: str) -> Answer:
        """The page as Django renders it right now, past the cache (nothing is stored)."""
        cached_app, self.app = self.app, self.app.app
        try:
            return self.request("GET", path)
        finally:
            self.app = cached_app

    def head(self, path: str, **headers: str) -> Answer:
        return self.request("HEAD", path, **headers)


@pytest.fixture
def web(db) -> WebProcess:
    """A web process sharing the page store every invalidation reaches."""
    return WebProcess()


@pytest.fixture
def other_web(db) -> WebProcess:
    """A second web process (another worker or machine): same shared cache, its own memory."""
    from masthead.pagecache.store import PageStore

    return WebProcess(store=PageStore())
