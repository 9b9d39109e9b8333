"""Placeholder (being written): removing hidden data (EXIF GPS, camera, authors) from files
before they are encrypted. Until then nothing is scrubbed and every file says so."""

from __future__ import annotations

from masthead.tips.bundles import NOT_SCRUBBED, Attachment


def scrub(attachment: Attachment) -> Attachment:
    """The attachment with its hidden data removed (treatment SCRUBBED), or unchanged with
    treatment NOT_SCRUBBED and a note saying why. Never raises for a bad file."""
    attachment.treatment = NOT_SCRUBBED
    attachment.note = "cleaning is not available"
    return attachment
