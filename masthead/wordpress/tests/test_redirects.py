"""Old WordPress addresses keep working after an import: over real HTTP, each answers with a
permanent redirect to where its content now lives."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from PIL import Image as PillowImage
from wagtail.contrib.redirects.models import Redirect

from masthead.newsroom.models import ArticlePage, Author, SectionPage, StandardPage
from masthead.wordpress.models import ImportedItem


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str) -> tuple[int, str]:
    """The status and Location of one request, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        response = opener.open(url, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
    return response.status, response.headers.get("Location", "")


@pytest.fixture
def imported_site(transactional_db, newsroom, wordpress_site, run_import, tmp_path):
    uploads = tmp_path / "uploads" / "2024" / "05"
    uploads.mkdir(parents=True)
    PillowImage.new("RGB", (40, 30), "teal").save(uploads / "chamber.jpg")
    wordpress_site.attachment(
        30,
        "2024/05/chamber.jpg",
        parent=101,
        alt="The chamber",
        link="https://old.example.org/2024/05/council-approves-the-plan/chamber/",
    )
    wordpress_site.post(
        101,
        "Council approves the plan",
        "Text.",
        slug="council-approves-the-plan",
        creator="maria",
        categories=["politics"],
        tags=["water"],
        meta={"_thumbnail_id": "30"},
    )
    wordpress_site.post(102, "Draft", "Text.", status="draft", categories=["politics"])
    wordpress_site.page(7, "About us", "Who we are.", slug="about")
    wordpress_site.page(
        8,
        "Contact",
        "Write to us.",
        slug="contact-us",
        link="https://old.example.org/about/contact-us/",
        parent=7,
    )
    run = run_import(wordpress_site, "--media-dir", str(tmp_path / "uploads"))
    assert run.succeeded, run.output + run.error
    return run


def test_old_links_redirect_permanently_to_the_new_pages(imported_site, live_server):
    article = ArticlePage.objects.get(title="Council approves the plan")
    politics = SectionPage.objects.get(slug="politics")
    maria = Author.objects.get(slug="maria")
    about = StandardPage.objects.get(title="About us")
    contact = StandardPage.objects.get(title="Contact")
    expected = {
        "/2024/05/council-approves-the-plan/": article.url,
        "/2024/05/council-approves-the-plan": article.url,
        "/?p=101": article.url,
        "/index.php?p=101": article.url,
        "/?p=101&utm_source=newsletter": article.url,
        "/category/politics/": politics.url,
        "/?cat=1": politics.url,
        "/category/politics/local-politics/": "/tags/local-politics/",
        "/tag/water/": "/tags/water/",
        "/author/maria/": maria.get_absolute_url(),
        "/?author=1": maria.get_absolute_url(),
        "/?page_id=7": about.url,
        "/?page_id=8": contact.url,
        "/2024/05/council-approves-the-plan/chamber/": article.url,
        "/?attachment_id=30": article.url,
    }
    for old, new in expected.items():
        status, location = fetch(live_server.url + old)
        assert (old, status, location) == (old, 301, new)
    # The uploaded file's old address goes to the imported copy, which is served.
    status, location = fetch(live_server.url + "/wp-content/uploads/2024/05/chamber.jpg")
    assert status == 301 and location.startswith("/media/original_images/chamber")
    assert fetch(live_server.url + location)[0] == 200
    # Where the new address is the old one, there is nothing to redirect: the page answers.
    assert fetch(live_server.url + "/about/")[0] == 200
    assert fetch(live_server.url + "/about/contact-us/")[0] == 200
    assert contact.url == "/about/contact-us/"
    assert not Redirect.objects.filter(old_path__in=["/about", "/about/contact-us"]).exists()
    # A draft's address was never public: it gets no redirect; the home page still answers.
    assert fetch(live_server.url + "/?p=102")[0] == 200
    assert fetch(live_server.url + "/?p=999")[0] == 200


def test_importing_again_keeps_one_redirect_per_old_address(
    imported_site, run_import, wordpress_site
):
    count = Redirect.objects.count()
    assert count >= 15
    run = run_import(wordpress_site)
    assert run.succeeded, run.output + run.error
    assert Redirect.objects.count() == count
    assert ImportedItem.objects.filter(kind=ImportedItem.ATTACHMENT).count() == 1
