"""Benchmark: sending a newsletter to 10,000 subscribers, against bare sending as the ceiling.

Builds a scratch newsroom (SQLite in a temporary data folder, or the PostgreSQL database given
with --database-url) with 10,000 confirmed subscribers in all eight reader languages and all
three frequencies, and an editor's issue of three stories, scheduled. An aiosmtpd server in this
process on loopback accepts and counts every message. Then, with no rate limit:

- **postman**: the real `postman.run_once(time_budget=None)`, end to end: prepares the mailing
  (10,000 delivery records), composes it once per language, renders the layout once per language,
  builds each subscriber's message (own links, List-Unsubscribe, Message-ID) and sends it in
  batches of MASTHEAD_NEWSLETTER_BATCH_SIZE, recording each delivery as the server accepts it;
- **baseline**, in the same run: Django's own bare sending of 10,000 identical, pre-built
  messages over one connection to the same server (`connection.send_messages`), no database:
  what this machine, Python and the server can do at most.

    .venv/bin/python bench/newsletter.py [--subscribers N] [--database-url URL]

Prints messages/s for each side, peak memory (the process's peak resident set, and how much it
grew during the postman's run) and, last, `postman_per_s=<n> baseline_per_s=<n> ratio=<r>`.
Target: the postman ≥ 200 messages/s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "ru", "zh-hans"]
FREQUENCIES = ["article", "daily", "weekly"]


class CountingHandler:
    """aiosmtpd handler that accepts every message and only counts them."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000, help="default 10,000")
    parser.add_argument(
        "--database-url",
        default="",
        help="an empty PostgreSQL database to fill (default: SQLite in a temporary folder)",
    )
    arguments = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="masthead-bench-newsletter-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    os.environ["MASTHEAD_DATA_DIR"] = str(scratch / "data")
    os.environ["MASTHEAD_TASKS_BACKEND"] = "immediate"  # nothing queued runs elsewhere
    os.environ.setdefault("MASTHEAD_LOG_LEVEL", "WARNING")
    if arguments.database_url:
        os.environ["DATABASE_URL"] = arguments.database_url
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.mail import get_connection
    from django.core.management import call_command

    from masthead.testing.fixtures import free_port

    (scratch / "data" / "static").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}, migrated in "
        f"{time.perf_counter() - started:.0f} s"
    )

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org"
    settings.MASTHEAD_NEWSLETTER_FROM_EMAIL = "letters@news.example.org"

    started = time.perf_counter()
    mailing = build(arguments.subscribers)
    print(
        f"Newsroom: {arguments.subscribers} subscribers ({len(LANGUAGES)} languages, "
        f"{len(FREQUENCIES)} frequencies), an issue of 3 stories; built in "
        f"{time.perf_counter() - started:.1f} s"
    )

    from masthead.newsletter import postman
    from masthead.newsletter.models import Delivery, Mailing

    rss_before = peak_rss_mib()
    started = time.perf_counter()
    summary = postman.run_once(time_budget=None)
    postman_seconds = time.perf_counter() - started
    rss_after = peak_rss_mib()
    sent = Delivery.objects.filter(mailing=mailing, status=Delivery.SENT).count()
    mailing.refresh_from_db()
    if sent != arguments.subscribers or handler.count != sent or mailing.status != Mailing.DONE:
        raise SystemExit(
            f"Not every message went: {summary}; server counted {handler.count}, "
            f"mailing {mailing.status}"
        )
    postman_rate = sent / postman_seconds
    print(
        f"postman: {sent} messages in {postman_seconds:.1f} s = {postman_rate:.0f} messages/s "
        f"(batches of {settings.MASTHEAD_NEWSLETTER_BATCH_SIZE}; prepare included)"
    )
    print(
        f"memory: peak resident {rss_after:.0f} MiB; grew {rss_after - rss_before:.0f} MiB "
        "during the send"
    )

    # The ceiling: the same kind of message, built once, sent N times over one connection.
    from masthead.newsletter.messages import build_message
    from masthead.newsletter.models import Subscriber
    from masthead.newsletter.postman import Run

    subscriber = Subscriber.objects.first()
    composed = Run("benchmark", None).content(mailing, subscriber.language)
    message = build_message(composed, subscriber, mailing)
    outgoing = [message] * arguments.subscribers
    handler.count = 0
    started = time.perf_counter()
    with get_connection(fail_silently=False) as connection:
        baseline_sent = connection.send_messages(outgoing)
    baseline_seconds = time.perf_counter() - started
    if baseline_sent != arguments.subscribers or handler.count != baseline_sent:
        raise SystemExit(f"The baseline sent {baseline_sent}, the server counted {handler.count}")
    baseline_rate = baseline_sent / baseline_seconds
    print(
        f"baseline (Django send_messages, {len(message.message().as_bytes())} bytes each, "
        f"one connection): {baseline_seconds:.1f} s = {baseline_rate:.0f} messages/s"
    )
    controller.stop()
    print(f"cores: {len(os.sched_getaffinity(0))}")
    print(
        f"postman_per_s={postman_rate:.0f} baseline_per_s={baseline_rate:.0f} "
        f"ratio={postman_rate / baseline_rate:.2f}"
    )


def build(count: int):
    """Subscribers, three stories and a scheduled issue of them; returns its mailing."""
    from django.utils import timezone

    from masthead.newsletter.models import (
        IssueArticle,
        Mailing,
        NewsletterIssue,
        NewsletterSettings,
        Subscriber,
    )
    from masthead.testing.content import NewsroomBuilder

    newsroom = NewsroomBuilder.start("The Bench Ledger")
    newsletter = NewsletterSettings.for_site(newsroom.site)
    newsletter.postal_address = "The Bench Ledger Ltd\n12 Harbour Road\nHalifax NS"
    newsletter.save()
    section = newsroom.section("Canada")
    author = newsroom.author("Ana Ferreira")
    now = timezone.now()
    stories = [
        newsroom.article(section, f"Story number {number}", [author], now) for number in range(1, 4)
    ]
    issue = NewsletterIssue.objects.create(
        subject="The week at the Bench Ledger",
        intro="<p>Three stories worth your time this week.</p>",
        language="en",
    )
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=story, sort_order=order)
        for order, story in enumerate(stories)
    )
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number:05}@example.org",
                language=LANGUAGES[number % len(LANGUAGES)],
                frequency=FREQUENCIES[number % len(FREQUENCIES)],
                status=Subscriber.SUBSCRIBED,
                confirmed_at=now,
            )
            for number in range(count)
        ),
        batch_size=1000,
    )
    return Mailing.objects.create(key=f"issue:{issue.pk}", kind=Mailing.ISSUE, issue=issue)


if __name__ == "__main__":
    main()
