"""pytest fixtures for every app's tests: a small newsroom to read, and a running Masthead."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest

if TYPE_CHECKING:  # models can't be imported before pytest-django has set Django up
    from masthead.testing.content import NewsroomBuilder

REPO_ROOT = Path(__file__).resolve().parents[2]
READY = "Masthead is running."  # what `manage.py serve` prints once it serves


@pytest.fixture
def newsroom(db) -> NewsroomBuilder:
    """An empty newsroom (home page, site, settings) with helpers to add content."""
    from masthead.testing.content import NewsroomBuilder

    return NewsroomBuilder.start()


@pytest.fixture
def small_newsroom(newsroom: NewsroomBuilder) -> NewsroomBuilder:
    """Two sections, two authors and seven published articles of different ages."""
    from django.utils import timezone

    now = timezone.now()
    canada = newsroom.section("Canada")
    analysis = newsroom.section("Analysis")
    ana = newsroom.author("Ana Ferreira", role="Investigations editor")
    li = newsroom.author("Li Wen", role="Data reporter")
    for days in (1, 3, 5, 7):
        newsroom.article(canada, f"Canada story {days} days old", [ana], now - timedelta(days=days))
    for days in (2, 4, 6):
        newsroom.article(analysis, f"Analysis {days} days old", [li], now - timedelta(days=days))
    return newsroom


@dataclass
class RunningMasthead:
    """A Masthead started with `manage.py serve`, the way `./run` starts it."""

    url: str
    data_dir: Path
    process: subprocess.Popen
    output_file: Path
    environment: dict = field(repr=False, default_factory=dict)

    def output(self) -> str:
        return self.output_file.read_text(errors="replace")

    def get(self, path: str, timeout: float = 15):
        return urllib.request.urlopen(self.url + path, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment `./run` would have, with its own data folder, port and database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "MASTHEAD_DATA_DIR": str(data_dir),
        "MASTHEAD_HOST": "127.0.0.1",
        "MASTHEAD_PORT": str(free_port()),
        "MASTHEAD_TASKS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    # Keep the served site's cache entries apart from the test process's: their own prefix,
    # and with Redis their own database (each test empties the test process's database).
    environment["MASTHEAD_CACHE_PREFIX"] = f"masthead-served-{environment['MASTHEAD_PORT']}"
    if environment.get("REDIS_URL"):
        environment["REDIS_URL"] = neighbouring_redis_database(environment["REDIS_URL"])
    if "DATABASE_URL" in os.environ:
        environment["DATABASE_URL"] = fresh_database(os.environ["DATABASE_URL"], data_dir.name)
    return environment


def neighbouring_redis_database(redis_url: str) -> str:
    """The same Redis server, the database next to this one's (redis://host:6379/15 → /14)."""
    parts = urlsplit(redis_url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number - 1 if number > 0 else 1}"))


def start_masthead(environment: dict[str, str], *arguments: str) -> RunningMasthead:
    """`manage.py serve` (with these extra arguments), once it says it is running."""
    data_dir = Path(environment["MASTHEAD_DATA_DIR"])
    output_file = data_dir / "serve-output.txt"
    started_before = output_file.read_text().count(READY) if output_file.exists() else 0
    with output_file.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", *arguments],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = RunningMasthead(
        url=f"http://127.0.0.1:{environment['MASTHEAD_PORT']}",
        data_dir=data_dir,
        process=process,
        output_file=output_file,
        environment=environment,
    )
    deadline = time.monotonic() + 180
    while running.output().count(READY) <= started_before:
        if process.poll() is not None or time.monotonic() > deadline:
            stop_masthead(running)
            pytest.fail(f"manage.py serve did not start:\n{running.output()}")
        time.sleep(0.25)
    return running


def stop_masthead(running: RunningMasthead, timeout: float = 30) -> int:
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)
        try:
            running.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait()
    return running.process.returncode


def fresh_database(test_database_url: str, suffix: str) -> str:
    """With PostgreSQL, a served site gets an empty database of its own."""

    base, _, name = test_database_url.rpartition("/")
    served_name = f"{name}_{suffix}".replace("-", "_").lower()
    served_url = f"{base}/{served_name}"
    drop_database(served_url, create_again=True)
    return served_url


def drop_database(database_url: str, *, create_again: bool = False) -> None:
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create_again:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage_py(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    """Run `manage.py` in its own process with this environment, as an operator would."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(environment: dict[str, str], *arguments: str) -> str:
    """Run a management command against a served site's database; return its output."""
    finished = manage_py(environment, *arguments)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


@pytest.fixture
def site_environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for a Masthead a test starts itself; its database goes afterwards."""
    environment = served_environment(tmp_path)
    yield environment
    if "DATABASE_URL" in os.environ:
        drop_database(environment["DATABASE_URL"])


@pytest.fixture(scope="session")
def served_masthead() -> Iterator[RunningMasthead]:
    """One Masthead served for the whole session, with the demo newsroom loaded."""
    data_dir = Path(tempfile.mkdtemp(prefix="masthead-served-"))
    # Scheduled pages are looked for every two seconds, so tests needn't wait a minute.
    running = start_masthead(served_environment(data_dir, MASTHEAD_PUBLISH_SCHEDULED_EVERY="2"))
    yield running
    stop_masthead(running)
    if "DATABASE_URL" in os.environ:
        drop_database(running.environment["DATABASE_URL"])
