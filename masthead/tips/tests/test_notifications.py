"""Telling the Tips group that tips came: the worker's hourly notice, through a real SMTP
server, to every active member who has an address (one e-mail each), with the tips' numbers and
links to them in the admin, and not a word of what the sources wrote. Nothing is queued when a
tip arrives."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from masthead.tips import bundles, submissions
from masthead.tips.notifications import tell_newsroom

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


def test_new_tips_are_announced_hourly_without_their_content(
    client, newsroom, newsroom_key, smtp_server
):
    new = submissions.open_tip(
        f"The {MARKER} is real.", [bundles.Attachment(f"{MARKER}.pdf", b"%PDF-1.4")]
    )
    # Nothing goes out, and nothing is queued, when the tip arrives.
    assert smtp_server.inbox.mails == []
    assert not DBTaskResult.objects.filter(task_path__contains="tips").exists()

    tell_newsroom()
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

    # Told once: the next hour, with nothing new, sends nothing.
    tell_newsroom()
    assert len(smtp_server.inbox.mails) == 2


def test_a_follow_up_is_announced_too(newsroom, newsroom_key, smtp_server):
    tip = submissions.open_tip("first", []).tip
    other = submissions.open_tip("second", []).tip
    tell_newsroom()
    submissions.add_message(tip, f"More about {MARKER}.", [])
    tell_newsroom()
    later = smtp_server.inbox.mails[2:]
    assert len(later) == 2
    assert f"Tip #{tip.pk}:" in later[0].text and f"Tip #{other.pk}:" not in later[0].text
    assert MARKER not in later[0].raw.decode(errors="replace")


def test_several_tips_make_one_notice(newsroom, newsroom_key, smtp_server):
    numbers = [submissions.open_tip(f"tip {n}", []).tip.pk for n in range(3)]
    tell_newsroom()
    assert len(smtp_server.inbox.mails) == 2
    text = smtp_server.inbox.mails[0].text
    assert all(f"Tip #{number}:" in text for number in numbers)
    assert "3 tips" in smtp_server.inbox.mails[0].subject


def test_notices_can_be_turned_off(newsroom, newsroom_key, smtp_server):
    submissions.open_tip("Anyone there?", [])
    with override_settings(MASTHEAD_TIPS_NOTIFY=False):
        tell_newsroom()
    assert smtp_server.inbox.mails == []


def test_members_without_addresses_get_nothing(newsroom_key, smtp_server, django_user_model):
    member = django_user_model.objects.create_user(username="noemail", email="", password="x")
    member.groups.add(Group.objects.get(name="Tips"))
    submissions.open_tip("Anyone there?", [])
    assert "No member of the Tips group has an e-mail address" in tell_newsroom()
    assert smtp_server.inbox.mails == []
