"""Benchmark: reader pages with the demo newsroom, then with 50,000 more articles.

In one run, with a fresh data folder (and, where DATABASE_URL names a PostgreSQL database, a
fresh database beside it, "<name>_scale"): migrate, `load_demo`, time five pages, then
`load_bench_data --articles N` (timed), and time the same five pages again:

- the home page, the Canada section, Inès Carvajal's author page (the demo's sections and
  authors get a share of the generated articles),
- the sitemap index and the Canada section's first sitemap page.

Each time is the median of `--repeat` renders through Django's test client in this process
(the full-page cache sits in the WSGI layer in front of Django, so it is not involved).

    .venv/bin/python bench/scale.py [--articles N | --quick] [--repeat N]

Prints a table (page, demo ms, after ms, ratio, SQL queries per render, addresses in a sitemap)
and, last, the machine-readable line `scale_load_s=<seconds> worst_ratio=<ratio>`.

A sitemap page lists up to `SITEMAP_PAGE_SIZE` addresses, so Canada's grows from the demo's
handful of stories to a full page by design. It has two rows:

- "sitemap page, same size": after loading, the page is timed again with `SITEMAP_PAGE_SIZE`
  set to the demo's number of addresses, so both times are for pages of the same size and
  only the newsroom's size differs. This row's ratio counts in `worst_ratio` like any other.
- "sitemap page, full": the real page of `SITEMAP_PAGE_SIZE` addresses. Its ratio compares
  pages of different sizes, so it is shown in brackets and left out of `worst_ratio`; the
  table adds its time per address instead.

With SQLite, the database is analysed (`ANALYZE`) after loading, and with PostgreSQL vacuumed
and analysed (`VACUUM ANALYZE`): what a long-running site's statistics (and autovacuum) would
give the query planner.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

SAME_SIZE = "sitemap page, same size"
FULL = "sitemap page, full"
SITEMAP_PAGE = "/sitemaps/en/sections/canada.xml"

PAGES = [
    ("home", "/"),
    ("section", "/canada/"),
    ("author", "/authors/ines-carvajal/"),
    ("sitemap index", "/sitemap.xml"),
    (FULL, SITEMAP_PAGE),
]


@dataclass
class Timing:
    median_ms: float
    queries: int
    size: int
    addresses: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000, help="default 50,000")
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 5 renders")
    parser.add_argument("--repeat", type=int, default=20, help="renders per page (default 20)")
    arguments = parser.parse_args()
    articles = 5_000 if arguments.quick else arguments.articles
    repeat = 5 if arguments.quick else arguments.repeat

    scratch = Path(tempfile.mkdtemp(prefix="masthead-scale-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    os.environ["MASTHEAD_DATA_DIR"] = str(scratch / "data")
    os.environ["MASTHEAD_CACHE_PREFIX"] = f"masthead-scale-{os.getpid()}"
    os.environ.setdefault("MASTHEAD_LOG_LEVEL", "WARNING")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(REPO_ROOT))
        from masthead.testing.fixtures import fresh_database

        os.environ["DATABASE_URL"] = fresh_database(os.environ["DATABASE_URL"], "scale")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from masthead.seo import sitemaps

    settings.ALLOWED_HOSTS = ["*"]
    (scratch / "data" / "static").mkdir(parents=True, exist_ok=True)
    # Templates ask for static files by name; without `collectstatic` there is no manifest.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    print(f"Database: {connection.vendor}; data folder {scratch / 'data'}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Demo newsroom: migrated and loaded in {time.perf_counter() - started:.1f} s")
    before = {label: time_page(path, repeat) for label, path in PAGES}

    started = time.perf_counter()
    call_command("load_bench_data", articles=articles)
    load_seconds = time.perf_counter() - started
    print(f"load_bench_data --articles {articles}: {load_seconds:.1f} s")
    analyse(connection)
    after = {label: time_page(path, repeat) for label, path in PAGES}
    # The sitemap page again, as long as the demo's: only the newsroom's size differs.
    before[SAME_SIZE] = before[FULL]
    with patched(sitemaps, "SITEMAP_PAGE_SIZE", max(before[FULL].addresses, 1)):
        after[SAME_SIZE] = time_page(SITEMAP_PAGE, repeat)

    print()
    print(f"{'page':<24}{'demo ms':>9}{'after ms':>10}{'ratio':>8}{'queries':>10}{'urls':>12}")
    ratios = []
    for label in [label for label, _path in PAGES[:-1]] + [SAME_SIZE, FULL]:
        old, new = before[label], after[label]
        ratio = new.median_ms / old.median_ms
        shown = f"{ratio:.2f}"
        if label == FULL:
            shown = f"({ratio:.1f})"  # pages of different sizes: not counted
        else:
            ratios.append(ratio)
        urls = f"{old.addresses}→{new.addresses}" if old.addresses or new.addresses else ""
        print(
            f"{label:<24}{old.median_ms:>9.1f}{new.median_ms:>10.1f}{shown:>8}"
            f"{f'{old.queries}→{new.queries}':>10}{urls:>12}"
        )
    full = after[FULL]
    if full.addresses:
        print(
            f"{FULL}: {1000 * full.median_ms / full.addresses:.0f} µs per address "
            f"({full.addresses} addresses, {full.size / 1e6:.1f} MB); its ratio, in brackets, "
            "compares pages of different sizes and is not in worst_ratio."
        )
    print(f"scale_load_s={load_seconds:.1f} worst_ratio={max(ratios):.2f}")


def analyse(connection) -> None:
    """Give the query planner the statistics a long-running site's database would have."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        connection.ensure_connection()
        autocommit = connection.get_autocommit()
        connection.set_autocommit(True)  # VACUUM runs outside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        finally:
            connection.set_autocommit(autocommit)


@contextmanager
def patched(module, name: str, value) -> Iterator[None]:
    """`module.name` set to `value` for the duration."""
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def time_page(path: str, repeat: int) -> Timing:
    """The median time of `repeat` renders of `path` (after one untimed warm-up render)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def render():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    render()
    connection.queries_log.clear()  # a full log (maxlen) would capture nothing
    with CaptureQueriesContext(connection) as captured:
        response = render()
    # Counted now: `captured_queries` reads the connection's log, which the next request
    # empties (Django resets it when a request starts).
    queries = len(captured.captured_queries)
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        render()
        times.append((time.perf_counter() - begun) * 1000)
    return Timing(
        median_ms=statistics.median(times),
        queries=queries,
        size=len(response.content),
        addresses=response.content.count(b"<url>"),
    )


if __name__ == "__main__":
    main()
