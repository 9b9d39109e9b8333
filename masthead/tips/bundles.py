"""The plaintext of one message from a source, as journalists find it after decrypting: a ZIP
with `message.txt`, the files under `files/`, and `about.txt` (when it came, in hours, and what
happened to each file's hidden data). It exists only in memory, just before encryption.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

SCRUBBED = "scrubbed"  # hidden data removed before encryption
ORIGINAL = "original"  # the source asked for the file untouched
NOT_SCRUBBED = "not scrubbed"  # the source asked for scrubbing; it could not be done


@dataclass
class Attachment:
    name: str
    data: bytes
    treatment: str = ORIGINAL
    note: str = ""  # why it could not be scrubbed, or how it was


def safe_name(name: str, taken: set[str]) -> str:
    """A file name safe to unpack anywhere: no folders, no leading dots, unique in the ZIP."""
    base = PurePosixPath(name.replace("\\", "/")).name.lstrip(".").strip() or "file"
    base = "".join(ch for ch in base if ch.isprintable())[:120] or "file"
    candidate, counter = base, 1
    stem, dot, suffix = base.rpartition(".")
    while candidate in taken:
        counter += 1
        candidate = f"{stem}-{counter}.{suffix}" if dot and stem else f"{base}-{counter}"
    taken.add(candidate)
    return candidate


def pack(message: str, attachments: list[Attachment], received_at: datetime) -> bytes:
    """The ZIP bundle of one message (see the module's text)."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    lines = [f"Received: {received_at:%Y-%m-%d %H}:00 UTC (rounded to the hour)", ""]
    # Every entry is dated to the rounded hour: ZIP entries otherwise carry the second they
    # were written, which `unzip` would restore as each file's modification time.
    date_time = received_at.timetuple()[:6]

    def write(bundle: zipfile.ZipFile, name: str, data: str | bytes) -> None:
        entry = zipfile.ZipInfo(name, date_time=date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        bundle.writestr(entry, data)

    with zipfile.ZipFile(buffer, "w") as bundle:
        write(bundle, "message.txt", message)
        for attachment in attachments:
            name = safe_name(attachment.name, taken)
            write(bundle, f"files/{name}", attachment.data)
            line = f"files/{name}: {attachment.treatment}"
            if attachment.note:
                line += f" ({attachment.note})"
            lines.append(line)
        if not attachments:
            lines.append("No files.")
        write(bundle, "about.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()
