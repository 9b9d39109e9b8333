"""Real Chromium, with JavaScript turned off (as a careful source might browse), against a live
server: a source sends a tip with a file, notes the codename, comes back with it, reads the
newsroom's reply and sends more. Nothing is loaded from another host, nothing goes wrong in the
console, and the browser ends up holding no cookie at all."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from masthead.testing.browser import ARTIFACTS, VIEWPORTS, PageProblems
from masthead.tips import submissions
from masthead.tips.models import TipMessage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def database_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread, which makes Django
    refuse the test's own (plain, synchronous) database queries; allow them for this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    yield context
    context.close()


def test_a_source_sends_a_tip_comes_back_and_sends_more_without_javascript(
    context, live_server, newsroom, newsroom_key, django_user_model
):
    page = context.new_page()
    page.problems = PageProblems(page)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto(live_server.url + "/tips/", wait_until="networkidle")
    assert page.locator("h1").inner_text() == "Send us a tip"
    assert page.locator("#tip-scrub").is_checked()
    trap = page.locator(".tip-trap").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # the honeypot is off the screen
    page.locator("#tip-message").fill("The permits were backdated. Ask the clerk about March.")
    page.locator("#tip-files").set_input_files(
        [{"name": "permits.txt", "mimeType": "text/plain", "buffer": b"permit 17, 18, 19\n"}]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "tips-form.png", full_page=True)
    page.get_by_role("button", name="Send my tip").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Your tip was sent"
    codename = page.locator(".tip-codename").inner_text().strip()
    assert len(codename.split(" ")) == 7
    page.screenshot(path=ARTIFACTS / "tips-codename.png", full_page=True)

    (message,) = TipMessage.objects.all()
    bundle = newsroom_key.open_bundle(message.ciphertext)
    assert bundle["message.txt"] == b"The permits were backdated. Ask the clerk about March."
    assert bundle["files/permits.txt"] == b"permit 17, 18, 19\n"
    journalist = django_user_model.objects.create(username="desk")
    submissions.send_reply(message.tip, journalist, "Thank you. Which clerk?")

    page.get_by_role("link", name="Sign in with your codename").click()
    page.wait_for_load_state("networkidle")
    page.locator("#tip-codename").fill(codename)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Your tip"
    assert "Thank you. Which clerk?" in page.locator(".tip-reply").inner_text()
    page.screenshot(path=ARTIFACTS / "tips-thread.png", full_page=True)
    page.locator("#tip-message").fill("The one at the permits desk, second floor.")
    page.get_by_role("button", name="Send my message").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Your message was sent"

    assert message.tip.messages.count() == 2
    later = message.tip.messages.last()
    assert newsroom_key.open_bundle(later.ciphertext)["message.txt"] == (
        b"The one at the permits desk, second floor."
    )
    assert page.problems.found == []
    assert hosts == {urlsplit(live_server.url).netloc}
    assert context.cookies() == []
