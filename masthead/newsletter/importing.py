"""Importing subscribers from a CSV file: the exports of common newsletter services (Mailchimp,
Substack, Ghost, Buttondown, Kit/ConvertKit, MailerLite) or a bare list of addresses.

Columns are found by name (case-insensitive aliases); the file's encoding (UTF-8 with or without
a BOM, else Windows-1252) and delimiter (`,`, `;` or tab) are detected. Each row becomes:

- added: a new address, SUBSCRIBED with source=import (they opted in at the previous service),
  or UNSUBSCRIBED / BOUNCING when the file marks it so (Substack `email_disabled`, Ghost
  `subscribed_to_emails=false`, Kit `cancelled`, Buttondown `unsubscribed`, Mailchimp
  `cleaned`...), so that the address is known and never mailed;
- updated: an address already here that was waiting for confirmation (now subscribed), or that
  had no name (now has the file's);
- unchanged: an address already here otherwise. Someone who unsubscribed here stays
  unsubscribed, whatever the file says: their choice here wins. Nobody's language or frequency
  is overwritten;
- skipped: an invalid address, a header-injection attempt, a repeated row, a row the previous
  service had never confirmed.

The file is read as a stream, in chunks of rows; all the database writes of one import happen
in one transaction (all or nothing). A dry run does everything, then rolls back.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from masthead.newsletter.models import Subscriber, normalize_email

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 1000
REPORT_ROWS_SHOWN = 200  # per kind of outcome, on the admin's page
SAMPLE_BYTES = 64 * 1024

EMAIL_COLUMNS = [
    "email",
    "email address",
    "e-mail",
    "e-mail address",
    "email_address",
    "emailaddress",
    "mail",
    "subscriber email",
    "subscriber",
]
NAME_COLUMNS = ["name", "full name", "full_name", "fullname", "display name", "subscriber name"]
FIRST_NAME_COLUMNS = ["first name", "first_name", "firstname", "fname", "given name"]
LAST_NAME_COLUMNS = ["last name", "last_name", "lastname", "lname", "surname", "family name"]
LANGUAGE_COLUMNS = ["language", "lang", "locale", "preferred language", "preferred_language"]
# When they signed up (the first column found that holds a date wins) and when they confirmed.
CREATED_COLUMNS = [
    "optin_time",
    "created_at",
    "creation_date",
    "created",
    "subscribed_at",
    "subscribed",
    "subscription date",
    "signup date",
    "date added",
    "date_added",
    "date",
]
CONFIRMED_COLUMNS = ["confirm_time", "confirmed_at", "confirmed"]
# Columns that say an address no longer gets mail there, and what value says so.
DISABLED_COLUMNS = ["email_disabled", "unsubscribed"]  # true: no mail
ENABLED_COLUMNS = ["subscribed_to_emails", "email_enabled"]  # false: no mail
STATUS_COLUMNS = ["status", "subscriber_type", "subscriber type", "member status"]
# Mailchimp exports its unsubscribed and cleaned (bounced) members with the date it happened.
UNSUBSCRIBED_AT_COLUMNS = ["unsub_time", "unsubscribed_at", "unsubscribe date"]
CLEANED_AT_COLUMNS = ["clean_time", "cleaned_at", "bounced_at"]

UNSUBSCRIBED_STATUSES = {
    "unsubscribed",
    "cancelled",
    "canceled",
    "inactive",
    "removed",
    "complained",
    "spammy",
    "blocked",
    "disabled",
    "junk",
}
BOUNCING_STATUSES = {"cleaned", "bounced", "bouncing", "undeliverable", "hard_bounce"}
UNCONFIRMED_STATUSES = {"unactivated", "unconfirmed", "pending", "unverified"}
TRUE_WORDS = {"true", "yes", "y", "1", "t", "x"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}

DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
]
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class ImportFileError(Exception):
    """The file can't be read as a list of subscribers at all (the message says why)."""


@dataclass(frozen=True)
class RowOutcome:
    line: int  # where the row starts in the file, counting from 1
    email: str
    reason: str


@dataclass
class ImportReport:
    dry_run: bool = False
    layout: str = ""  # which columns were used, in words
    added: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    skipped: list[RowOutcome] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )

    def sections(self) -> list[tuple[str, list[RowOutcome]]]:
        return [
            ("Added", self.added),
            ("Updated", self.updated),
            ("Unchanged", self.unchanged),
            ("Skipped", self.skipped),
        ]


# --- Reading the file -------------------------------------------------------------------------


def detect_encoding(file: BinaryIO) -> str:
    """ "utf-8-sig" when the whole file is UTF-8 (with a BOM or not), else "cp1252" (or "latin-1"
    for the few bytes Windows-1252 leaves undefined). Reads the file once, in blocks."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := file.read(SAMPLE_BYTES):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        file.seek(0)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while block := file.read(SAMPLE_BYTES):
                decoder.decode(block)
            encoding = "cp1252"
        except UnicodeDecodeError:
            encoding = "latin-1"
    file.seek(0)
    return encoding


def detect_delimiter(sample: str) -> str:
    """The delimiter of the first line with content: whichever of `,` `;` tab occurs most
    outside quotes (a comma for a one-column list)."""
    for line in sample.splitlines():
        if line.strip():
            unquoted = re.sub(r'"[^"]*"', "", line)
            counts = {delimiter: unquoted.count(delimiter) for delimiter in (",", ";", "\t")}
            best = max(counts, key=lambda delimiter: counts[delimiter])
            return best if counts[best] else ","
    return ","


def read_rows(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on, decoded and split, one at a time."""
    encoding = detect_encoding(file)
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        sample = text.read(SAMPLE_BYTES)
        text.seek(0)
        reader = csv.reader(text, delimiter=detect_delimiter(sample))
        next_line = 1
        try:
            for row in reader:
                line, next_line = next_line, reader.line_num + 1
                if any(cell.strip() for cell in row):
                    yield line, row
        except csv.Error as error:
            raise ImportFileError(f"Line {next_line} can't be read as CSV: {error}") from error
    finally:
        text.detach()  # leave the upload open for whoever owns it


# --- Understanding the columns ----------------------------------------------------------------


def _key(heading: str) -> str:
    return " ".join(heading.strip().strip("\ufeff").lower().split())


@dataclass(frozen=True)
class Columns:
    """Where each thing is in a row (column indexes; None: not in this file)."""

    email: int
    name: int | None = None
    first_name: int | None = None
    last_name: int | None = None
    language: int | None = None
    created: tuple[int, ...] = ()
    confirmed: tuple[int, ...] = ()
    disabled: tuple[int, ...] = ()
    enabled: tuple[int, ...] = ()
    status: tuple[int, ...] = ()
    unsubscribed_at: tuple[int, ...] = ()
    cleaned_at: tuple[int, ...] = ()

    def describe(self, headings: list[str] | None) -> str:
        if headings is None:
            return "a list of addresses without headings"
        used = [
            headings[index]
            for index in (
                self.email,
                self.name,
                self.first_name,
                self.last_name,
                self.language,
                *self.created,
                *self.confirmed,
                *self.disabled,
                *self.enabled,
                *self.status,
                *self.unsubscribed_at,
                *self.cleaned_at,
            )
            if index is not None
        ]
        return "columns " + ", ".join(f"“{heading.strip()}”" for heading in used)


def _find(keys: list[str], aliases: list[str]) -> int | None:
    for alias in aliases:
        if alias in keys:
            return keys.index(alias)
    return None


def _find_all(keys: list[str], aliases: list[str]) -> tuple[int, ...]:
    return tuple(keys.index(alias) for alias in aliases if alias in keys)


def columns_from_headings(headings: list[str]) -> Columns | None:
    """The columns of a file whose first row is `headings`, or None when it has no e-mail
    column (then the first row is data, or the file isn't a list of subscribers)."""
    keys = [_key(heading) for heading in headings]
    email = _find(keys, EMAIL_COLUMNS)
    if email is None:
        return None
    return Columns(
        email=email,
        name=_find(keys, NAME_COLUMNS),
        first_name=_find(keys, FIRST_NAME_COLUMNS),
        last_name=_find(keys, LAST_NAME_COLUMNS),
        language=_find(keys, LANGUAGE_COLUMNS),
        created=_find_all(keys, CREATED_COLUMNS),
        confirmed=_find_all(keys, CONFIRMED_COLUMNS),
        disabled=_find_all(keys, DISABLED_COLUMNS),
        enabled=_find_all(keys, ENABLED_COLUMNS),
        status=_find_all(keys, STATUS_COLUMNS),
        unsubscribed_at=_find_all(keys, UNSUBSCRIBED_AT_COLUMNS),
        cleaned_at=_find_all(keys, CLEANED_AT_COLUMNS),
    )


def _language_names() -> dict[str, str]:
    """Lower-case names and codes of each language we publish in -> its code."""
    names: dict[str, str] = {}
    for code, local_name in settings.LANGUAGES:
        names[code] = code
        names[local_name.lower()] = code
        info = LANG_INFO.get(code, {})
        for key in ("name", "name_local"):
            if info.get(key):
                names[info[key].lower()] = code
    names.update(
        {
            "chinese": "zh-hans",
            "simplified chinese": "zh-hans",
            "chinese (simplified)": "zh-hans",
            "中文": "zh-hans",
            "zh": "zh-hans",
            "zh-cn": "zh-hans",
            "zh-sg": "zh-hans",
            "zh-hans-cn": "zh-hans",
        }
    )
    return names


LANGUAGE_NAMES = _language_names()


def language_code(value: str, default: str) -> str:
    """Our code for a language written as a code (`fr`, `fr-FR`, `pt_BR`, `zh-CN`) or a name
    (`French`, `Français`); `default` when it is none of ours."""
    key = " ".join(value.strip().lower().replace("_", "-").split())
    if not key:
        return default
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    base = key.split("-")[0]
    if base != "zh" and base in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[base]
    return default


def parse_date(value: str) -> datetime | None:
    """A moment written in one of the usual ways (ISO 8601, `2024-05-03 14:22:01`, `05/03/2024`
    (month first, as US services write it), a Unix timestamp in seconds or milliseconds), in
    the site's time zone unless it says otherwise; None when it isn't a date."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", value):
        seconds = float(value)
        if seconds > 10**11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC)
    moment = None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" UTC", "+00:00"))
    except ValueError:
        for date_format in DATE_FORMATS:
            try:
                moment = datetime.strptime(value, date_format)
                break
            except ValueError:
                continue
    if moment is None or not 1990 <= moment.year <= 2100:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _first_date(row: list[str], indexes: tuple[int, ...]) -> datetime | None:
    for index in indexes:
        moment = parse_date(_cell(row, index))
        if moment is not None:
            return moment
    return None


# --- One row ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A row read: who, and what the file says about them."""

    line: int
    email: str
    name: str
    language: str
    status: str  # Subscriber.SUBSCRIBED, UNSUBSCRIBED or BOUNCING
    created_at: datetime | None
    confirmed_at: datetime | None


def status_from_row(row: list[str], columns: Columns) -> str | None:
    """SUBSCRIBED, UNSUBSCRIBED or BOUNCING as the file says, or None for an address the
    previous service never confirmed."""
    if any(_cell(row, index) for index in columns.cleaned_at):
        return Subscriber.BOUNCING
    if any(_cell(row, index) for index in columns.unsubscribed_at):
        return Subscriber.UNSUBSCRIBED
    for index in columns.disabled:
        if _cell(row, index).lower() in TRUE_WORDS:
            return Subscriber.UNSUBSCRIBED
    for index in columns.enabled:
        if _cell(row, index).lower() in FALSE_WORDS:
            return Subscriber.UNSUBSCRIBED
    for index in columns.status:
        word = _cell(row, index).lower()
        if word in BOUNCING_STATUSES:
            return Subscriber.BOUNCING
        if word in UNSUBSCRIBED_STATUSES:
            return Subscriber.UNSUBSCRIBED
        if word in UNCONFIRMED_STATUSES:
            return None
    return Subscriber.SUBSCRIBED


def read_address(raw: str) -> tuple[str | None, str]:
    """The address in normal form, or None and why it can't be used."""
    if CONTROL_CHARACTERS.search(raw.strip()):
        return None, "the address contains a line break or control character (header injection?)"
    address = normalize_email(raw)
    if address.startswith("'") and address[1:2] in ("=", "+", "-", "@"):
        address = address[1:]  # the apostrophe a spreadsheet-safe export put before it
    if address.startswith("mailto:"):
        address = address.removeprefix("mailto:")
    if not address:
        return None, "no e-mail address"
    if len(address) > 254:
        return None, "the address is longer than 254 characters"
    try:
        validate_email(address)
    except ValidationError:
        return None, "not a valid e-mail address"
    return address, ""


def read_name(row: list[str], columns: Columns) -> str:
    name = _cell(row, columns.name)
    if not name:
        name = " ".join(
            part for part in (_cell(row, columns.first_name), _cell(row, columns.last_name)) if part
        )
    name = " ".join(CONTROL_CHARACTERS.sub(" ", name).split())
    return name[: Subscriber._meta.get_field("name").max_length]


# --- The import -------------------------------------------------------------------------------


class _Importer:
    def __init__(self, default_language: str, default_frequency: str, report: ImportReport):
        self.default_language = default_language
        self.default_frequency = default_frequency
        self.report = report
        self.first_line_of: dict[str, int] = {}  # address -> the line it was first seen on
        self.now = timezone.now()

    def candidate(self, line: int, row: list[str], columns: Columns) -> Candidate | None:
        raw = _cell(row, columns.email)
        address, problem = read_address(raw)
        shown = raw.strip()[:254]
        if address is None:
            self.report.skipped.append(RowOutcome(line, shown, problem))
            return None
        if address in self.first_line_of:
            self.report.skipped.append(
                RowOutcome(line, address, f"repeats line {self.first_line_of[address]}")
            )
            return None
        self.first_line_of[address] = line
        status = status_from_row(row, columns)
        if status is None:
            self.report.skipped.append(
                RowOutcome(line, address, "never confirmed at the previous service")
            )
            return None
        created_at = _first_date(row, columns.created)
        confirmed_at = _first_date(row, columns.confirmed) or created_at
        return Candidate(
            line=line,
            email=address,
            name=read_name(row, columns),
            language=language_code(_cell(row, columns.language), self.default_language),
            status=status,
            created_at=created_at,
            confirmed_at=confirmed_at,
        )

    def save_chunk(self, candidates: list[Candidate]) -> None:
        existing = {
            subscriber.email: subscriber
            for subscriber in Subscriber.objects.filter(email__in=[c.email for c in candidates])
        }
        new = []
        for candidate in candidates:
            subscriber = existing.get(candidate.email)
            if subscriber is None:
                new.append(self.new_subscriber(candidate))
                self.report.added.append(
                    RowOutcome(candidate.line, candidate.email, _added_reason(candidate.status))
                )
            else:
                self.merge(subscriber, candidate)
        Subscriber.objects.bulk_create(new, batch_size=500)

    def new_subscriber(self, candidate: Candidate) -> Subscriber:
        created_at = candidate.created_at or self.now
        subscribed = candidate.status == Subscriber.SUBSCRIBED
        return Subscriber(
            email=candidate.email,
            name=candidate.name,
            language=candidate.language,
            frequency=self.default_frequency,
            status=candidate.status,
            source=Subscriber.IMPORT,
            created_at=created_at,
            confirmed_at=(candidate.confirmed_at or created_at) if subscribed else None,
            unsubscribed_at=self.now if candidate.status == Subscriber.UNSUBSCRIBED else None,
        )

    def merge(self, subscriber: Subscriber, candidate: Candidate) -> None:
        """An address already here: never resubscribed, never overwritten; a pending one is
        confirmed by the import, a missing name filled in."""
        changes = []
        if subscriber.status in (Subscriber.UNSUBSCRIBED, Subscriber.BOUNCING):
            reason = f"{subscriber.get_status_display().lower()} here: left as it is"
            self.report.unchanged.append(RowOutcome(candidate.line, candidate.email, reason))
            return
        if subscriber.status == Subscriber.PENDING and candidate.status == Subscriber.SUBSCRIBED:
            subscriber.status = Subscriber.SUBSCRIBED
            subscriber.confirmed_at = candidate.confirmed_at or self.now
            changes.append("subscribed (was waiting for confirmation)")
        if not subscriber.name and candidate.name:
            subscriber.name = candidate.name
            changes.append("name added")
        if changes:
            subscriber.save(update_fields=["status", "confirmed_at", "name"])
            self.report.updated.append(
                RowOutcome(candidate.line, candidate.email, ", ".join(changes))
            )
        else:
            self.report.unchanged.append(
                RowOutcome(candidate.line, candidate.email, "already on the list")
            )


def _added_reason(status: str) -> str:
    if status == Subscriber.SUBSCRIBED:
        return "subscribed"
    if status == Subscriber.BOUNCING:
        return "bouncing at the previous service: recorded, never mailed"
    return "unsubscribed at the previous service: recorded, never mailed"


def import_subscribers(
    file: BinaryIO,
    *,
    default_language: str = settings.LANGUAGE_CODE,
    default_frequency: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import the subscribers in `file` (binary, seekable); see the module's docstring."""
    report = ImportReport(dry_run=dry_run)
    importer = _Importer(
        default_language,
        default_frequency or Subscriber._meta.get_field("frequency").default,
        report,
    )
    rows = read_rows(file)
    first = next(rows, None)
    if first is None:
        raise ImportFileError("The file is empty.")
    _first_line, first_row = first
    columns = columns_from_headings(first_row)
    headings: list[str] | None = first_row
    pending_rows: list[tuple[int, list[str]]] = []
    if columns is None:
        email_column = next((i for i, cell in enumerate(first_row) if "@" in cell), None)
        if email_column is None:
            raise ImportFileError(
                "No column of e-mail addresses found: the first row should name it (“Email”, "
                "“Email Address”, …) or hold an address."
            )
        columns, headings = Columns(email=email_column), None
        pending_rows.append(first)
    report.layout = columns.describe(headings)

    with transaction.atomic():
        chunk: list[Candidate] = []

        def add(line: int, row: list[str]) -> None:
            candidate = importer.candidate(line, row, columns)
            if candidate is not None:
                chunk.append(candidate)
            if len(chunk) >= CHUNK_ROWS:
                importer.save_chunk(chunk)
                chunk.clear()

        for line, row in pending_rows:
            add(line, row)
        for line, row in rows:
            add(line, row)
        if chunk:
            importer.save_chunk(chunk)
        if dry_run:
            transaction.set_rollback(True)
    return report
