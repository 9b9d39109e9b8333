"""What happens to a tip: opening a thread, adding to it, finding it by codename, replies.

Every function here encrypts before it writes. The views hand in plaintext that lives only in
memory; what reaches the database is ciphertext, hashes, counts and rounded hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.tips import bundles, codenames, encryption
from masthead.tips.models import Tip, TipAuditEntry, TipMessage, TipReply, this_hour


@dataclass(frozen=True)
class NewTip:
    tip: Tip
    codename: str  # shown to the source once, then forgotten


def _encrypted_message(message: str, attachments: list[bundles.Attachment]) -> TipMessage:
    received_at = this_hour()
    bundle = bundles.pack(message, attachments, received_at)
    encrypted = encryption.encrypt_for_newsroom(bundle)  # raises TipBoxClosed
    return TipMessage(
        received_at=received_at,
        ciphertext=encrypted.ciphertext,
        file_count=len(attachments),
        recipients=",".join(encrypted.fingerprints),
    )


def open_tip(message: str, attachments: list[bundles.Attachment]) -> NewTip:
    """A new thread with its first message, and the codename that opens it again."""
    tip_message = _encrypted_message(message, attachments)
    codename = codenames.new_codename()
    derived = codenames.derive(codename)
    with transaction.atomic():
        tip = Tip.objects.create(
            lookup=derived.lookup,
            reply_public_key=derived.reply_public_key,
            created_at=tip_message.received_at,
            last_message_at=tip_message.received_at,
        )
        tip_message.tip = tip
        tip_message.save()
    return NewTip(tip=tip, codename=codename)


def add_message(tip: Tip, message: str, attachments: list[bundles.Attachment]) -> TipMessage:
    """A follow-up from the source who holds the tip's codename."""
    tip_message = _encrypted_message(message, attachments)
    with transaction.atomic():
        tip_message.tip = tip
        tip_message.save()
        Tip.objects.filter(pk=tip.pk).update(
            last_message_at=tip_message.received_at, awaiting_reply=True, awaiting_notice=True
        )
    return tip_message


def find_tip(codename: str) -> tuple[Tip | None, codenames.Derived]:
    """The tip a codename opens (None if it opens none), and what it derives. As slow for a
    wrong codename as for a right one."""
    derived = codenames.derive(codename)
    return Tip.objects.filter(lookup=derived.lookup).first(), derived


@dataclass(frozen=True)
class OpenedReply:
    reply: TipReply
    text: str


def read_replies(tip: Tip, derived: codenames.Derived) -> list[OpenedReply]:
    """The newsroom's replies opened with the codename's key; marks unread ones as read."""
    opened = [
        OpenedReply(reply, encryption.open_reply(reply.sealed, derived.reply_key))
        for reply in tip.replies.all()
    ]
    unread = [item.reply.pk for item in opened if item.reply.read_at is None]
    TipReply.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=this_hour())
    return opened


def send_reply(tip: Tip, author, text: str) -> TipReply:
    """A journalist's reply: sealed for the source, and a copy for the newsroom's keys."""
    sealed = encryption.seal_reply(text, bytes(tip.reply_public_key))
    copy = encryption.encrypt_for_newsroom(text.encode())
    with transaction.atomic():
        reply = TipReply.objects.create(
            tip=tip, sealed=sealed, newsroom_copy=copy.ciphertext, author=author
        )
        Tip.objects.filter(pk=tip.pk).update(awaiting_reply=False)
        TipAuditEntry.record(author, TipAuditEntry.REPLIED, tip.pk)
    return reply


def delete_tip(tip: Tip, user) -> None:
    """Deletes the thread, its messages and replies, and records who did it."""
    number = tip.pk
    with transaction.atomic():
        tip.delete()
        TipAuditEntry.record(user, TipAuditEntry.DELETED, number)


def forget_old_tips(now: datetime | None = None) -> str:
    """Deletes tips whose last message and last reply are older than MASTHEAD_TIPS_KEEP_DAYS."""
    days = settings.MASTHEAD_TIPS_KEEP_DAYS
    if days <= 0:
        return "Tips are kept until someone deletes them (MASTHEAD_TIPS_KEEP_DAYS=0)."
    cutoff = (now or timezone.now()) - timedelta(days=days)
    recent_replies = TipReply.objects.filter(sent_at__gte=cutoff).values("tip_id")
    old = list(
        Tip.objects.filter(last_message_at__lt=cutoff)
        .exclude(pk__in=recent_replies)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        Tip.objects.filter(pk__in=old).delete()
        for number in old:
            TipAuditEntry.objects.create(
                username="(retention)",
                action=TipAuditEntry.DELETED,
                tip_number=number,
                detail=f"Nothing new for {days} days (MASTHEAD_TIPS_KEEP_DAYS)",
            )
    return f"Deleted {len(old)} tip(s) with nothing new for {days} days."
