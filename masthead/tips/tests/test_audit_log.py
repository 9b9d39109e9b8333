"""The tip box's audit log: every action a journalist takes on tips and keys is written down
(who, what, which tip, exactly when), and the log page shows it, newest first, with no way to
change or delete an entry."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masthead.testing.tips import make_key_pair
from masthead.tips import submissions
from masthead.tips.models import NewsroomKey, TipAuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(client, django_user_model):
    user = django_user_model.objects.create_user(username="ana", password="x")
    user.groups.add(Group.objects.get(name="Tips"))
    client.force_login(user)
    return user


def test_every_action_on_a_tip_is_recorded(client, journalist, newsroom_key):
    tip = submissions.open_tip("Look at the invoices.", []).tip
    number = tip.pk

    client.get(reverse("tips_admin:detail", args=[number]))
    client.get(reverse("tips_admin:download_message", args=[number, 1]))
    client.get(reverse("tips_admin:download_message", args=[number, 1]) + "?armor=1")
    client.post(reverse("tips_admin:reply", args=[number]), {"text": "Which ones?"})
    client.get(reverse("tips_admin:download_reply", args=[number, 1]))
    client.get(reverse("tips_admin:download_all", args=[number]))
    client.get(reverse("tips_admin:delete", args=[number]))  # asking is not doing
    client.post(reverse("tips_admin:delete", args=[number]))

    entries = list(TipAuditEntry.objects.order_by("at", "pk"))
    assert [(entry.action, entry.tip_number, entry.detail) for entry in entries] == [
        (TipAuditEntry.VIEWED, number, ""),
        (TipAuditEntry.DOWNLOADED, number, f"tip-{number}-message-1.gpg"),
        (TipAuditEntry.DOWNLOADED, number, f"tip-{number}-message-1.asc"),
        (TipAuditEntry.REPLIED, number, ""),
        (TipAuditEntry.DOWNLOADED, number, f"tip-{number}-reply-1.gpg"),
        (TipAuditEntry.DOWNLOADED, number, f"tip-{number}.zip (2 files)"),
        (TipAuditEntry.DELETED, number, ""),
    ]
    assert {(entry.user, entry.username) for entry in entries} == {(journalist, "ana")}
    assert "Which ones" not in " ".join(entry.detail for entry in entries)


def test_key_changes_and_test_tips_are_recorded(client, journalist, newsroom_key):
    pair = make_key_pair()
    client.post(reverse("tips_admin:keys"), {"label": "Desk", "armored": pair.public_armored})
    key = NewsroomKey.objects.get()
    client.post(reverse("tips_admin:key_delete", args=[key.pk]))
    client.post(reverse("tips_admin:test_tip"))

    actions = list(TipAuditEntry.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        TipAuditEntry.KEY_ADDED,
        TipAuditEntry.KEY_REMOVED,
        TipAuditEntry.TEST_TIP,
    ]


def test_the_log_page_lists_entries_newest_first_with_exact_times(
    client, journalist, django_user_model
):
    other = django_user_model.objects.create_user(username="ben")
    TipAuditEntry.record(other, TipAuditEntry.VIEWED, 41)
    TipAuditEntry.record(journalist, TipAuditEntry.DOWNLOADED, 42, "tip-42-message-1.gpg")
    older = timezone.now() - timedelta(days=1, seconds=17)
    TipAuditEntry.objects.filter(username="ben").update(at=older)
    other.delete()  # the log keeps the name

    page = client.get(reverse("tips_admin:audit")).content.decode()

    assert page.index('data-action="downloaded"') < page.index('data-action="viewed"')
    assert f"{timezone.localtime(older):%Y-%m-%d %H:%M:%S}" in page
    assert ">ben<" in page and ">ana<" in page
    assert "#41 (deleted)" in page and "tip-42-message-1.gpg" in page
    assert "Downloaded" in page and "Viewed" in page


def test_entries_cannot_be_changed_or_deleted_from_the_admin(client, journalist):
    TipAuditEntry.record(journalist, TipAuditEntry.VIEWED, 7)
    page = client.get(reverse("tips_admin:audit")).content.decode()
    table = page[page.index('<table class="listing tips-audit-log">') :]
    table = table[: table.index("</table>")]
    assert "<form" not in table and "<button" not in table and "/edit" not in table
    assert client.post(reverse("tips_admin:audit")).status_code == 405
    assert TipAuditEntry.objects.count() == 1
    # No generic model or snippet view of the log exists either.
    for path in ("/admin/snippets/tips/tipauditentry/", "/admin/tips/tipauditentry/"):
        assert client.get(path).status_code == 404


def test_the_log_is_paginated(client, journalist):
    TipAuditEntry.objects.bulk_create(
        TipAuditEntry(user=journalist, username="ana", action=TipAuditEntry.VIEWED, tip_number=n)
        for n in range(1, 53)
    )
    first = client.get(reverse("tips_admin:audit")).content.decode()
    second = client.get(reverse("tips_admin:audit") + "?p=2").content.decode()
    assert first.count('data-action="viewed"') == 50
    assert second.count('data-action="viewed"') == 2
