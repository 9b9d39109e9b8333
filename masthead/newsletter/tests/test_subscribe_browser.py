"""Real Chromium against a live server and the in-process SMTP server: a reader of an article
subscribes with the footer form, gets the confirmation e-mail, opens its link and confirms.
No console errors and no failed requests are allowed on the way."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings

from masthead.newsletter.models import DAILY, WEEKLY, Subscriber
from masthead.testing.browser import ARTIFACTS, VIEWPORTS, PageProblems

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://\S+/newsletter/confirm/[^/\s]+/")
MAIL_DEADLINE_SECONDS = 10


@pytest.fixture(scope="module", autouse=True)
def database_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread, which makes Django
    refuse the test's own database queries (content set-up, checks, the flush after); they
    are plain synchronous queries, so allow them for this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()


def wait_for_mail(smtp_server, address: str):
    deadline = time.monotonic() + MAIL_DEADLINE_SECONDS
    while not smtp_server.inbox.to(address):
        assert time.monotonic() < deadline, "the confirmation e-mail never arrived"
        time.sleep(0.05)
    return smtp_server.inbox.to(address)


def test_a_reader_subscribes_from_an_article_and_confirms(
    page, live_server, small_newsroom, smtp_server
):
    section = small_newsroom.home.get_children().get(slug="canada")
    article = section.get_children().first().specific
    page.goto(live_server.url + article.url, wait_until="networkidle")
    footer = page.locator(".footer-newsletter-form")
    assert footer.is_visible()
    trap = page.locator(".footer-newsletter .newsletter-trap").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # the honeypot is off the screen
    assert footer.locator("select[name=language]").input_value() == "en"
    footer.locator("input[name=email]").fill("chromium.reader@example.org")
    footer.locator(f"input[name=frequency][value={DAILY}]").check()
    ARTIFACTS.mkdir(exist_ok=True)
    footer.screenshot(path=ARTIFACTS / "newsletter-footer-form.png")
    footer.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Check your inbox"
    assert "chromium.reader@example.org" in page.locator("main").inner_text()
    page.screenshot(path=ARTIFACTS / "newsletter-check-inbox.png", full_page=True)

    (mail,) = wait_for_mail(smtp_server, "chromium.reader@example.org")
    assert Subscriber.objects.get().status == Subscriber.PENDING
    link = CONFIRM_LINK.search(mail.text).group(0)
    page.goto(link.replace(settings.WAGTAILADMIN_BASE_URL, live_server.url))
    assert "chromium.reader@example.org" in page.locator("main").inner_text()
    page.get_by_role("button", name="Confirm my subscription").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "You're subscribed"
    page.screenshot(path=ARTIFACTS / "newsletter-subscribed.png", full_page=True)

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.SUBSCRIBED
    assert (subscriber.language, subscriber.frequency) == ("en", DAILY)
    assert len(smtp_server.inbox.mails) == 1

    # Later, the reader changes their mind on the preferences page (a CSRF-protected form
    # on a page whose token must not leak: the browser's own POST has to get through).
    page.get_by_role("link", name="Manage your subscription").click()
    page.wait_for_load_state("networkidle")
    page.locator(f"input[name=frequency][value={WEEKLY}]").check()
    page.get_by_role("button", name="Save my preferences").click()
    page.wait_for_load_state("networkidle")
    subscriber.refresh_from_db()
    assert subscriber.frequency == WEEKLY
    assert page.problems.found == []


def test_a_reader_who_fixes_a_typo_gets_through(page, live_server, small_newsroom, smtp_server):
    page.goto(live_server.url + "/newsletter/", wait_until="networkidle")
    form = page.locator("main form")
    form.locator("input[name=email]").fill("reader@example")  # the browser lets it through
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main input[name=email]").get_attribute("aria-invalid") == "true"

    page.locator("main input[name=email]").fill("reader@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Check your inbox"
    wait_for_mail(smtp_server, "reader@example.org")
