"""Benchmark: rendering an article page and the home page with no page cache in front.

Loads the demo newsroom into a scratch data folder (SQLite unless DATABASE_URL is set), renders
each page once to make its picture renditions, then renders it N more times through Django's
test client, which goes around the full-page cache (that sits in the WSGI application), so
every request below runs the view and the templates.

    .venv/bin/python bench/article_render.py [--repeat N] [--path /some/article/]

Prints, for each page, the SQL queries per render and the median and 90th-percentile render
times; the last line is `article_render_median_ms=<ms>`.
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
    parser.add_argument("--repeat", type=int, default=50, help="timed renders per page")
    parser.add_argument("--path", help="the article to render (default: the demo's richest)")
    arguments = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    os.environ["MASTHEAD_DATA_DIR"] = str(scratch / "data")
    os.environ.setdefault("MASTHEAD_LOG_LEVEL", "WARNING")
    os.environ.setdefault("MASTHEAD_TASKS_BACKEND", "immediate")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    settings.ALLOWED_HOSTS = ["*"]
    # Pages render `{% static %}` without collectstatic (as in the tests).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    (scratch / "data" / "static").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Demo newsroom loaded in {time.perf_counter() - started:.1f} s")

    article = arguments.path or richest_article()
    for label, path in (("article", article), ("home", "/")):
        queries, times = measure(path, arguments.repeat)
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{label} {path}: {queries} SQL queries per render, "
            f"median {median:.1f} ms, p90 {p90:.1f} ms ({len(times)} renders)"
        )
        if label == "article":
            article_median = median
    print(f"article_render_median_ms={article_median:.1f}")


def richest_article() -> str:
    """The demo article with the most authors, tags and corrections (the heaviest byline)."""
    from django.db.models import Count

    from masthead.newsroom.models import ArticlePage

    article = (
        ArticlePage.objects.live()
        .filter(locale__language_code="en")
        .annotate(
            n_authors=Count("article_authors", distinct=True),
            n_tags=Count("tagged_items", distinct=True),
            n_corrections=Count("corrections", distinct=True),
        )
        .order_by("-n_authors", "-n_tags", "-n_corrections", "pk")
        .first()
    )
    if article is None:
        raise SystemExit("The demo newsroom has no articles.")
    return article.url


def measure(path: str, repeat: int) -> tuple[int, list[float]]:
    """Queries of one render, and the time of each of `repeat` renders, in ms."""
    from django.db import connection
    from django.test import Client

    client = Client()

    def render() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")

    render()  # makes the picture renditions, fills Wagtail's caches
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        render()
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        render()
        times.append((time.perf_counter() - begun) * 1000)
    return len(queries), times


if __name__ == "__main__":
    main()
