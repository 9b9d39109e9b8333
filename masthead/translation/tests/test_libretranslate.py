"""The LibreTranslate engine against an in-process server speaking LibreTranslate's API."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from masthead.translation.engines import (
    TranslationError,
    engine_language,
    get_engine,
    masthead_language,
)
from masthead.translation.engines.libretranslate import LibreTranslateEngine

LANGUAGES = [
    {"code": "en", "name": "English", "targets": ["de", "en", "es", "fr", "zh", "zt"]},
    {"code": "fr", "name": "French", "targets": ["en", "es"]},
    {"code": "de", "name": "German", "targets": ["en"]},
    {"code": "es", "name": "Spanish", "targets": ["en", "fr"]},
    {"code": "zh", "name": "Chinese", "targets": ["en"]},
    {"code": "zt", "name": "Chinese (traditional)", "targets": ["en"]},
    {"code": "ja", "name": "Japanese", "targets": ["en"]},
]


class FakeLibreTranslate(ThreadingHTTPServer):
    """LibreTranslate's /languages and /translate; it "translates" by upper-casing.

    `api_key`: required when set. `behaviour`: "ok", "error" (500), "busy" (429), "garbage"
    (not JSON), "short" (one translation too few), "slow" (answers after `delay` seconds),
    "markup" (answers with a script tag), "controls" (answers with control characters).
    `posts` records every /translate request's JSON.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.api_key = ""
        self.behaviour = "ok"
        self.delay = 0.5
        self.posts: list[dict] = []

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (the timeout test) closes the connection mid-answer

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeLibreTranslate

    def log_message(self, format, *args) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:
        if self.path != "/languages":
            return self.answer(404, {"error": "Not found"})
        return self.answer(200, LANGUAGES)

    def do_POST(self) -> None:
        if self.path != "/translate":
            return self.answer(404, {"error": "Not found"})
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.posts.append(request)
        behaviour = self.server.behaviour
        if self.server.api_key and request.get("api_key") != self.server.api_key:
            return self.answer(403, {"error": "Invalid API key"})
        if behaviour == "error":
            return self.answer(500, {"error": "Cannot translate text: model crashed"})
        if behaviour == "busy":
            return self.answer(429, {"error": "Too many request limits violations"})
        if behaviour == "garbage":
            return self.answer(200, b"<html>Bad gateway</html>")
        if behaviour == "slow":
            time.sleep(self.server.delay)
        for key in ("q", "source", "target"):
            if key not in request:
                return self.answer(400, {"error": f"Invalid request: missing {key} parameter"})
        for key in ("source", "target"):
            if request[key] not in {language["code"] for language in LANGUAGES}:
                return self.answer(400, {"error": f"{request[key]} is not supported"})
        texts = request["q"] if isinstance(request["q"], list) else [request["q"]]
        translated = [self.translate(text, request.get("format", "text")) for text in texts]
        if behaviour == "short":
            translated = translated[:-1]
        return self.answer(
            200, {"translatedText": translated if isinstance(request["q"], list) else translated[0]}
        )

    def translate(self, text: str, format: str) -> str:
        if self.server.behaviour == "markup":
            return '<script>alert("x")</script>'
        if self.server.behaviour == "controls":
            return "ok\x00\x1b\ufffd"
        if format == "html":  # only the text between tags
            return re.sub(r"(^|>)([^<]*)", lambda match: match[1] + match[2].upper(), text)
        return text.upper()

    def answer(self, status: int, body: object) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def running_libretranslate() -> Iterator[FakeLibreTranslate]:
    """A FakeLibreTranslate serving from a thread of this process."""
    server = FakeLibreTranslate()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def libretranslate_server() -> Iterator[FakeLibreTranslate]:
    with running_libretranslate() as server:
        yield server


@pytest.fixture
def engine(libretranslate_server) -> LibreTranslateEngine:
    return LibreTranslateEngine(libretranslate_server.url, timeout=5)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_the_settings_choose_libretranslate(settings, libretranslate_server):
    settings.MASTHEAD_TRANSLATION_ENGINE = "libretranslate"
    settings.MASTHEAD_LIBRETRANSLATE_URL = libretranslate_server.url
    settings.MASTHEAD_LIBRETRANSLATE_API_KEY = "secret"
    settings.MASTHEAD_TRANSLATION_TIMEOUT = 7
    engine = get_engine()
    assert isinstance(engine, LibreTranslateEngine)
    assert (engine.url, engine.api_key, engine.timeout) == (
        libretranslate_server.url,
        "secret",
        7,
    )


def test_routes_follow_the_servers_language_list(engine, libretranslate_server):
    route = engine.route("en", "fr")
    assert route.engine == "libretranslate"
    assert route.hops == (("en", "fr"),)
    assert route.models == (f"LibreTranslate at {libretranslate_server.url}",)
    assert engine.route("en", "zh-hans").hops == (("en", "zh-hans"),)
    assert engine.route("de", "fr") is None  # not in the server's list
    assert engine.route("en", "en") is None
    assert "German → French" in engine.why_unavailable("de", "fr")


def test_an_article_is_one_request_with_markup_rebuilt_from_the_source(
    engine, libretranslate_server
):
    fragments = [
        'The mayor <b>voted</b> on <a id="a1">the budget</a>.',
        'We thank <code translate="no">{supporters}</code> readers.',
        "Fish &amp; chips",
        "",
    ] + [f"Paragraph {n}." for n in range(30)]
    results = engine.translate_html("en", "zh-hans", fragments)
    assert results[:4] == [
        'THE MAYOR <b>VOTED</b> ON <a id="a1">THE BUDGET</a>.',
        'WE THANK <code translate="no">{supporters}</code> READERS.',
        "FISH &amp; CHIPS",
        "",
    ]
    assert len(results) == len(fragments)
    [post] = libretranslate_server.posts
    assert (post["source"], post["target"], post["format"]) == ("en", "zh", "text")
    assert "api_key" not in post
    assert not any("<" in text for text in post["q"])  # no markup went to the server


def test_the_api_key_is_sent(libretranslate_server):
    libretranslate_server.api_key = "secret"
    engine = LibreTranslateEngine(libretranslate_server.url, api_key="secret", timeout=5)
    assert engine.translate_html("en", "fr", ["Hello."]) == ["HELLO."]
    assert libretranslate_server.posts[0]["api_key"] == "secret"
    wrong = LibreTranslateEngine(libretranslate_server.url, api_key="wrong", timeout=5)
    with pytest.raises(TranslationError, match="403"):
        wrong.translate_html("en", "fr", ["Hello."])


def test_server_output_is_escaped_text_without_control_characters(engine, libretranslate_server):
    libretranslate_server.behaviour = "markup"
    [result] = engine.translate_html("en", "fr", ["Hello <b>there</b>."])
    assert "<script" not in result
    assert result.count("<b>") == 1
    libretranslate_server.behaviour = "controls"
    assert engine.translate_html("en", "fr", ["Hello."]) == ["ok"]


@pytest.mark.parametrize(
    ("behaviour", "named"),
    [
        ("error", "500"),
        ("busy", "429"),
        ("garbage", "not JSON"),
        ("short", "translations for"),
        ("slow", "did not answer"),
    ],
)
def test_server_failures_are_translation_errors(libretranslate_server, behaviour, named):
    engine = LibreTranslateEngine(libretranslate_server.url, timeout=0.2)
    assert engine.route("en", "fr") is not None
    libretranslate_server.behaviour = behaviour
    with pytest.raises(TranslationError, match=named):
        engine.translate_html("en", "fr", ["One.", "Two."])


def test_an_unreachable_server_gives_no_route_and_a_reason():
    url = closed_port_url()
    engine = LibreTranslateEngine(url, timeout=1)
    assert engine.route("en", "fr") is None
    assert url in engine.why_unavailable("en", "fr")
    assert "could not be reached" in engine.why_unavailable("en", "fr")
    with pytest.raises(TranslationError):
        engine.translate_html("en", "fr", ["Hello."])


def test_a_missing_or_odd_url_is_explained():
    assert "MASTHEAD_LIBRETRANSLATE_URL" in LibreTranslateEngine("").why_unavailable("en", "fr")
    odd = LibreTranslateEngine("file:///etc/passwd")
    assert odd.route("en", "fr") is None
    assert "http" in odd.why_unavailable("en", "fr")


def test_the_language_list_is_asked_once(engine, libretranslate_server, monkeypatch):
    calls = []
    original = engine._request
    monkeypatch.setattr(engine, "_request", lambda *args: calls.append(args[0]) or original(*args))
    for _ in range(3):
        engine.route("en", "fr")
    engine.translate_html("en", "fr", ["Hello."])
    assert calls == ["/languages", "/translate"]


def test_language_codes_map_both_ways():
    assert engine_language("zh-hans") == "zh"
    assert engine_language("fr") == "fr"
    for code in ("zh", "zh-hans", "zh_Hans", "zh-Hans", "ZH"):
        assert masthead_language(code) == "zh-hans"
    for code in ("zt", "zh-Hant", "ja", ""):
        assert masthead_language(code) is None
    assert masthead_language("pt") == "pt"
