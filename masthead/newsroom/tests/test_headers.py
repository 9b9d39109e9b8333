"""Reader pages carry strict security headers and load nothing from other sites."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_reader_pages_send_a_strict_content_security_policy(client, small_newsroom):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def permissions(response) -> dict[str, str]:
    directives = [item.strip() for item in response.headers["Permissions-Policy"].split(",")]
    return dict(directive.split("=", 1) for directive in directives)


def test_reader_pages_turn_off_browser_features_they_never_use(client, small_newsroom):
    policy = permissions(client.get("/canada/canada-story-1-days-old/"))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()", f"{feature} should be off for the page and its frames"
    # Video embeds in articles still play full screen.
    assert "fullscreen" not in policy and "autoplay" not in policy


def test_every_anonymous_reader_gets_the_same_security_headers(client, small_newsroom):
    """The page cache keeps headers with the page, so they can't depend on who asks."""
    names = [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ]
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", HTTP_USER_AGENT="Reader A")
    second = client.get(
        "/", HTTP_ACCEPT_LANGUAGE="de", HTTP_USER_AGENT="Reader B", REMOTE_ADDR="203.0.113.9"
    )
    assert [first.headers[name] for name in names] == [second.headers[name] for name in names]


# Tags that make the browser fetch something (links only when they load a resource).
LOADING_TAG = re.compile(
    r"<(?:script|img|source|iframe|video|audio)\b[^>]*>"
    r'|<link\b[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*>'
)
ADDRESS = re.compile(r'\b(?:src|href|srcset)="([^"]*)"')


def test_pages_reference_no_third_party_assets(client, small_newsroom):
    html = client.get("/canada/canada-story-1-days-old/").content.decode()

    fetched = [address for tag in LOADING_TAG.findall(html) for address in ADDRESS.findall(tag)]

    assert fetched  # the stylesheet and the icon at least
    assert not [address for address in fetched if address.startswith(("http", "//"))]
    assert "//fonts." not in html and "cdn" not in html.lower()


def test_the_editor_is_left_to_wagtail(admin_client, small_newsroom):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    # The editor has no use for a camera or a microphone either.
    assert permissions(response)["camera"] == "()"
