"""Benchmark: a section's sitemap with thousands of articles, against the obvious way to write it.

Builds a scratch newsroom (SQLite) with one section of N articles in English, a third of them
also in French, then serves `/sitemaps/en/sections/<section>.xml` through Django's test client
(Masthead's view: values, one query for every translation, addresses from `url_path`) and, as
the baseline in the same run, the same sitemap made the obvious way: each article's
`get_full_url()` and a query for its translations, each with its own `get_full_url()`.

    .venv/bin/python bench/sitemaps.py [--articles N] [--repeat N]

Prints queries and times for each side; the last line is `sitemap_vs_naive=<ratio>` (Masthead's
median time over the baseline's; below 1.00 means faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per side (default 5)")
    arguments = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    os.environ["MASTHEAD_DATA_DIR"] = str(scratch / "data")
    os.environ.setdefault("MASTHEAD_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    (scratch / "data" / "static").mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    section = build(arguments.articles)
    print(
        f"Newsroom: {arguments.articles} articles, {arguments.articles // 3} French versions, "
        f"built in {time.perf_counter() - started:.1f} s"
    )

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    path = f"/sitemaps/en/sections/{section.slug}.xml"

    def masthead() -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response.content.count(b"<url>")

    def naive() -> int:
        return naive_sitemap(section)

    counts = {}
    for label, run in (("masthead", masthead), ("naive", naive)):
        with CaptureQueriesContext(connection) as captured:
            urls = run()
        counts[label] = (urls, len(captured.captured_queries))
        print(f"{label}: {urls} addresses, {len(captured.captured_queries)} SQL queries")
    if counts["masthead"][0] != counts["naive"][0]:
        raise SystemExit("The two sides listed different numbers of addresses.")

    times = {"masthead": [], "naive": []}
    for _ in range(arguments.repeat):  # interleaved, so both sides see the same machine
        for label, run in (("masthead", masthead), ("naive", naive)):
            begun = time.perf_counter()
            run()
            times[label].append(time.perf_counter() - begun)
    for label, measured in times.items():
        print(
            f"{label}: median {statistics.median(measured) * 1000:.0f} ms, "
            f"best {min(measured) * 1000:.0f} ms"
        )
    ratio = statistics.median(times["masthead"]) / statistics.median(times["naive"])
    print(f"sitemap_vs_naive={ratio:.2f}")


def build(count: int):
    """A newsroom with one section of `count` published articles, every third in French too,
    saved directly (no revisions: the sitemap only reads the page tree)."""
    from django.utils import timezone
    from wagtail.models import Locale

    from masthead.newsroom.models import ArticlePage
    from masthead.testing.content import NewsroomBuilder

    newsroom = NewsroomBuilder.start()
    section = newsroom.section("Canada")
    french = Locale.objects.get(language_code="fr")
    french_section = section.copy_for_translation(french, copy_parents=True)
    french_section.save_revision().publish()
    now = timezone.now()
    body = [("paragraph", "<p>Text.</p>")]
    for number in range(count):
        moment = now - timezone.timedelta(minutes=number)
        article = ArticlePage(
            title=f"Story {number}",
            slug=f"story-{number}",
            body=body,
            live=True,
            first_published_at=moment,
            last_published_at=moment,
        )
        section.add_child(instance=article)
        if number % 3 == 0:
            french_section.add_child(
                instance=ArticlePage(
                    title=f"Histoire {number}",
                    slug=f"story-{number}",
                    body=body,
                    live=True,
                    first_published_at=moment,
                    last_published_at=moment,
                    locale=french,
                    translation_key=article.translation_key,
                )
            )
    return section


def naive_sitemap(section) -> int:
    """The same sitemap the obvious way: Wagtail's page API, page by page."""
    from django.test import RequestFactory

    from masthead.newsroom.models import ArticlePage
    from masthead.seo import sitemaps
    from masthead.translation.languages import bcp47

    request = RequestFactory().get("/sitemap.xml")
    urls = []
    for page in ArticlePage.objects.live().public().child_of(section).order_by("path"):
        versions = {
            other.locale.language_code: other.get_full_url(request)
            for other in page.get_translations(inclusive=True)
            .live()
            .public()
            .select_related("locale")
        }
        alternates = tuple(
            sitemaps.Alternate(bcp47(code), url) for code, url in sorted(versions.items())
        )
        urls.append(
            sitemaps.SitemapUrl(page.get_full_url(request), page.last_published_at, alternates)
        )
    sitemaps.render_urlset(urls)
    return len(urls)


if __name__ == "__main__":
    main()
