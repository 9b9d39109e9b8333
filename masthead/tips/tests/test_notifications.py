"""Telling the Tips group that a tip came: one e-mail, through a real SMTP server, to every
active member who has an address, with the tip's number and a link to it in the admin, and not
a word of what the source wrote."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from masthead.tips import bundles, submissions

pytestmark = pytest.mark.django_db

MARKER = "falcon-ledger-5521"


@pytest.fixture
def newsroom(django_user_model):
    tips = Group.objects.get(name="Tips")
    people = {}
    for username, email, active, group in [
        ("ana", "ana@news.example.org", True, tips),
        ("ben", "ben@news.example.org", True, tips),
        ("gone", "gone@news.example.org", False, tips),
        ("noaddress", "", True, tips),
        ("editor", "editor@news.example.org", True, Group.objects.get(name="Editors")),
    ]:
        user = django_user_model.objects.create_user(
            username=username, email=email, is_active=active, password="x"
        )
        user.groups.add(group)
        people[username] = user
    return people


def test_a_new_tip_is_announced_without_its_content(
    client, newsroom, newsroom_key, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = submissions.open_tip(
            f"The {MARKER} is real.", [bundles.Attachment(f"{MARKER}.pdf", b"%PDF-1.4")]
        )

    # One message each: members do not see who else is on the tips desk.
    assert sorted(mail.recipients for mail in smtp_server.inbox.mails) == [
        ["ana@news.example.org"],
        ["ben@news.example.org"],
    ]
    mail = smtp_server.inbox.mails[0]
    assert "ben@" not in mail.raw.decode() or "ana@" not in mail.raw.decode()
    number = new.tip.pk
    assert f"#{number}" in mail.subject and f"Tip #{number}" in mail.text
    path = reverse("tips_admin:detail", args=[number])
    assert settings.WAGTAILADMIN_BASE_URL + path in mail.text
    assert MARKER not in mail.raw.decode(errors="replace")
    assert new.codename not in mail.text
    # The link opens the tip for a member.
    client.force_login(newsroom["ana"])
    assert client.get(path).status_code == 200


def test_a_follow_up_is_announced_too(
    newsroom, newsroom_key, smtp_server, django_capture_on_commit_callbacks
):
    tip = submissions.open_tip("first", []).tip
    with django_capture_on_commit_callbacks(execute=True):
        submissions.add_message(tip, f"More about {MARKER}.", [])
    assert len(smtp_server.inbox.mails) == 2
    assert f"Tip #{tip.pk} has a new message" in smtp_server.inbox.mails[0].text
    assert MARKER not in smtp_server.inbox.mails[0].raw.decode(errors="replace")


def test_nobody_to_tell_sends_nothing(
    newsroom_key, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submissions.open_tip("Anyone there?", [])
    assert smtp_server.inbox.mails == []
