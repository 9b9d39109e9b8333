"""The tip box's core, below the views: what is stored is ciphertext that the newsroom's key
(and real GnuPG) opens; a codename finds its tip and opens its replies, and nothing else does."""

import subprocess

import pytest

from masthead.testing.tips import make_key_pair
from masthead.tips import bundles, codenames, encryption, submissions

pytestmark = pytest.mark.django_db


def test_a_tip_is_stored_encrypted_and_opens_with_the_newsroom_key(newsroom_key):
    new = submissions.open_tip(
        "The ledger is in the blue binder.", [bundles.Attachment("../../ledger.csv", b"a,b\n1,2\n")]
    )
    stored = new.tip.messages.get()
    assert b"blue binder" not in bytes(stored.ciphertext)
    bundle = newsroom_key.open_bundle(stored.ciphertext)
    assert bundle["message.txt"] == b"The ledger is in the blue binder."
    # A name with folders in it cannot unpack outside the journalist's folder.
    assert bundle["files/ledger.csv"] == b"a,b\n1,2\n"
    assert stored.recipients == newsroom_key.fingerprint
    assert stored.received_at.minute == 0 and stored.received_at.second == 0


def test_gnupg_decrypts_what_the_tip_box_stores(newsroom_key):
    if newsroom_key.gnupg_home is None:
        pytest.skip("gpg is not installed")
    encrypted = encryption.encrypt_for_newsroom("Grüße, 你好 ✓".encode())
    result = subprocess.run(
        ["gpg", "--homedir", str(newsroom_key.gnupg_home), "--batch", "--decrypt"],
        input=encrypted.ciphertext,
        capture_output=True,
        check=False,
    )
    assert result.stdout == "Grüße, 你好 ✓".encode(), result.stderr


def test_the_codename_finds_the_tip_and_opens_replies_and_nothing_else_does(
    newsroom_key, django_user_model
):
    new = submissions.open_tip("first", [])
    assert len(new.codename.split()) == codenames.CODENAME_WORDS
    assert codenames.codename_bits() >= 80
    typed_sloppily = "  " + new.codename.upper().replace(" ", "\n  ", 1) + " "
    tip, derived = submissions.find_tip(typed_sloppily)
    assert tip == new.tip
    journalist = django_user_model.objects.create(username="ana")
    submissions.send_reply(tip, journalist, "Thank you. Can you send the invoice?")
    assert [opened.text for opened in submissions.read_replies(tip, derived)] == [
        "Thank you. Can you send the invoice?"
    ]
    assert tip.replies.get().read_at is not None
    # The newsroom keeps its own copy, readable only with its key.
    copy = tip.replies.get().newsroom_copy
    assert newsroom_key.decrypt(copy) == b"Thank you. Can you send the invoice?"

    stranger, stranger_derived = submissions.find_tip(codenames.new_codename())
    assert stranger is None
    with pytest.raises(encryption.ReplyUnreadable):
        encryption.open_reply(tip.replies.get().sealed, stranger_derived.reply_key)


def test_without_a_newsroom_key_nothing_is_accepted(no_newsroom_key):
    assert not encryption.tip_box_is_open()
    with pytest.raises(encryption.TipBoxClosed):
        submissions.open_tip("anything", [])


@pytest.mark.parametrize("bad", ["private", "garbage", "empty"])
def test_only_usable_public_keys_are_accepted(bad):
    pair = make_key_pair()
    armored = {"private": str(pair.secret), "garbage": "hello", "empty": ""}[bad]
    with pytest.raises(encryption.KeyRejected):
        encryption.parse_public_keys(armored)
    assert encryption.parse_public_keys(pair.public_armored)[0].fingerprint == pair.fingerprint
