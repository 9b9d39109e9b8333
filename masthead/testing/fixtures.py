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

import pytest

if TYPE_CHECKING:  # models can't be imported before pytest-django has set Django up
    from masthead.testing.content import NewsroomBuilder

REPO_ROOT = Path(__file__).resolve().parents[2]


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
        return urllib.request.urlopen(self.url + path, timeout=timeout)  # noqa: S310


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_masthead(data_dir: Path, extra_env: dict | None = None) -> RunningMasthead:
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
        "MASTHEAD_DATA_DIR": str(data_dir),
        "MASTHEAD_PORT": str(port),
        "MASTHEAD_HOST": "127.0.0.1",
        "MASTHEAD_TASKS_BACKEND": "database",
        # Keep the served site's cache entries apart from the test process's.
        "MASTHEAD_CACHE_PREFIX": f"masthead-served-{port}",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    if "DATABASE_URL" in os.environ:
        environment["DATABASE_URL"] = served_database_url(os.environ["DATABASE_URL"])
    output_file = data_dir / "serve-output.txt"
    with output_file.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = RunningMasthead(
        url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        process=process,
        output_file=output_file,
        environment=environment,
    )
    deadline = time.monotonic() + 180
    while "Masthead is running." not in running.output():
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


def served_database_url(test_database_url: str) -> str:
    """With PostgreSQL, the served site gets a database of its own, made fresh for this run."""
    import psycopg

    base, _, name = test_database_url.rpartition("/")
    served_name = f"{name}_served"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{served_name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{served_name}"')
    return f"{base}/{served_name}"


@pytest.fixture(scope="session")
def served_masthead() -> Iterator[RunningMasthead]:
    """One Masthead served for the whole session, with the demo newsroom loaded."""
    data_dir = Path(tempfile.mkdtemp(prefix="masthead-served-"))
    running = start_masthead(data_dir)
    yield running
    stop_masthead(running)
