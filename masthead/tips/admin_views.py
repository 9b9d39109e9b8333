"""The tip box in the Wagtail admin, for the Tips group (and superusers) only: the list of tips,
a tip's page (its messages and replies, downloads of the encrypted files, a reply box, delete),
the audit log, and the newsroom's public keys (add, remove, send a test tip).

Everyone else gets a plain 403 on every address here, Editors and Writers included: a tip is
not an article, and who may see one is decided by the Tips group alone.

Nothing here ever holds a tip in readable form: downloads are the stored OpenPGP messages, to
decrypt on a journalist's own machine, and a reply is sealed and encrypted the moment it is
sent (the admin never shows it again). Every action is written to `TipAuditEntry`.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, Length
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from wagtail.admin import messages

from masthead.tips import encryption, submissions
from masthead.tips.admin_forms import AddKeyForm, ReplyForm
from masthead.tips.models import NewsroomKey, Tip, TipAuditEntry, TipMessage, TipReply

logger = logging.getLogger(__name__)

VIEW_TIPS = "tips.view_tip"
REPLY = "tips.change_tip"
DELETE_TIPS = "tips.delete_tip"
VIEW_AUDIT = "tips.view_tipauditentry"
VIEW_KEYS = "tips.view_newsroomkey"
ADD_KEYS = "tips.add_newsroomkey"
DELETE_KEYS = "tips.delete_newsroomkey"
# Any of these opens the tip box's menu; none of them is given to Editors or Writers.
TIPS_PERMISSIONS = (VIEW_TIPS, VIEW_AUDIT, VIEW_KEYS)

PER_PAGE = 50
EXPIRY_WARNING = timedelta(days=30)
ENCRYPTED_TYPE = "application/pgp-encrypted"


def tips_permission_required(permission: str) -> Callable:
    """A 403 page (not Wagtail's redirect to the dashboard) for anyone without `permission`,
    and never a cached copy of what is behind it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @never_cache
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                logger.info("User %s was refused the tip box (%s)", request.user.pk, permission)
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@never_cache
def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "tips/admin/forbidden.html", status=403)


def _paginated(request: HttpRequest, items) -> Page:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("p"))


# --- The list ---------------------------------------------------------------------------------

NO_REPLY = "no reply yet"
REPLIED_UNREAD = "replied, not yet read"
READ = "read by the source"
WROTE_AFTER = "source wrote after the last reply"
REPLY_STATUS_LABELS = {
    NO_REPLY: "No reply yet",
    REPLIED_UNREAD: "Replied, not yet read",
    READ: "Read by the source",
    WROTE_AFTER: "Source wrote after the last reply",
}


def reply_status(
    awaiting_reply: bool, last_reply_at: datetime | None, last_reply_read_at: datetime | None
) -> str:
    """Where the conversation stands (`awaiting_reply`: the source wrote since the last reply)."""
    if last_reply_at is None:
        return NO_REPLY
    if awaiting_reply:
        return WROTE_AFTER
    return READ if last_reply_read_at is not None else REPLIED_UNREAD


def tips_with_summary():
    """Tips, newest activity (message or reply) first, with what the list shows of each."""
    messages_of_tip = TipMessage.objects.filter(tip=OuterRef("pk")).order_by().values("tip")
    last_reply = TipReply.objects.filter(tip=OuterRef("pk")).order_by("-sent_at", "-pk")
    return Tip.objects.annotate(
        message_count=Subquery(messages_of_tip.annotate(count=Count("pk")).values("count")[:1]),
        total_size=Subquery(
            messages_of_tip.annotate(size=Sum(Length("ciphertext"))).values("size")[:1]
        ),
        has_files=Exists(TipMessage.objects.filter(tip=OuterRef("pk"), file_count__gt=0)),
        last_reply_at=Subquery(last_reply.values("sent_at")[:1]),
        last_reply_read_at=Subquery(last_reply.values("read_at")[:1]),
        activity=Greatest("last_message_at", Coalesce("last_reply_at", "last_message_at")),
    ).order_by("-activity", "-pk")


@tips_permission_required(VIEW_TIPS)
@require_safe
def tip_index(request: HttpRequest) -> HttpResponse:
    page = _paginated(request, tips_with_summary())
    for tip in page:
        tip.status = reply_status(tip.awaiting_reply, tip.last_reply_at, tip.last_reply_read_at)
        tip.status_label = REPLY_STATUS_LABELS[tip.status]
    return render(
        request,
        "tips/admin/index.html",
        {
            "page": page,
            "tip_box_open": encryption.tip_box_is_open(),
            "can_manage_keys": request.user.has_perm(VIEW_KEYS),
        },
    )


# --- One tip ----------------------------------------------------------------------------------


def message_file_name(tip: Tip, number: int, armored: bool = False) -> str:
    return f"tip-{tip.pk}-message-{number}.{'asc' if armored else 'gpg'}"


def reply_file_name(tip: Tip, number: int, armored: bool = False) -> str:
    return f"tip-{tip.pk}-reply-{number}.{'asc' if armored else 'gpg'}"


def _nth(items, number: int):
    """The `number`th (from 1) of `items`, or None."""
    items = list(items)
    return items[number - 1] if 1 <= number <= len(items) else None


def _download(data: bytes | str, file_name: str) -> HttpResponse:
    content_type = "application/zip" if file_name.endswith(".zip") else ENCRYPTED_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@tips_permission_required(VIEW_TIPS)
@require_safe
def tip_detail(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = get_object_or_404(Tip, pk=tip_id)
    TipAuditEntry.record(request.user, TipAuditEntry.VIEWED, tip.pk)
    return _render_detail(request, tip, ReplyForm())


def _render_detail(request: HttpRequest, tip: Tip, form: ReplyForm, status: int = 200):
    tip_messages = list(tip.messages.all())
    replies = list(tip.replies.select_related("author"))
    for number, message in enumerate(tip_messages, start=1):
        message.number = number
        message.file_name = message_file_name(tip, number)
    for number, reply in enumerate(replies, start=1):
        reply.number = number
        reply.file_name = reply_file_name(tip, number)
    return render(
        request,
        "tips/admin/detail.html",
        {
            "tip": tip,
            "tip_messages": tip_messages,
            "replies": replies,
            "form": form,
            "can_reply": request.user.has_perm(REPLY),
            "can_delete": request.user.has_perm(DELETE_TIPS),
            "example": message_file_name(tip, 1),
        },
        status=status,
    )


@tips_permission_required(VIEW_TIPS)
@require_safe
def download_message(request: HttpRequest, tip_id: int, number: int) -> HttpResponse:
    """A source's message, as the ciphertext stored (`?armor=1`: ASCII-armored)."""
    return _download_nth(
        request, tip_id, number, lambda tip: tip.messages.all(), "ciphertext", message_file_name
    )


@tips_permission_required(VIEW_TIPS)
@require_safe
def download_reply(request: HttpRequest, tip_id: int, number: int) -> HttpResponse:
    """The newsroom's own encrypted copy of a reply (`?armor=1`: ASCII-armored)."""
    return _download_nth(
        request, tip_id, number, lambda tip: tip.replies.all(), "newsroom_copy", reply_file_name
    )


def _download_nth(
    request: HttpRequest,
    tip_id: int,
    number: int,
    items_of: Callable,
    field: str,
    file_name_of: Callable[[Tip, int, bool], str],
) -> HttpResponse:
    """The `number`th item of a tip (counted from 1) as a download, recorded in the audit log."""
    tip = get_object_or_404(Tip, pk=tip_id)
    item = _nth(items_of(tip), number)
    if item is None:
        return render(request, "tips/admin/missing.html", {"tip": tip}, status=404)
    armored = request.GET.get("armor") == "1"
    file_name = file_name_of(tip, number, armored)
    TipAuditEntry.record(request.user, TipAuditEntry.DOWNLOADED, tip.pk, file_name)
    data = bytes(getattr(item, field))
    return _download(encryption.armor(data) if armored else data, file_name)


def tip_archive(tip: Tip) -> tuple[bytes, list[str]]:
    """A ZIP of every message and every reply's newsroom copy, as `.gpg` files, and their
    names. Stored, not compressed: ciphertext does not compress."""
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, message in enumerate(tip.messages.all(), start=1):
            names.append(message_file_name(tip, number))
            archive.writestr(names[-1], bytes(message.ciphertext))
        for number, reply in enumerate(tip.replies.all(), start=1):
            names.append(reply_file_name(tip, number))
            archive.writestr(names[-1], bytes(reply.newsroom_copy))
    return buffer.getvalue(), names


@tips_permission_required(VIEW_TIPS)
@require_safe
def download_all(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = get_object_or_404(Tip, pk=tip_id)
    data, names = tip_archive(tip)
    file_name = f"tip-{tip.pk}.zip"
    TipAuditEntry.record(
        request.user, TipAuditEntry.DOWNLOADED, tip.pk, f"{file_name} ({len(names)} files)"
    )
    return _download(data, file_name)


@tips_permission_required(REPLY)
@require_POST
def tip_reply(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = get_object_or_404(Tip, pk=tip_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, tip, form, status=400)
    try:
        submissions.send_reply(tip, request.user, form.cleaned_data["text"])
    except (encryption.TipBoxClosed, encryption.KeyRejected):
        # Nothing was stored: the journalist keeps the text in the form to send it later.
        form.add_error(
            None,
            "The reply was not sent: the tip box has no usable newsroom key for the newsroom's "
            "copy. Add one on the Keys page, then send it again.",
        )
        return _render_detail(request, tip, form, status=409)
    logger.info("User %s replied to tip %s", request.user.pk, tip.pk)
    messages.success(request, "Reply sealed: only the holder of this tip's codename can read it.")
    return redirect("tips_admin:detail", tip.pk)


@tips_permission_required(DELETE_TIPS)
def tip_delete(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = get_object_or_404(Tip, pk=tip_id)
    if request.method == "POST":
        number = tip.pk
        submissions.delete_tip(tip, request.user)
        logger.info("User %s deleted tip %s", request.user.pk, number)
        messages.success(request, f"Tip #{number} was deleted, with its messages and replies.")
        return redirect("tips_admin:index")
    return render(
        request,
        "tips/admin/delete.html",
        {
            "tip": tip,
            "message_count": tip.messages.count(),
            "reply_count": tip.replies.count(),
        },
    )


# --- The audit log ----------------------------------------------------------------------------


@tips_permission_required(VIEW_AUDIT)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    page = _paginated(request, TipAuditEntry.objects.order_by("-at", "-pk"))
    existing = set(
        Tip.objects.filter(
            pk__in=[entry.tip_number for entry in page if entry.tip_number]
        ).values_list("pk", flat=True)
    )
    for entry in page:
        entry.tip_exists = entry.tip_number in existing
    return render(request, "tips/admin/audit.html", {"page": page})


# --- Keys -------------------------------------------------------------------------------------


def grouped(fingerprint: str) -> str:
    """ "ABCD 1234 …": a fingerprint in groups of four, the way people compare them aloud."""
    return " ".join(fingerprint[start : start + 4] for start in range(0, len(fingerprint), 4))


@dataclass
class KeyRow:
    label: str
    fingerprint: str
    user_ids: tuple[str, ...]
    expires_at: datetime | None
    from_settings: bool
    key: NewsroomKey | None = None
    problem: str = ""  # why the tip box no longer uses it

    @property
    def grouped_fingerprint(self) -> str:
        return grouped(self.fingerprint)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def expires_soon(self) -> bool:
        return not self.expired and (
            self.expires_at is not None and self.expires_at <= timezone.now() + EXPIRY_WARNING
        )


def key_rows() -> tuple[list[KeyRow], str]:
    """The keys the tip box knows of, and what is wrong with the settings' keys, if anything."""
    rows: list[KeyRow] = []
    settings_problem = ""
    try:
        configured = encryption.configured_public_keys()
        certs = encryption.parse_public_keys(configured) if configured else []
    except encryption.KeyRejected as error:
        settings_problem, certs = str(error), []
    except OSError:
        settings_problem, certs = "MASTHEAD_TIPS_PUBLIC_KEYS_FILE cannot be read.", []
    for cert in certs:
        rows.append(KeyRow("From settings", cert.fingerprint, cert.user_ids, cert.expires_at, True))
    for key in NewsroomKey.objects.select_related("added_by"):
        try:
            parsed = encryption.parse_public_keys(key.armored)[0]
            row = KeyRow(key.label, key.fingerprint, parsed.user_ids, parsed.expires_at, False, key)
        except encryption.KeyRejected as error:
            row = KeyRow(key.label, key.fingerprint, (), key.expires_at, False, key, str(error))
        rows.append(row)
    return rows, settings_problem


def _render_keys(request: HttpRequest, form: AddKeyForm, status: int = 200) -> HttpResponse:
    rows, settings_problem = key_rows()
    return render(
        request,
        "tips/admin/keys.html",
        {
            "rows": rows,
            "settings_problem": settings_problem,
            "form": form,
            "tip_box_open": encryption.tip_box_is_open(),
            "can_add": request.user.has_perm(ADD_KEYS),
            "can_delete": request.user.has_perm(DELETE_KEYS),
            "can_test": request.user.has_perm(VIEW_TIPS),
        },
        status=status,
    )


@tips_permission_required(VIEW_KEYS)
def keys(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_keys(request, AddKeyForm())
    if not request.user.has_perm(ADD_KEYS):
        return forbidden(request)
    form = AddKeyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_keys(request, form, status=400)
    added = []
    with transaction.atomic():
        for cert in form.cleaned_data["certs"]:
            added.append(
                NewsroomKey.objects.create(
                    label=form.cleaned_data["label"],
                    armored=cert.armored,
                    fingerprint=cert.fingerprint,
                    expires_at=cert.expires_at,
                    added_by=request.user,
                )
            )
            TipAuditEntry.record(
                request.user,
                TipAuditEntry.KEY_ADDED,
                detail=f"{cert.fingerprint} ({form.cleaned_data['label']})",
            )
    logger.info("User %s added %s newsroom key(s)", request.user.pk, len(added))
    messages.success(
        request,
        "Key added: new tips are encrypted to it too. "
        + " ".join(grouped(key.fingerprint) for key in added),
    )
    return redirect("tips_admin:keys")


@tips_permission_required(DELETE_KEYS)
def key_delete(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(NewsroomKey, pk=key_id)
    if request.method == "POST":
        fingerprint, label = key.fingerprint, key.label
        with transaction.atomic():
            key.delete()
            TipAuditEntry.record(
                request.user, TipAuditEntry.KEY_REMOVED, detail=f"{fingerprint} ({label})"
            )
        logger.info("User %s removed a newsroom key", request.user.pk)
        messages.success(
            request, f"Key {grouped(fingerprint)} removed: new tips are no longer encrypted to it."
        )
        return redirect("tips_admin:keys")
    rows, _problem = key_rows()
    last_key = not any(
        not row.problem and not row.expired and (row.from_settings or row.key.pk != key.pk)
        for row in rows
    )
    return render(
        request,
        "tips/admin/key_delete.html",
        {"key": key, "grouped_fingerprint": grouped(key.fingerprint), "last_key": last_key},
    )


@tips_permission_required(VIEW_TIPS)
@require_POST
def test_tip(request: HttpRequest) -> HttpResponse:
    name = request.user.get_username()
    text = (
        f"This is a test tip from {name}, sent from the tip box's Keys page to check that the "
        "newsroom's keys decrypt what sources send. If you can read this, they do. You can "
        "delete this tip."
    )
    try:
        with transaction.atomic():
            new = submissions.open_tip(text, [])
            TipAuditEntry.record(request.user, TipAuditEntry.TEST_TIP, new.tip.pk)
    except (encryption.TipBoxClosed, encryption.KeyRejected):
        messages.error(request, "The tip box is closed: add a usable key first.")
        return redirect("tips_admin:keys")
    logger.info("User %s sent test tip %s", request.user.pk, new.tip.pk)
    messages.success(
        request,
        f"Test tip #{new.tip.pk} sent. Download it and decrypt it on your own machine.",
    )
    return redirect("tips_admin:detail", new.tip.pk)
