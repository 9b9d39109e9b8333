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


def test_a_private_key_relabelled_as_public_is_still_refused():
    # Only the armour lines say "PUBLIC": the packets inside are still the secret key, which
    # the check of the parsed certificate (not of the text) must catch.
    pair = make_key_pair()
    disguised = str(pair.secret).replace("PRIVATE KEY", "PUBLIC KEY")
    assert "PRIVATE KEY" not in disguised and "BEGIN PGP PUBLIC KEY BLOCK" in disguised
    with pytest.raises(encryption.KeyRejected, match="This is a private key"):
        encryption.parse_public_keys(disguised)


def test_the_bundle_says_only_the_hour(newsroom_key):
    import io
    import zipfile

    stored = submissions.open_tip("when?", [bundles.Attachment("a.txt", b"a")]).tip.messages.get()
    plain = newsroom_key.decrypt(stored.ciphertext)
    with zipfile.ZipFile(io.BytesIO(plain)) as bundle:
        stamps = {entry.filename: entry.date_time for entry in bundle.infolist()}
    hour = stored.received_at.timetuple()[:4]
    assert set(stamps) == {"message.txt", "files/a.txt", "about.txt"}
    assert all(stamp[:4] == hour and stamp[4:] == (0, 0) for stamp in stamps.values())


def test_an_expired_or_unreadable_settings_key_does_not_close_the_box(settings, tmp_path):
    from masthead.tips.models import NewsroomKey

    admin_key = make_key_pair()
    NewsroomKey.objects.create(
        label="Desk", armored=admin_key.public_armored, fingerprint=admin_key.fingerprint
    )
    settings.MASTHEAD_TIPS_PUBLIC_KEYS = ""
    settings.MASTHEAD_TIPS_PUBLIC_KEYS_FILE = str(tmp_path / "missing.asc")
    assert [cert.fingerprint for cert in encryption.newsroom_certs()] == [admin_key.fingerprint]
    message = submissions.open_tip("still open", []).tip.messages.get()
    assert admin_key.decrypt(message.ciphertext)


def test_the_desk_sees_when_the_source_wrote_after_a_reply(newsroom_key, django_user_model):
    from masthead.tips.models import Tip

    journalist = django_user_model.objects.create(username="ana")
    new = submissions.open_tip("first", [])
    assert Tip.objects.get(pk=new.tip.pk).awaiting_reply
    submissions.send_reply(new.tip, journalist, "Thanks.")
    assert not Tip.objects.get(pk=new.tip.pk).awaiting_reply
    # Within the same hour: hours alone could not tell which came last.
    submissions.add_message(new.tip, "One more thing.", [])
    assert Tip.objects.get(pk=new.tip.pk).awaiting_reply
