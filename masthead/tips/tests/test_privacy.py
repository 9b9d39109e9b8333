"""The marker scan, the tip box's acceptance test: a source sends a tip whose message and file
carry a unique marker, from a unique (fake) network address with a marked browser and referrer,
then comes back with the codename, reads a reply and sends more. Afterwards the marker, the
address, the browser, the referrer and the codename are nowhere in the database and in no log
record, with every logger at DEBUG.

The database is read twice where it is SQLite: its raw bytes (every page, free pages and all,
as they would be on disk) and every column of every table through SQL. On PostgreSQL every
column of every table is read through SQL. Run with `-s` to see what was scanned.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory

from masthead.testing.fixtures import (
    drop_database,
    manage,
    served_environment,
    start_masthead,
    stop_masthead,
)
from masthead.tips import submissions
from masthead.tips.middleware import NOBODY, ForgetTipSenderMiddleware

MARKER = "QX7-MARKER-4be1c2d9-the-mayor-took-the-money"
FAKE_IP = "198.51.100.173"
USER_AGENT = "MarkerBrowser/9.8.7 (UA-MARKER-31f0)"
REFERER = "https://referer-marker-8d2e.example/leak"
CODENAME = re.compile(r'<p class="tip-codename" lang="en">([a-z -]+)</p>')
TOKEN = re.compile(r'<input type="hidden" name="token" value="([^"]+)">')
SENDER = {
    "REMOTE_ADDR": FAKE_IP,
    "HTTP_X_FORWARDED_FOR": f"{FAKE_IP}, 10.0.0.1",
    "HTTP_X_REAL_IP": FAKE_IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_REFERER": REFERER,
}


class Keeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_log_record(caplog) -> Iterator[Keeper]:
    """Every logger at DEBUG, each record kept (by caplog and by a handler of our own on the
    root logger and on every logger that does not pass its records up), SQL queries included."""
    caplog.set_level(logging.DEBUG)
    keeper = Keeper()
    connection.force_debug_cursor = True  # SQL and its parameters are logged too
    loggers = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    loggers = [logger for logger in loggers if isinstance(logger, logging.Logger)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is logging.getLogger() or not logger.propagate:
            logger.addHandler(keeper)
    yield keeper
    connection.force_debug_cursor = False
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        logger.removeHandler(keeper)


def record_text(record: logging.LogRecord) -> str:
    """All a log record holds that a handler could write: message, arguments, traceback,
    extra attributes."""
    parts = [record.getMessage(), repr(record.args), repr(record.__dict__)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


@dataclass
class Scan:
    raw_bytes: int = 0
    tables: int = 0
    columns: int = 0
    values: int = 0
    hits: list[str] = field(default_factory=list)


def secrets_in(blob: bytes, secrets: dict[str, str]) -> list[str]:
    found = []
    for label, secret in secrets.items():
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if secret.encode(encoding) in blob:
                found.append(f"{label} ({encoding})")
    return found


def as_bytes(value) -> bytes:
    if value is None:
        return b""
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return str(value).encode()


def scan_database(secrets: dict[str, str]) -> Scan:
    """Every column of every table through SQL; and on SQLite the database's raw bytes."""
    scan = Scan()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            scan.tables += 1
            description = connection.introspection.get_table_description(cursor, table)
            scan.columns += len(description)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(description, row, strict=True):
                    scan.values += 1
                    for hit in secrets_in(as_bytes(value), secrets):
                        scan.hits.append(f"{table}.{column.name}: {hit}")
    if connection.vendor == "sqlite":
        raw = connection.connection.serialize()  # every page, as a file on disk would hold
        scan.raw_bytes = len(raw)
        scan.hits += [f"raw database bytes: {hit}" for hit in secrets_in(raw, secrets)]
    return scan


@pytest.mark.django_db(transaction=True)  # committed, as a real request's writes are
def test_nothing_identifying_is_kept_in_the_database_or_the_logs(
    client, newsroom, newsroom_key, every_log_record, caplog, django_user_model
):
    document = b"Quarterly figures\n" + MARKER.encode() + b"\nend\n"
    # A tip with a mistake first (too long for the limit): the refusal keeps nothing either.
    response = client.post(
        "/tips/", {"message": MARKER * 20_000, "remove_hidden_data": "on"}, **SENDER
    )
    assert response.status_code == 400
    response = client.post(
        "/fr/tips/",
        {
            "message": f"Le message: {MARKER}",
            "files": [SimpleUploadedFile(f"{MARKER}.txt", document, "text/plain")],
            "remove_hidden_data": "on",
        },
        **SENDER,
    )
    assert response.status_code == 200
    codename = CODENAME.search(response.content.decode()).group(1)
    tip = submissions.find_tip(codename)[0]
    journalist = django_user_model.objects.create(username="desk")
    submissions.send_reply(tip, journalist, "Thank you, we read it.")

    assert client.post("/tips/return/", {"codename": codename + " x"}, **SENDER).status_code == 400
    response = client.post("/fr/tips/return/", {"codename": codename}, **SENDER)
    assert "Thank you, we read it." in response.content.decode()
    token = TOKEN.search(response.content.decode()).group(1)
    response = client.post(
        "/fr/tips/return/message/",
        {"token": token, "message": f"More: {MARKER}", "files": [SimpleUploadedFile("b", b"")]},
        **SENDER,
    )
    assert response.status_code == 200
    assert tip.messages.count() == 2
    # The scan's own check: what was stored does hold the marker, once decrypted.
    opened = newsroom_key.open_bundle(tip.messages.last().ciphertext)["message.txt"]
    assert secrets_in(opened, {"marker": MARKER}) == ["marker (utf-8)"]

    secrets = {
        "marker": MARKER,
        "client address": FAKE_IP,
        "user agent": "UA-MARKER-31f0",
        "referrer": "referer-marker-8d2e",
        "codename": codename,
    }
    scan = scan_database(secrets)
    records = every_log_record.records + caplog.records
    log_hits = [
        f"{record.name}: {hit}"
        for record in records
        for hit in secrets_in(record_text(record).encode(), secrets)
    ]
    print(
        f"\nMarker scan ({connection.vendor}): {scan.raw_bytes} raw database bytes, "
        f"{scan.tables} tables, {scan.columns} columns, {scan.values} values read through SQL, "
        f"{len(records)} log records at DEBUG; hits in the database: {len(scan.hits)}, "
        f"hits in the logs: {len(log_hits)}"
    )
    assert scan.tables > 0 and scan.values > 0 and len(records) > 0
    assert scan.hits == []
    assert log_hits == []


@pytest.mark.parametrize("path", ["/tips/", "/fr/tips/", "/zh-hans/tips/return/message/", "/tips"])
def test_the_middleware_forgets_the_sender_of_every_tip_box_address(path):
    seen = {}

    def view(request):
        seen.update(request.META)

    ForgetTipSenderMiddleware(view)(RequestFactory().post(path, **SENDER))
    assert seen["REMOTE_ADDR"] == NOBODY
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_USER_AGENT", "HTTP_REFERER"):
        assert header not in seen


@pytest.mark.parametrize("path", ["/newsletter/", "/fr/newsletter/", "/tipsy/", "/fr/about/tips/"])
def test_the_middleware_leaves_other_addresses_alone(path):
    seen = {}

    def view(request):
        seen.update(request.META)

    ForgetTipSenderMiddleware(view)(RequestFactory().post(path, **SENDER))
    assert seen["REMOTE_ADDR"] == FAKE_IP
    assert seen["HTTP_USER_AGENT"] == USER_AGENT
    assert seen["HTTP_X_FORWARDED_FOR"].startswith(FAKE_IP)


# --- The same scan against Masthead as `./run` serves it ------------------------------------


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----masthead-tip-boundary-0c3f"
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(url: str, fields: dict[str, str], files: list[tuple[str, bytes]] = ()) -> tuple[int, str]:
    body, content_type = multipart(fields, list(files))
    headers = {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        "Referer": REFERER,
        "X-Forwarded-For": f"{FAKE_IP}, 10.0.0.1",
        "X-Real-IP": FAKE_IP,
        "Forwarded": f"for={FAKE_IP}",
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def scan_postgresql(database_url: str, secrets: dict[str, str]) -> Scan:
    import psycopg

    scan = Scan()
    with psycopg.connect(database_url) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for table in tables:
            scan.tables += 1
            cursor = db.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            names = [column.name for column in cursor.description]
            scan.columns += len(names)
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    scan.values += 1
                    scan.hits += [
                        f"{table}.{name}: {hit}" for hit in secrets_in(as_bytes(value), secrets)
                    ]
    return scan


def scan_sqlite(path: Path, secrets: dict[str, str]) -> Scan:
    """Every column of every table of a SQLite database file, through SQL."""
    scan = Scan()
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            scan.tables += 1
            cursor = db.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            names = [column[0] for column in cursor.description]
            scan.columns += len(names)
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    scan.values += 1
                    hits = secrets_in(as_bytes(value), secrets)
                    scan.hits += [f"{table}.{name}: {hit}" for hit in hits]
    return scan


def scan_folder(folder: Path, secrets: dict[str, str]) -> Scan:
    """The raw bytes of every file in the data folder: the SQLite database and its -wal and
    -shm files, the file cache, uploads, anything."""
    scan = Scan()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            scan.raw_bytes += len(data)
            scan.hits += [f"{path.relative_to(folder)}: {hit}" for hit in secrets_in(data, secrets)]
    return scan


REPLY_SCRIPT = """
from django.contrib.auth import get_user_model
from masthead.testing.fixtures import drop_database, manage, served_environment, start_masthead
from masthead.testing.fixtures import stop_masthead
from masthead.tips import submissions
from masthead.tips.models import Tip
desk = get_user_model().objects.create(username="desk-served")
submissions.send_reply(Tip.objects.get(), desk, "Thank you, we read it.")
"""


@pytest.mark.server
def test_a_served_masthead_keeps_nothing_identifying_on_disk_or_in_its_output(
    tmp_path, _session_newsroom_key
):
    environment = served_environment(
        tmp_path,
        MASTHEAD_LOG_LEVEL="DEBUG",
        MASTHEAD_WAGTAIL_LOG_LEVEL="DEBUG",
        MASTHEAD_TIPS_PUBLIC_KEYS=_session_newsroom_key.public_armored,
        # The worst case: an operator who trusts a forwarding header for readers' addresses.
        MASTHEAD_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
    )
    running = start_masthead(environment, "--no-demo")
    try:
        status, html = post(
            running.url + "/tips/",
            {"message": f"Served: {MARKER}", "remove_hidden_data": "on", "website": ""},
            [(f"{MARKER}.txt", MARKER.encode() * 3)],
        )
        assert status == 200, html
        codename = CODENAME.search(html).group(1)
        manage(environment, "shell", "-c", REPLY_SCRIPT)
        status, html = post(running.url + "/fr/tips/return/", {"codename": codename})
        assert status == 200 and "Thank you, we read it." in html
        token = TOKEN.search(html).group(1)
        status, html = post(
            running.url + "/fr/tips/return/message/", {"token": token, "message": MARKER}
        )
        assert status == 200, html
        assert post(running.url + "/tips/", {"message": MARKER * 20_000})[0] == 400
    finally:
        stop_masthead(running)
    secrets = {
        "marker": MARKER,
        "client address": FAKE_IP,
        "user agent": "UA-MARKER-31f0",
        "referrer": "referer-marker-8d2e",
        "codename": codename,
    }
    # The scan's own check: what is stored in plain text (a user name) is found.
    assert scan_folder(tmp_path, {"control": "desk-served"}).hits or "DATABASE_URL" in environment
    scans = [scan_folder(tmp_path, secrets)]  # the database and its -wal file as they are
    database = tmp_path / "masthead.sqlite3"
    if "DATABASE_URL" in environment:
        scans.append(scan_postgresql(environment["DATABASE_URL"], secrets))
        drop_database(environment["DATABASE_URL"])
    else:
        with sqlite3.connect(database) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        scans.append(scan_folder(tmp_path, secrets))  # again, after the checkpoint
        scans.append(scan_sqlite(database, secrets))
        assert scans[-1].tables > 50
    output = running.output()
    output_hits = secrets_in(output.encode(), secrets)
    print(
        f"\nServed marker scan ({'postgresql' if 'DATABASE_URL' in environment else 'sqlite'}): "
        f"{sum(scan.raw_bytes for scan in scans)} bytes of files in the data folder (on SQLite "
        f"before and after a WAL checkpoint), {sum(scan.tables for scan in scans)} tables, "
        f"{sum(scan.columns for scan in scans)} columns, "
        f"{sum(scan.values for scan in scans)} values read through SQL, "
        f"{len(output.splitlines())} lines of server output at DEBUG; hits: "
        f"{sum(len(scan.hits) for scan in scans)} on disk or in the database, "
        f"{len(output_hits)} in the output"
    )
    # The output was captured (and no line about the tip box: neither its access log lines
    # nor any log line saying when tip #1 came).
    assert "Stopped the web server" in output
    assert "/tips/" not in output and "Tip 1" not in output
    assert [hit for scan in scans for hit in scan.hits] == []
    assert output_hits == []
