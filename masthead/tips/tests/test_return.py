"""A source comes back with the codename: the newsroom's replies are there (and only that tip's),
a wrong codename gets one answer whatever it is, and a follow-up reaches the newsroom encrypted.
The follow-up form carries a signed token that expires, never the codename."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.tips import codenames, submissions, views
from masthead.tips.models import Tip, TipMessage

pytestmark = pytest.mark.django_db

RETURN = "/tips/return/"
FOLLOW_UP = "/tips/return/message/"
TOKEN = re.compile(r'<input type="hidden" name="token" value="([^"]+)">')


@pytest.fixture
def journalist(django_user_model):
    return django_user_model.objects.create(username="ana")


def sign_in(client, codename: str):
    return client.post(RETURN, {"codename": codename})


def token_on(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def test_the_codename_opens_the_thread_with_the_newsrooms_replies(
    client, newsroom, newsroom_key, journalist
):
    new = submissions.open_tip("first message", [])
    submissions.send_reply(new.tip, journalist, "Thank you.\nCan you send the invoice?")
    submissions.send_reply(new.tip, journalist, "We are checking it now.")
    page = client.get(RETURN)
    assert page.status_code == 200
    assert 'name="codename"' in page.content.decode()

    response = sign_in(client, "  " + new.codename.upper() + "\n")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies == {}
    html = response.content.decode()
    first, second = html.index("Can you send the invoice?"), html.index("We are checking it now.")
    assert first < second  # newest last
    assert "Sent around" in html
    # The follow-up form names the tip with a token, not with the codename.
    assert new.codename not in html
    assert 'action="/tips/return/message/"' in html
    assert signing.loads(token_on(response), salt=views.FOLLOW_UP_SALT) == {"tip": new.tip.pk}
    assert new.tip.replies.filter(read_at__isnull=True).count() == 0


def test_a_wrong_codename_gets_the_same_answer_whether_or_not_it_is_close(
    client, newsroom, newsroom_key, monkeypatch
):
    new = submissions.open_tip("first message", [])
    words = new.codename.split(" ")
    typo = " ".join([*words[:-1], "zzzz" if words[-1] != "zzzz" else "abbey"])
    never = codenames.new_codename()
    derived = []
    real_derive = codenames.derive
    monkeypatch.setattr(codenames, "derive", lambda typed: derived.append(1) or real_derive(typed))
    answers = [sign_in(client, attempt) for attempt in (typo, never, "", "x" * 5000)]
    assert len(derived) == 4  # the slow check ran for every attempt, even hopeless ones
    for response in answers:
        assert response.status_code == 400
        assert "That codename does not open a tip." in response.content.decode()
    first = answers[0].content
    assert all(response.content == first for response in answers)


def test_a_follow_up_reaches_the_newsroom_encrypted(client, newsroom, newsroom_key):
    new = submissions.open_tip("first message", [])
    token = token_on(sign_in(client, new.codename))
    response = client.post(
        FOLLOW_UP,
        {
            "token": token,
            "message": "And the second ledger is in the safe.",
            "files": [SimpleUploadedFile("ledger2.csv", b"x,y\n3,4\n")],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your message was sent" in html
    assert "sign in again with your codename" in html
    later = TipMessage.objects.filter(tip=new.tip).order_by("pk").last()
    assert TipMessage.objects.filter(tip=new.tip).count() == 2
    assert b"second ledger" not in bytes(later.ciphertext)
    bundle = newsroom_key.open_bundle(later.ciphertext)
    assert bundle["message.txt"] == b"And the second ledger is in the safe."
    assert bundle["files/ledger2.csv"] == b"x,y\n3,4\n"


@pytest.mark.parametrize("problem", ["tampered", "expired", "other salt", "missing"])
def test_a_bad_follow_up_token_asks_to_sign_in_again_and_stores_nothing(
    client, newsroom, newsroom_key, problem, monkeypatch
):
    new = submissions.open_tip("first message", [])
    token = views.follow_up_token(new.tip)
    if problem == "tampered":
        other = Tip.objects.create(lookup="0" * 64, reply_public_key=b"\x01" * 32)
        forged = signing.dumps({"tip": other.pk}, salt=views.FOLLOW_UP_SALT).partition(":")[0]
        token = f"{forged}:{token.partition(':')[2]}"
    elif problem == "expired":
        monkeypatch.setattr(views, "FOLLOW_UP_MAX_AGE_SECONDS", -1)
    elif problem == "other salt":
        token = signing.dumps({"tip": new.tip.pk}, salt="masthead.newsletter")
    else:
        token = ""
    response = client.post(FOLLOW_UP, {"token": token, "message": "kept?"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please sign in again" in html
    assert "Nothing was sent." in html
    assert TipMessage.objects.count() == 1


def test_a_deleted_tip_takes_its_follow_up_form_with_it(client, newsroom, newsroom_key):
    new = submissions.open_tip("first message", [])
    token = views.follow_up_token(new.tip)
    Tip.objects.all().delete()
    response = client.post(FOLLOW_UP, {"token": token, "message": "hello?"})
    assert response.status_code == 400
    assert not TipMessage.objects.exists()


def test_one_tips_replies_never_show_to_another_tips_codename(
    client, newsroom, newsroom_key, journalist
):
    tip_a = submissions.open_tip("from A", [])
    tip_b = submissions.open_tip("from B", [])
    submissions.send_reply(tip_a.tip, journalist, "Only for A: meet at noon.")
    submissions.send_reply(tip_b.tip, journalist, "Only for B: call us.")
    html_b = sign_in(client, tip_b.codename).content.decode()
    assert "Only for B: call us." in html_b
    assert "meet at noon" not in html_b
    html_a = sign_in(client, tip_a.codename).content.decode()
    assert "meet at noon" in html_a and "call us" not in html_a
    # B's token adds to B only.
    client.post(FOLLOW_UP, {"token": token_on(sign_in(client, tip_b.codename)), "message": "B2"})
    assert tip_a.tip.messages.count() == 1 and tip_b.tip.messages.count() == 2


def test_a_signed_in_source_is_told_when_the_box_has_closed_since(
    client, newsroom, newsroom_key, journalist, settings
):
    new = submissions.open_tip("first message", [])
    submissions.send_reply(new.tip, journalist, "Still here.")
    settings.MASTHEAD_TIPS_PUBLIC_KEYS = ""
    html = sign_in(client, new.codename).content.decode()
    assert "Still here." in html  # replies open with the codename alone
    assert "The tip box is closed for now" in html and "<textarea" not in html
    response = client.post(FOLLOW_UP, {"token": views.follow_up_token(new.tip), "message": "x"})
    assert response.status_code == 503
    assert new.tip.messages.count() == 1
