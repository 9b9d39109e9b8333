"""The tip box in the admin, as journalists use it: only the Tips group (and superusers) sees
it; the list says where each conversation stands; downloads are the stored ciphertext, which
the newsroom's private key (and real GnuPG) opens; a reply reaches only the codename's holder
and is never shown again; delete removes everything."""

import io
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from masthead.tips import bundles, submissions
from masthead.tips.models import (
    NewsroomKey,
    Tip,
    TipAuditEntry,
    TipBoxSettings,
    TipMessage,
    TipReply,
    this_hour,
)

pytestmark = pytest.mark.django_db

REPLY_MARKER = "heron-7319"
REPLY_TEXT = f"Thank you. Can we meet by the {REPLY_MARKER} sign? Bring the ledger."


def user_in(django_user_model, group: str | None, username: str, **extra):
    user = django_user_model.objects.create_user(username=username, password="x", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def journalist(client, django_user_model):
    user = user_in(django_user_model, "Tips", "tips-desk")
    client.force_login(user)
    return user


@pytest.fixture
def new_tip(newsroom_key) -> submissions.NewTip:
    return submissions.open_tip(
        "The ledger is in the blue binder.",
        [bundles.Attachment("ledger.csv", b"a,b\n1,2\n")],
    )


def detail_url(tip: Tip) -> str:
    return reverse("tips_admin:detail", args=[tip.pk])


# --- Who may open it --------------------------------------------------------------------------


def every_tips_admin_request(tip: Tip, key: NewsroomKey) -> list[tuple[str, str, dict]]:
    """(method, url, data) for every address of the tip box admin."""
    tip_urls = [
        ("get", reverse("tips_admin:index"), {}),
        ("get", detail_url(tip), {}),
        ("get", reverse("tips_admin:download_message", args=[tip.pk, 1]), {}),
        ("get", reverse("tips_admin:download_message", args=[tip.pk, 1]) + "?armor=1", {}),
        ("get", reverse("tips_admin:download_reply", args=[tip.pk, 1]), {}),
        ("get", reverse("tips_admin:download_all", args=[tip.pk]), {}),
        ("post", reverse("tips_admin:reply", args=[tip.pk]), {"text": "Hello"}),
        ("get", reverse("tips_admin:reply", args=[tip.pk]), {}),
        ("get", reverse("tips_admin:delete", args=[tip.pk]), {}),
        ("post", reverse("tips_admin:delete", args=[tip.pk]), {}),
        ("get", reverse("tips_admin:audit"), {}),
        ("get", reverse("tips_admin:keys"), {}),
        ("post", reverse("tips_admin:keys"), {"label": "Mine", "armored": key.armored}),
        ("get", reverse("tips_admin:key_delete", args=[key.pk]), {}),
        ("post", reverse("tips_admin:key_delete", args=[key.pk]), {}),
        ("post", reverse("tips_admin:test_tip"), {}),
        ("get", reverse("tips_admin:test_tip"), {}),
    ]
    return tip_urls


@pytest.fixture
def stored_key() -> NewsroomKey:
    from masthead.testing.tips import make_key_pair

    pair = make_key_pair("Second desk <second@news.example.org>")
    return NewsroomKey.objects.create(
        label="Second desk", armored=pair.public_armored, fingerprint=pair.fingerprint
    )


def tips_menu_shown(client) -> bool:
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    return reverse("tips_admin:index") in page


@pytest.mark.parametrize("group", ["Editors", "Writers", "Newsletter", "Finance", None])
def test_everyone_outside_the_tips_group_gets_403_everywhere_and_no_menu(
    client, django_user_model, new_tip, stored_key, group
):
    journalist = user_in(django_user_model, "Tips", "tips-desk")
    submissions.send_reply(new_tip.tip, journalist, "A reply")
    user = user_in(django_user_model, group, "outsider", email="outsider@news.example.org")
    if group is None:  # may use the admin, but belongs to no group at all
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    for method, url, data in every_tips_admin_request(new_tip.tip, stored_key):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert b"BEGIN PGP" not in response.content and b"PK\x03\x04" not in response.content

    assert not tips_menu_shown(client)
    # Nothing happened behind the refusals.
    assert Tip.objects.count() == 1 and TipReply.objects.count() == 1
    assert NewsroomKey.objects.get() == stored_key
    assert not TipAuditEntry.objects.filter(user=user).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, new_tip, stored_key):
    for method, url, data in every_tips_admin_request(new_tip.tip, stored_key):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Tip.objects.count() == 1


def test_tips_members_and_superusers_see_the_menu_and_every_page(
    client, django_user_model, new_tip, stored_key
):
    member = user_in(django_user_model, "Tips", "member")
    boss = django_user_model.objects.create_superuser("boss", "boss@news.example.org", "x")
    for user in (member, boss):
        client.force_login(user)
        assert tips_menu_shown(client)
        for name, args in [
            ("tips_admin:index", []),
            ("tips_admin:detail", [new_tip.tip.pk]),
            ("tips_admin:delete", [new_tip.tip.pk]),
            ("tips_admin:audit", []),
            ("tips_admin:keys", []),
            ("tips_admin:key_delete", [stored_key.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 200, name


# --- Cross-site request forgery ----------------------------------------------------------------


def csrf_token_from(client, url: str) -> str:
    page = client.get(url).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, url
    return match.group(1)


CSRF_ACTIONS = {
    # name: (url, data, the state to compare, what the action does when it goes through)
    "reply": (
        lambda tip, key: reverse("tips_admin:reply", args=[tip.pk]),
        {"text": REPLY_TEXT},
        lambda tip, key: TipReply.objects.count(),
        lambda tip, key: TipReply.objects.filter(tip=tip).count() == 1,
    ),
    "delete": (
        lambda tip, key: reverse("tips_admin:delete", args=[tip.pk]),
        {},
        lambda tip, key: Tip.objects.filter(pk=tip.pk).exists(),
        lambda tip, key: not Tip.objects.filter(pk=tip.pk).exists(),
    ),
    "test_tip": (
        lambda tip, key: reverse("tips_admin:test_tip"),
        {},
        lambda tip, key: Tip.objects.count(),
        lambda tip, key: Tip.objects.count() == 2,
    ),
    "add_key": (
        lambda tip, key: reverse("tips_admin:keys"),
        None,  # filled in with a fresh public key
        lambda tip, key: sorted(NewsroomKey.objects.values_list("fingerprint", flat=True)),
        lambda tip, key: NewsroomKey.objects.count() == 2,
    ),
    "remove_key": (
        lambda tip, key: reverse("tips_admin:key_delete", args=[key.pk]),
        {},
        lambda tip, key: NewsroomKey.objects.filter(pk=key.pk).exists(),
        lambda tip, key: not NewsroomKey.objects.filter(pk=key.pk).exists(),
    ),
}


@pytest.mark.parametrize("action", list(CSRF_ACTIONS))
def test_admin_posts_without_a_csrf_token_are_refused_and_change_nothing(
    django_user_model, new_tip, stored_key, action
):
    from masthead.testing.tips import make_key_pair

    member = user_in(django_user_model, "Tips", "tips-desk")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    url_of, data, state_of, went_through = CSRF_ACTIONS[action]
    tip = new_tip.tip
    url = url_of(tip, stored_key)
    if data is None:
        pair = make_key_pair("Forged desk <forged@news.example.org>")
        data = {"label": "Forged", "armored": pair.public_armored}
    before = state_of(tip, stored_key)
    audit_before = TipAuditEntry.objects.count()

    response = strict.post(url, data)

    assert response.status_code == 403, action
    assert state_of(tip, stored_key) == before
    assert not went_through(tip, stored_key)
    assert TipAuditEntry.objects.count() == audit_before
    assert Tip.objects.filter(pk=tip.pk).exists() and TipReply.objects.count() == 0
    assert NewsroomKey.objects.get() == stored_key

    # The same member, with the token the admin's own pages give, gets through: the 403
    # was the missing token, not a missing permission.
    token = csrf_token_from(strict, reverse("tips_admin:keys"))
    response = strict.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, action
    assert went_through(tip, stored_key)


def settings_url() -> str:
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["tips", "tipboxsettings", site.pk])


@pytest.mark.parametrize("group", ["Editors", "Writers", "Newsletter", "Finance"])
def test_only_the_tips_group_edits_the_tip_box_settings(client, django_user_model, group):
    address = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
    outsider = user_in(django_user_model, group, "outsider")
    client.force_login(outsider)
    assert client.get(settings_url()).status_code != 200
    client.post(settings_url(), {"securedrop_address": "http://evil.example/"})
    assert "tipboxsettings" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert TipBoxSettings.objects.filter(securedrop_address__contains="evil").count() == 0

    member = user_in(django_user_model, "Tips", "member")
    client.force_login(member)
    assert client.get(settings_url()).status_code == 200
    assert "tipboxsettings" in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(
        settings_url(), {"securedrop_address": address, "signal_contact": "tipsdesk.01"}
    )
    assert response.status_code == 302
    saved = TipBoxSettings.objects.get()
    assert (saved.securedrop_address, saved.signal_contact) == (address, "tipsdesk.01")


# --- The list ---------------------------------------------------------------------------------


def row_of(page: str, tip: Tip) -> str:
    start = page.index(f'<tr data-tip="{tip.pk}">')
    return page[start : page.index("</tr>", start)]


def test_the_list_shows_each_tip_and_where_its_conversation_stands(
    client, journalist, newsroom_key
):
    now = this_hour()
    # No reply yet, with files, two messages.
    waiting = submissions.open_tip("first", [bundles.Attachment("a.pdf", b"%PDF-1.4 data")])
    submissions.add_message(waiting.tip, "second", [])
    # Replied, not read yet.
    unread = submissions.open_tip("no files here", [])
    submissions.send_reply(unread.tip, journalist, "Got it")
    # Read by the source.
    read = submissions.open_tip("read", [])
    submissions.send_reply(read.tip, journalist, "Got it")
    TipReply.objects.filter(tip=read.tip).update(read_at=now)
    # The source wrote again after reading the reply.
    again = submissions.open_tip("again", [])
    submissions.send_reply(again.tip, journalist, "Got it")
    TipReply.objects.filter(tip=again.tip).update(read_at=now)
    submissions.add_message(again.tip, "and one more thing", [])  # the same hour as the reply
    Tip.objects.filter(pk=again.tip.pk).update(created_at=now - timedelta(days=2))

    # Activity: newest first; the waiting tip's last message is the oldest activity.
    Tip.objects.filter(pk=waiting.tip.pk).update(
        created_at=now - timedelta(days=5), last_message_at=now - timedelta(days=4)
    )
    TipMessage.objects.filter(tip=waiting.tip).update(received_at=now - timedelta(days=4))
    Tip.objects.filter(pk=unread.tip.pk).update(last_message_at=now - timedelta(hours=2))
    TipReply.objects.filter(tip=unread.tip).update(sent_at=now - timedelta(hours=1))
    Tip.objects.filter(pk=read.tip.pk).update(last_message_at=now - timedelta(hours=8))
    TipReply.objects.filter(tip=read.tip).update(sent_at=now - timedelta(hours=5))

    page = client.get(reverse("tips_admin:index")).content.decode()

    order = [page.index(f'<tr data-tip="{new.tip.pk}">') for new in (again, unread, read, waiting)]
    assert order == sorted(order)
    row = row_of(page, waiting.tip)
    assert f"#{waiting.tip.pk}" in row
    assert f"{now - timedelta(days=5):%Y-%m-%d %H}:00" in row
    assert f"{now - timedelta(days=4):%Y-%m-%d %H}:00" in row
    assert '<td data-column="messages">2</td>' in row
    size = sum(message.size for message in waiting.tip.messages.all())
    assert str(filesizeformat(size)) in row
    assert "Has files" in row
    assert "No reply yet" in row
    assert "No files" in row_of(page, unread.tip)
    assert "Replied, not yet read" in row_of(page, unread.tip)
    assert "Read by the source" in row_of(page, read.tip)
    assert "Source wrote after the last reply" in row_of(page, again.tip)
    assert "tip box is closed" not in page


def test_the_list_is_paginated(client, journalist):
    for number in range(52):
        Tip.objects.create(lookup=f"{number:064x}", reply_public_key=b"\0" * 32)
    first = client.get(reverse("tips_admin:index")).content.decode()
    second = client.get(reverse("tips_admin:index") + "?p=2").content.decode()
    assert first.count("<tr data-tip=") == 50 and second.count("<tr data-tip=") == 2
    assert "Page 1 of 2" in first


def test_a_closed_tip_box_is_announced_with_a_link_to_the_keys(client, journalist, no_newsroom_key):
    page = client.get(reverse("tips_admin:index")).content.decode()
    assert "The tip box is closed" in page
    assert f'href="{reverse("tips_admin:keys")}"' in page


# --- One tip: downloads -----------------------------------------------------------------------


def test_a_message_downloads_as_the_stored_ciphertext_that_the_newsroom_key_opens(
    client, journalist, new_tip, newsroom_key
):
    url = reverse("tips_admin:download_message", args=[new_tip.tip.pk, 1])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pgp-encrypted"
    assert response["Content-Disposition"] == (
        f'attachment; filename="tip-{new_tip.tip.pk}-message-1.gpg"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content == bytes(new_tip.tip.messages.get().ciphertext)
    bundle = newsroom_key.open_bundle(response.content)
    assert bundle["message.txt"] == b"The ledger is in the blue binder."
    assert bundle["files/ledger.csv"] == b"a,b\n1,2\n"

    armored = client.get(url + "?armor=1")
    assert armored["Content-Disposition"] == (
        f'attachment; filename="tip-{new_tip.tip.pk}-message-1.asc"'
    )
    assert armored.content.startswith(b"-----BEGIN PGP MESSAGE-----")
    assert newsroom_key.open_bundle(armored.content)["message.txt"] == (
        b"The ledger is in the blue binder."
    )
    assert (
        client.get(reverse("tips_admin:download_message", args=[new_tip.tip.pk, 2])).status_code
        == 404
    )


def test_the_how_to_box_commands_work_with_gnupg(
    client, journalist, new_tip, newsroom_key, tmp_path
):
    if newsroom_key.gnupg_home is None:
        pytest.skip("gpg is not installed")
    page = client.get(detail_url(new_tip.tip)).content.decode()
    name = f"tip-{new_tip.tip.pk}-message-1"
    assert f"gpg --decrypt {name}.gpg &gt; {name}.zip" in page
    downloaded = client.get(reverse("tips_admin:download_message", args=[new_tip.tip.pk, 1]))
    (tmp_path / f"{name}.gpg").write_bytes(downloaded.content)
    subprocess.run(
        [
            "gpg",
            "--homedir",
            str(newsroom_key.gnupg_home),
            "--batch",
            "--yes",
            "--output",
            f"{name}.zip",
            "--decrypt",
            f"{name}.gpg",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(tmp_path / f"{name}.zip") as bundle:
        assert sorted(bundle.namelist()) == ["about.txt", "files/ledger.csv", "message.txt"]
    assert "never open attachments on a networked machine" in page.lower()


def test_download_all_is_a_zip_of_every_message_and_reply_copy(
    client, journalist, new_tip, newsroom_key
):
    tip = new_tip.tip
    submissions.add_message(tip, "A second thought.", [])
    submissions.send_reply(tip, journalist, "Noted, thanks.")

    response = client.get(reverse("tips_admin:download_all", args=[tip.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="tip-{tip.pk}.zip"'
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == [
            f"tip-{tip.pk}-message-1.gpg",
            f"tip-{tip.pk}-message-2.gpg",
            f"tip-{tip.pk}-reply-1.gpg",
        ]
        files = {name: archive.read(name) for name in archive.namelist()}
    assert newsroom_key.open_bundle(files[f"tip-{tip.pk}-message-2.gpg"])["message.txt"] == (
        b"A second thought."
    )
    assert newsroom_key.decrypt(files[f"tip-{tip.pk}-reply-1.gpg"]) == b"Noted, thanks."
    single = client.get(reverse("tips_admin:download_reply", args=[tip.pk, 1]))
    assert single.content == files[f"tip-{tip.pk}-reply-1.gpg"]


def test_the_detail_page_lists_messages_and_replies(client, journalist, new_tip):
    submissions.send_reply(new_tip.tip, journalist, "Noted.")
    page = client.get(detail_url(new_tip.tip)).content.decode()
    assert f"tip-{new_tip.tip.pk}-message-1.gpg" in page
    assert f"tip-{new_tip.tip.pk}-reply-1.gpg" in page
    assert "tips-desk" in page and 'data-read="no"' in page
    assert "The ledger" not in page  # the server cannot read it, and does not pretend to


# --- Replies ----------------------------------------------------------------------------------


def test_a_reply_reaches_only_the_source_and_is_never_shown_again(
    client, journalist, new_tip, newsroom_key
):
    tip = new_tip.tip
    response = client.post(reverse("tips_admin:reply", args=[tip.pk]), {"text": REPLY_TEXT})
    assert response.status_code == 302 and response["Location"] == detail_url(tip)

    page = client.get(response["Location"]).content.decode()
    assert "Reply sealed: only the holder of this tip&#x27;s codename can read it." in page

    found, derived = submissions.find_tip(new_tip.codename)
    assert [opened.text for opened in submissions.read_replies(found, derived)] == [REPLY_TEXT]
    assert newsroom_key.decrypt(TipReply.objects.get().newsroom_copy) == REPLY_TEXT.encode()
    for url in (
        detail_url(tip),
        reverse("tips_admin:index"),
        reverse("tips_admin:audit"),
        reverse("tips_admin:delete", args=[tip.pk]),
    ):
        assert REPLY_MARKER not in client.get(url).content.decode(), url
    assert 'data-read="yes"' in client.get(detail_url(tip)).content.decode()


def test_an_empty_reply_is_refused(client, journalist, new_tip):
    response = client.post(reverse("tips_admin:reply", args=[new_tip.tip.pk]), {"text": "  "})
    assert response.status_code == 400
    assert "an empty reply is not sent" in response.content.decode()
    assert not TipReply.objects.exists()


def test_a_reply_without_a_newsroom_key_is_not_sent_and_not_lost(client, journalist, new_tip):
    with override_settings(MASTHEAD_TIPS_PUBLIC_KEYS=""):
        response = client.post(
            reverse("tips_admin:reply", args=[new_tip.tip.pk]), {"text": REPLY_TEXT}
        )
    assert response.status_code == 409
    assert "The reply was not sent" in response.content.decode()
    assert not TipReply.objects.exists()


def test_replying_needs_the_change_permission(client, django_user_model, new_tip):
    from django.contrib.auth.models import Permission

    reader = user_in(django_user_model, None, "reader")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_tip"])
    )
    client.force_login(reader)
    assert "Seal and send" not in client.get(detail_url(new_tip.tip)).content.decode()
    response = client.post(reverse("tips_admin:reply", args=[new_tip.tip.pk]), {"text": "Hi"})
    assert response.status_code == 403 and not TipReply.objects.exists()
    assert client.get(reverse("tips_admin:delete", args=[new_tip.tip.pk])).status_code == 403


# --- Delete -----------------------------------------------------------------------------------


def test_delete_asks_first_then_removes_everything(client, journalist, new_tip):
    tip = new_tip.tip
    submissions.send_reply(tip, journalist, "Noted.")
    url = reverse("tips_admin:delete", args=[tip.pk])

    confirm = client.get(url)
    assert "1 message and 1 reply will be deleted" in confirm.content.decode()
    assert Tip.objects.filter(pk=tip.pk).exists()

    response = client.post(url, follow=True)
    assert f"Tip #{tip.pk} was deleted" in response.content.decode()
    assert not Tip.objects.exists()
    assert not TipMessage.objects.exists() and not TipReply.objects.exists()
    assert submissions.find_tip(new_tip.codename)[0] is None
    entry = TipAuditEntry.objects.get(action=TipAuditEntry.DELETED)
    assert (entry.user, entry.tip_number) == (journalist, tip.pk)
    assert client.get(detail_url(tip)).status_code == 404


def test_times_shown_are_the_stored_hours(client, journalist, new_tip):
    page = client.get(detail_url(new_tip.tip)).content.decode()
    received = timezone.localtime(new_tip.tip.messages.get().received_at)
    assert f"{received:%Y-%m-%d %H}:00" in page


# --- The demo ---------------------------------------------------------------------------------


def test_the_demo_makes_a_key_and_a_tip_once(
    client, journalist, no_newsroom_key, settings, tmp_path
):
    import pysequoia

    from masthead.testing.tips import NewsroomKeyPair, _quiet
    from masthead.tips import demo

    settings.DATA_DIR = tmp_path
    report = demo.load_demo_tips()

    key = NewsroomKey.objects.get()
    assert key.label == "Demo key (do not use for real tips)" and "PRIVATE" not in key.armored
    secret_file = tmp_path / "demo-tips-secret-key.asc"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    armored_secret = secret_file.read_text()
    assert "PRIVATE KEY" in armored_secret
    key_lines = [line for line in armored_secret.splitlines() if len(line) > 40 and ":" not in line]
    assert key_lines and not any(line in " ".join(report) for line in key_lines)
    # Whoever tries the demo can decrypt its tip and the newsroom's copy of the reply.
    pair = NewsroomKeyPair(
        _quiet(pysequoia.Tsk.from_bytes, armored_secret.encode()), key.armored, key.fingerprint
    )
    tip = Tip.objects.get()
    assert b"procurement office" in pair.open_bundle(tip.messages.get().ciphertext)["message.txt"]
    assert b"Tor Browser" in pair.decrypt(tip.replies.get().newsroom_copy)
    assert f'<tr data-tip="{tip.pk}">' in client.get(reverse("tips_admin:index")).content.decode()

    assert demo.load_demo_tips() == []
    assert NewsroomKey.objects.count() == 1 and Tip.objects.count() == 1
    assert TipReply.objects.count() == 1
    assert secret_file.read_text() == armored_secret


def test_the_demo_uses_a_configured_key_and_makes_none(newsroom_key, settings, tmp_path):
    from masthead.tips import demo

    settings.DATA_DIR = tmp_path
    demo.load_demo_tips()
    assert not NewsroomKey.objects.exists()
    assert not (tmp_path / "demo-tips-secret-key.asc").exists()
    tip = Tip.objects.get()
    assert b"procurement" in newsroom_key.open_bundle(tip.messages.get().ciphertext)["message.txt"]
