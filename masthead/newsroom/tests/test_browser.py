"""Real Chromium against a real server: pages load cleanly on a phone and a desktop, and the
keyboard reaches the language switcher and the article links. Screenshots go to test-artifacts/.
"""

import pytest

from masthead.testing.browser import ARTIFACTS, VIEWPORTS, PageProblems
from masthead.testing.translation import NATIVE_NAMES

pytestmark = pytest.mark.browser


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    page.problems = PageProblems(page)
    yield page
    context.close()


def focus_trail(page, presses: int) -> list[dict]:
    """Press Tab `presses` times; note what has focus each time and whether it shows.

    Past the last link, focus leaves the page for the browser's own controls (the page then
    reports <body>); those stops are left out.
    """
    trail = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        trail.append(
            page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const style = getComputedStyle(el);
                    return {
                        tag: el.tagName,
                        text: el.textContent.trim(),
                        href: el.getAttribute('href'),
                        inSwitcher: !!el.closest('.language-switcher'),
                        inMore: !!el.closest('.more-articles'),
                        isCardLink: !!el.closest('.card-title'),
                        outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
                    };
                }"""
            )
        )
    return [stop for stop in trail if stop["tag"] != "BODY"]


def test_front_page_loads_cleanly_and_the_keyboard_reaches_the_stories(page, served_masthead):
    page.goto(served_masthead.url + "/", wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"home-{page.viewport_name}.png", full_page=True)
    assert page.problems.found == []

    trail = focus_trail(page, 24)  # past the skip link, sections and the language switcher
    assert trail[0]["text"] == "Skip to content"
    card_links = [stop for stop in trail if stop["isCardLink"]]
    assert card_links, "Tab never reached a story link"
    assert all(stop["outline"] for stop in trail), "some focused element shows no focus ring"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_article_loads_cleanly_and_the_keyboard_reaches_switcher_and_more(page, served_masthead):
    page.goto(served_masthead.url + "/", wait_until="networkidle")
    page.locator(".card-lead .card-title a").click()
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"article-{page.viewport_name}.png", full_page=True)
    assert page.problems.found == []
    assert page.locator("h1.headline").is_visible()
    assert page.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    trail = focus_trail(page, 80)
    switcher = [stop["text"] for stop in trail if stop["inSwitcher"]][:8]  # (Tab wraps around)
    # The lead story reads in all eight languages, named in their own.
    assert switcher == NATIVE_NAMES
    more = {stop["href"] for stop in trail if stop["inMore"] and stop["isCardLink"]}
    assert len(more) == 4, "Tab should reach all four More Articles links"
    assert all(stop["outline"] for stop in trail), "some focused element shows no focus ring"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_the_lead_story_reads_in_french_and_chinese_with_system_fonts(
    browser, served_masthead, language
):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    problems = PageProblems(page)
    fonts = []
    page.on(
        "request", lambda request: request.resource_type == "font" and fonts.append(request.url)
    )
    page.goto(served_masthead.url + "/", wait_until="networkidle")
    page.locator(".card-lead .card-title a").click()
    page.wait_for_load_state("networkidle")
    page.locator(f".language-switcher a[hreflang^='{language[:2]}']").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=ARTIFACTS / f"article-{language}-phone.png", full_page=True)

    assert page.url.startswith(f"{served_masthead.url}/{language}/")
    lang = page.evaluate("document.documentElement.lang")
    notice = page.locator(".translation-notice")
    original = notice.locator("a").get_attribute("href")
    context.close()

    assert lang == {"fr": "fr", "zh-hans": "zh-Hans"}[language]
    assert original.startswith("/") and not original.startswith(f"/{language}/")
    assert problems.found == []
    assert fonts == []


def test_dark_mode_changes_the_colours(browser, served_masthead):
    context = browser.new_context(color_scheme="dark", viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(served_masthead.url + "/", wait_until="networkidle")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.screenshot(path=ARTIFACTS / "home-phone-dark.png")
    context.close()
    red, green, blue = (int(part) for part in background[4:-1].split(","))
    assert max(red, green, blue) < 60, f"dark mode background is {background}"


CONTRAST_SAMPLES = [
    "body",
    ".headline",
    ".dek",
    ".kicker",
    ".byline a",
    ".story-times",
    ".hero figcaption",
    ".author-bio p",
    ".editors-note p",
    ".card-meta",
    ".site-footer p",
]


def contrast_ratio(foreground: list[float], background: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        channels = [c / 255 for c in rgb[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_meets_wcag_aa_contrast(browser, served_masthead, scheme):
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(served_masthead.url + "/", wait_until="networkidle")
    page.locator(".card-lead .card-title a").click()
    page.wait_for_load_state("networkidle")
    samples = page.evaluate(
        """(selectors) => {
            const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
            const backgroundOf = (el) => {
                for (; el; el = el.parentElement) {
                    const colour = rgb(getComputedStyle(el).backgroundColor);
                    if (colour.length < 4 || colour[3] > 0) return colour;
                }
                return [255, 255, 255];
            };
            return selectors.map((selector) => {
                const el = document.querySelector(selector);
                if (!el) return {selector, missing: true};
                return {selector, fg: rgb(getComputedStyle(el).color), bg: backgroundOf(el)};
            });
        }""",
        CONTRAST_SAMPLES,
    )
    context.close()
    assert not [sample["selector"] for sample in samples if sample.get("missing")]
    too_faint = {
        sample["selector"]: round(contrast_ratio(sample["fg"], sample["bg"]), 2)
        for sample in samples
        if contrast_ratio(sample["fg"], sample["bg"]) < 4.5
    }
    assert too_faint == {}


def test_editor_opens_the_article_form_without_errors(browser, served_masthead):
    from masthead.testing.fixtures import manage

    password = served_masthead.output().split("password: ")[1].split()[0]
    section_id = manage(
        served_masthead.environment,
        "shell",
        "-v",
        "0",
        "-c",
        "from masthead.newsroom.models import SectionPage; print(SectionPage.objects.first().pk)",
    ).strip()
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    problems = PageProblems(page)

    page.goto(served_masthead.url + "/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"{served_masthead.url}/admin/pages/add/newsroom/articlepage/{section_id}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=ARTIFACTS / "editor-add-article.png")
    headline_label = page.locator("label[for=id_title]").inner_text()
    alt_text_field = page.locator("input[name=hero_alt_text]").is_visible()
    context.close()

    assert "Headline" in headline_label
    assert alt_text_field

    assert problems.found == []
    assert page.url.endswith(f"/articlepage/{section_id}/")
