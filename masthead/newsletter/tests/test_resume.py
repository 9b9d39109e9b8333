"""A send survives its worker being killed: Masthead's real worker process (`run_worker`, as
`./run` starts it) sends a mailing to 30 subscribers in batches of 5 through the in-process SMTP
server, is killed with SIGKILL in the middle, and a new worker finishes the send. Every
subscriber ends up with exactly one copy.

The worker needs a database it can see: one migrated for the module (the slow part), copied for
each test (the SQLite file, or with PostgreSQL a database made from it as a template).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from masthead.testing.fixtures import REPO_ROOT, drop_database, manage, served_environment
from masthead.testing.smtp import SMTPServer, free_port

pytestmark = pytest.mark.server

SUBSCRIBERS = 30
SQLITE_FILE = "masthead.sqlite3"
SETUP = f"""
from masthead.newsletter import postman
from masthead.newsletter.models import NewsletterIssue, Subscriber
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{{number:02}}@example.org", status=Subscriber.SUBSCRIBED)
    for number in range({SUBSCRIBERS})
)
issue = NewsletterIssue.objects.create(subject="Resumed", intro="<p>Hello.</p>", language="en")
postman.start_issue(issue, None, None)
"""


def using_postgresql() -> bool:
    return "DATABASE_URL" in os.environ


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The environment of a data folder whose database is migrated, to copy from."""
    data_dir = tmp_path_factory.mktemp("newsletter-template")
    environment = served_environment(data_dir)
    manage(environment, "migrate", "--verbosity", "0")
    yield environment
    if using_postgresql():
        drop_database(environment["DATABASE_URL"])


def copy_database(source: dict[str, str], target: dict[str, str]) -> None:
    if using_postgresql():
        import psycopg

        base, _, name = target["DATABASE_URL"].rpartition("/")
        template = source["DATABASE_URL"].rpartition("/")[2]
        drop_database(target["DATABASE_URL"])
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        shutil.copy(
            Path(source["MASTHEAD_DATA_DIR"]) / SQLITE_FILE,
            Path(target["MASTHEAD_DATA_DIR"]) / SQLITE_FILE,
        )


def mailing_status(environment: dict[str, str]) -> str | None:
    """The mailing's status, read straight from the worker's database."""
    query = "SELECT status FROM newsletter_mailing"
    if using_postgresql():
        import psycopg

        with psycopg.connect(environment["DATABASE_URL"]) as connection:
            row = connection.execute(query).fetchone()
    else:
        with sqlite3.connect(Path(environment["MASTHEAD_DATA_DIR"]) / SQLITE_FILE) as connection:
            row = connection.execute(query).fetchone()
    return row[0] if row else None


class Worker:
    """`manage.py run_worker --no-reload`, as `manage.py serve` starts it."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.log = Path(environment["MASTHEAD_DATA_DIR"]) / "worker-output.txt"
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "django", "run_worker", "--no-reload"],
                cwd=REPO_ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last words, as when a machine loses power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill()


@pytest.fixture
def worker_site(migrated, tmp_path) -> Iterator[tuple[dict[str, str], SMTPServer]]:
    """A data folder with 30 subscribers and an issue being sent, and the SMTP server the
    worker will send to."""
    server = SMTPServer(free_port())
    server.start()
    environment = served_environment(
        tmp_path,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(server.port),
        MASTHEAD_NEWSLETTER_BATCH_SIZE="5",
        MASTHEAD_NEWSLETTER_LEASE_SECONDS="2",
        MASTHEAD_NEWSLETTER_RATE_PER_MINUTE="0",
        MASTHEAD_NEWSLETTER_SEND_EVERY="1",
    )
    copy_database(migrated, environment)
    manage(environment, "shell", "--no-imports", "-c", SETUP)
    try:
        yield environment, server
    finally:
        server.stop()
        if using_postgresql():
            drop_database(environment["DATABASE_URL"])


def wait_for(condition, timeout: float, what: str, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline or worker.process.poll() is not None:
            pytest.fail(f"Waited in vain for {what}. Worker output:\n{worker.log.read_text()}")
        time.sleep(0.1)


def crash_and_resume(environment: dict[str, str], server: SMTPServer) -> None:
    """Start a worker, kill it once the held message arrives, start another, let it finish."""
    first = Worker(environment)
    try:
        wait_for(lambda: server.inbox.holding.is_set(), 60, "the held message", first)
        first.kill()
    finally:
        first.stop()
        server.inbox.release()
    assert mailing_status(environment) == "sending"

    second = Worker(environment)
    try:
        wait_for(lambda: mailing_status(environment) == "done", 60, "the send to end", second)
    finally:
        second.stop()


def test_a_worker_killed_mid_message_is_replaced_and_nobody_gets_two(worker_site):
    environment, server = worker_site
    server.inbox.hold_message(12)  # the second message of the third batch, sent, unanswered

    crash_and_resume(environment, server)

    counts = server.inbox.count_by_recipient()
    assert len(counts) == SUBSCRIBERS
    assert set(counts.values()) == {1}
    assert len(server.inbox.mails) == SUBSCRIBERS


def test_a_worker_killed_between_batches_is_replaced_and_nobody_gets_two(worker_site):
    environment, server = worker_site
    server.inbox.hold_message(11, command="MAIL")  # batch 3 begins: nothing of it sent yet

    crash_and_resume(environment, server)

    counts = server.inbox.count_by_recipient()
    assert sorted(counts) == [f"reader{number:02}@example.org" for number in range(SUBSCRIBERS)]
    assert set(counts.values()) == {1}
