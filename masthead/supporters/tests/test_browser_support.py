"""Real Chromium against a real server: a reader of a demo article becomes a supporter.

The Masthead is started the way `./run` starts it (web server and worker, demo loaded) and
talks to a fake Stripe over HTTP; the fake's Checkout page takes the "payment" and sends
Stripe's signed webhooks back to the served site, whose worker processes them. The reader
goes from an article's "Become a supporter" button through the Support page and Checkout to
the thank-you page, and the article's supporter count goes up by one: in English, then in
French. No console errors and no Content-Security-Policy violations are allowed on the way.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import pytest

from masthead.supporters.demo import SUPPORT_PAGE, load_translations
from masthead.testing.browser import ARTIFACTS, VIEWPORTS, PageProblems
from masthead.testing.fixtures import (
    RunningMasthead,
    drop_database,
    served_environment,
    start_masthead,
    stop_masthead,
)
from masthead.testing.stripe import FakeStripe

pytestmark = pytest.mark.browser

WEBHOOK_PATH = "/support/stripe/webhook/"
COUNT_DEADLINE_SECONDS = 60
# Turns every Content-Security-Policy violation into a console error the test sees.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def site(browser, fake: FakeStripe, tmp_path_factory) -> Iterator[RunningMasthead]:
    """A Masthead taking test-mode donations through the fake Stripe (Chromium is checked
    first, so nothing is started where it is missing)."""
    environment = served_environment(
        tmp_path_factory.mktemp("support-site"),
        STRIPE_SECRET_KEY="sk_test_x",
        STRIPE_WEBHOOK_SECRET=fake.webhook_secret,
        STRIPE_API_BASE=fake.url,
        MASTHEAD_STRIPE_FORM_ORIGINS=fake.url,
        STRIPE_MAX_NETWORK_RETRIES="0",
    )
    running = start_masthead(environment)
    fake.webhook_url = running.url + WEBHOOK_PATH
    yield running
    stop_masthead(running)
    if "DATABASE_URL" in os.environ:
        drop_database(environment["DATABASE_URL"])


@pytest.fixture
def page(browser, fake: FakeStripe):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()


def supporter_count(page) -> int:
    return int(re.sub(r"\D", "", page.locator(".supporter-count").first.inner_text()))


def become_a_supporter(page, site: RunningMasthead, fake: FakeStripe, language: str) -> None:
    """From the lead story of the front page in `language` to the thank-you page."""
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{site.url}{prefix}/", wait_until="networkidle")
    page.locator(".card-lead .card-title a").click()
    page.wait_for_load_state("networkidle")
    article_url = page.url
    assert article_url.startswith(f"{site.url}{prefix}/")
    before = supporter_count(page)
    assert before > 300  # the demo's supporters

    with page.expect_navigation() as navigation:
        page.locator(".support-cta a").click()
    page.wait_for_load_state("networkidle")
    assert re.fullmatch(rf"{re.escape(site.url)}{prefix}/support/\?from=\d+", page.url)
    policy = navigation.value.headers["content-security-policy"]
    assert f"form-action 'self' {fake.url}" in policy
    title = SUPPORT_PAGE["title"] if language == "en" else load_translations()[language]["title"]
    assert page.locator("h1").inner_text() == title
    assert page.locator(".goal-meter").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"support-page-{language}.png", full_page=True)

    page.locator("#kind-monthly").check()
    suggestion = page.locator('.presets[data-kind="monthly"] input[name=preset]').nth(1)
    suggestion.check()
    minor = suggestion.get_attribute("value")
    currency = page.locator("input[name=currency]").input_value()
    page.fill("input[name=email]", f"browser-{language}@example.org")
    page.locator(".donation-form button[type=submit]").click()

    page.wait_for_url(f"{fake.url}/pay/*")
    assert page.locator(".amount").inner_text() == f"{minor} {currency}"
    assert page.locator(".mode").inner_text() == "subscription"
    assert page.locator(".locale").inner_text() == language
    page.locator("button", has_text="Pay").click()

    page.wait_for_url(f"{site.url}{prefix}/support/thanks/?session_id=*")
    page.wait_for_load_state("networkidle")
    if language == "en":
        assert "Thank you" in page.locator("h1").inner_text()
    page.screenshot(path=ARTIFACTS / f"support-thanks-{language}.png")

    # The worker processes Stripe's webhooks in the background: the count catches up.
    deadline = time.monotonic() + COUNT_DEADLINE_SECONDS
    while True:
        page.goto(article_url, wait_until="networkidle")
        count = supporter_count(page)
        if count == before + 1 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert count == before + 1, f"the count stayed at {count} (was {before})"
    assert page.problems.found == []


def test_a_reader_becomes_a_monthly_supporter_from_an_article(page, site, fake):
    become_a_supporter(page, site, fake, "en")


def test_a_french_reader_gives_through_the_french_support_page(page, site, fake):
    become_a_supporter(page, site, fake, "fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
