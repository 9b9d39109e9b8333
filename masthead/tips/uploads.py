"""Receiving a source's files in memory only: no temporary file is ever written.

`InMemoryTipUploadHandler` replaces Django's upload handlers for tip box requests (the view sets
it before it reads the request). It keeps each file of the `files` field in memory up to
MASTHEAD_TIPS_MAX_FILE_MB, takes at most MASTHEAD_TIPS_MAX_FILES files and
MASTHEAD_TIPS_MAX_TOTAL_MB in all, and skips whatever goes past a limit (reading it and throwing
it away), recording which limit it hit so the form can say so. Nothing here logs a file's name
or contents.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

FILES_FIELD = "files"
MEGABYTE = 1024 * 1024

TOO_MANY = "too_many"  # more files than MASTHEAD_TIPS_MAX_FILES
TOO_LARGE = "too_large"  # one file over MASTHEAD_TIPS_MAX_FILE_MB
OVER_TOTAL = "over_total"  # all files together over MASTHEAD_TIPS_MAX_TOTAL_MB
NOT_EXPECTED = "not_expected"  # a file in a field other than `files`


@dataclass(frozen=True)
class UploadProblem:
    """A file that was left out, and why (one of the constants above)."""

    kind: str
    name: str


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_file_bytes: int
    max_total_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_files=settings.MASTHEAD_TIPS_MAX_FILES,
            max_file_bytes=settings.MASTHEAD_TIPS_MAX_FILE_MB * MEGABYTE,
            max_total_bytes=settings.MASTHEAD_TIPS_MAX_TOTAL_MB * MEGABYTE,
        )


class InMemoryTipUploadHandler(FileUploadHandler):
    """Holds accepted files in memory (see the module's text); `problems` lists the others."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limits = Limits.from_settings()
        self.problems: list[UploadProblem] = []
        self.accepted_files = 0
        self.accepted_bytes = 0
        self.file = io.BytesIO()
        self.size = 0

    def _skip(self, kind: str) -> None:
        self.problems.append(UploadProblem(kind, self.file_name or ""))
        self.file = io.BytesIO()  # what was received is dropped; the parser closes this one
        raise SkipFile()

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.file = io.BytesIO()
        self.size = 0
        if field_name != FILES_FIELD:
            self._skip(NOT_EXPECTED)
        if self.accepted_files >= self.limits.max_files:
            self._skip(TOO_MANY)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > self.limits.max_file_bytes:
            self._skip(TOO_LARGE)
        if self.accepted_bytes + self.size > self.limits.max_total_bytes:
            self._skip(OVER_TOTAL)
        self.file.write(raw_data)
        return None  # no other handler sees the data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        # Only called for files that were not skipped.
        self.accepted_files += 1
        self.accepted_bytes += self.size
        self.file.seek(0)
        uploaded = InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        self.file = io.BytesIO()
        return uploaded


def hold_uploads_in_memory(request: HttpRequest) -> InMemoryTipUploadHandler:
    """Makes `request` keep its files in memory only; call before reading POST or FILES."""
    handler = InMemoryTipUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
