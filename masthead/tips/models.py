"""What the tip box keeps: ciphertext, rounded times and sizes; never a sender's words,
network address or browser, and never a codename (only a slow salted hash of it).

- `NewsroomKey`: an OpenPGP public key (certificate) that tips are encrypted to. Keys can also
  come from settings (MASTHEAD_TIPS_PUBLIC_KEYS); `encryption.newsroom_certs` combines both.
- `Tip`: one source's thread, found by the hash of the codename the source was given.
- `TipMessage`: what the source sent (the first tip and each follow-up): one OpenPGP message,
  to the newsroom's keys, of a ZIP bundle (message.txt, the files, about.txt).
- `TipReply`: a journalist's answer, sealed to the tip's reply key (which only the codename
  derives), with a copy encrypted to the newsroom's keys for the newsroom's own records.
- `TipAuditEntry`: who in the newsroom did what to which tip, and when.
- `TipBoxSettings`: the outlet's SecureDrop address and other ways to reach it, shown to sources.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def this_hour(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) rounded down to the hour: all the tip box records of when."""
    return (moment or timezone.now()).replace(minute=0, second=0, microsecond=0)


class NewsroomKey(models.Model):
    """A newsroom public key uploaded in the admin. Only public keys are accepted."""

    label = models.CharField(max_length=100, help_text="Whose key this is, e.g. 'Tips desk 2026'.")
    armored = models.TextField(help_text="The ASCII-armored OpenPGP public key.")
    fingerprint = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.fingerprint})"


class Tip(models.Model):
    """One source's thread: the first message, follow-ups and the newsroom's replies."""

    # sha256 hex of the first half of scrypt(codename): finds the tip, reveals nothing.
    lookup = models.CharField(max_length=64, unique=True)
    # X25519 public key derived from the codename; replies are sealed to it.
    reply_public_key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=this_hour)  # rounded to the hour
    last_message_at = models.DateTimeField(default=this_hour)  # rounded to the hour
    # The source wrote since the newsroom's last reply (hours alone cannot say which came last).
    awaiting_reply = models.BooleanField(default=True)
    # The Tips group has not yet been told of the latest message (the hourly notice clears it).
    awaiting_notice = models.BooleanField(default=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return f"Tip #{self.pk}"


class TipMessage(models.Model):
    """One submission from the source, encrypted before anything was written."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    received_at = models.DateTimeField(default=this_hour)  # rounded to the hour
    ciphertext = models.BinaryField()  # binary OpenPGP message of the ZIP bundle
    file_count = models.PositiveSmallIntegerField(default=0)
    # Fingerprints (comma-separated) of the newsroom keys that can decrypt it.
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} of tip #{self.tip_id}"

    @property
    def size(self) -> int:
        return len(self.ciphertext)


class TipReply(models.Model):
    """A journalist's reply. `sealed` opens only with the codename; `newsroom_copy` only with
    a newsroom private key. The server keeps neither key."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="replies")
    sent_at = models.DateTimeField(default=this_hour)  # rounded to the hour
    sealed = models.BinaryField()
    newsroom_copy = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)  # rounded: when the source first saw it

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Reply {self.pk} to tip #{self.tip_id}"


class TipAuditEntry(models.Model):
    """One action by a newsroom user on the tip box. Kept when the tip or the user is deleted."""

    VIEWED = "viewed"
    DOWNLOADED = "downloaded"
    REPLIED = "replied"
    DELETED = "deleted"
    KEY_ADDED = "key_added"
    KEY_REMOVED = "key_removed"
    TEST_TIP = "test_tip"
    ACTIONS = [
        (VIEWED, "Viewed"),
        (DOWNLOADED, "Downloaded"),
        (REPLIED, "Replied"),
        (DELETED, "Deleted"),
        (KEY_ADDED, "Added a newsroom key"),
        (KEY_REMOVED, "Removed a newsroom key"),
        (TEST_TIP, "Sent a test tip"),
    ]

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept if the user is deleted
    action = models.CharField(max_length=20, choices=ACTIONS)
    tip_number = models.PositiveBigIntegerField(null=True, blank=True)  # kept after deletion
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "tip audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.tip_number or ''}"

    @classmethod
    def record(cls, user, action: str, tip_number: int | None = None, detail: str = "") -> None:
        cls.objects.create(
            user=user,
            username=user.get_username(),
            action=action,
            tip_number=tip_number,
            detail=detail[:200],
        )


@register_setting(icon="lock")
class TipBoxSettings(BaseSiteSetting):
    """Other, safer ways to reach the newsroom, shown to sources on the tip page."""

    securedrop_address = models.CharField(
        max_length=200,
        blank=True,
        help_text="The outlet's SecureDrop .onion address, if it runs one. Shown as plain text "
        "to copy into Tor Browser, never as a link.",
    )
    signal_contact = models.CharField(
        max_length=100,
        blank=True,
        help_text="A Signal username or number for sources (optional).",
    )

    class Meta:
        verbose_name = "Tip box settings"
