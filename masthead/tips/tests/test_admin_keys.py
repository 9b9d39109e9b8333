"""The tip box's keys in the admin: the keys from settings and those added here, with full
fingerprints and expiry warnings; adding a public key (pasted or uploaded) opens the tip box,
while private keys, garbage and duplicates are refused with a reason and never stored; removing
asks first; a test tip lets journalists check they can decrypt."""

import time
from datetime import UTC

import pysequoia
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masthead.testing.tips import make_key_pair
from masthead.tips import encryption, submissions
from masthead.tips.admin_views import grouped
from masthead.tips.models import NewsroomKey, Tip, TipAuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(client, django_user_model):
    user = django_user_model.objects.create_user(username="tips-desk", password="x")
    user.groups.add(Group.objects.get(name="Tips"))
    client.force_login(user)
    return user


def keys_url() -> str:
    return reverse("tips_admin:keys")


def row_of(page: str, fingerprint: str) -> str:
    start = page.index(f'data-fingerprint="{fingerprint}"')
    return page[start : page.index("</tr>", start)]


def test_the_settings_key_is_listed_with_its_full_fingerprint_and_cannot_be_removed(
    client, journalist, newsroom_key
):
    page = client.get(keys_url()).content.decode()
    row = row_of(page, newsroom_key.fingerprint)
    assert "data-from-settings" in row and "From settings" in row
    assert grouped(newsroom_key.fingerprint) in row
    assert len(grouped(newsroom_key.fingerprint).split()) == 10
    assert "Tips desk &lt;tips@news.example.org&gt;" in row
    assert "Remove" not in row and "Never" in row


def test_adding_a_pasted_key_opens_a_closed_tip_box(client, journalist, no_newsroom_key):
    pair = make_key_pair("Night desk <night@news.example.org>")
    assert "The tip box is closed" in client.get(keys_url()).content.decode()

    response = client.post(keys_url(), {"label": "Night desk", "armored": pair.public_armored})

    assert response.status_code == 302
    key = NewsroomKey.objects.get()
    assert (key.label, key.fingerprint, key.added_by) == (
        "Night desk",
        pair.fingerprint,
        journalist,
    )
    assert "PRIVATE" not in key.armored
    page = client.get(keys_url()).content.decode()
    assert "Key added" in page and grouped(pair.fingerprint) in page
    assert "The tip box is closed" not in page
    # Sources can write again, and the new key's owner reads what they send.
    new = submissions.open_tip("Now it works.", [])
    assert pair.open_bundle(new.tip.messages.get().ciphertext)["message.txt"] == b"Now it works."
    entry = TipAuditEntry.objects.get(action=TipAuditEntry.KEY_ADDED)
    assert entry.user == journalist and pair.fingerprint in entry.detail


def test_with_a_settings_key_and_an_added_key_each_one_alone_opens_a_new_tip(
    client, journalist, newsroom_key
):
    second = make_key_pair("Second desk <second@news.example.org>")
    assert second.fingerprint != newsroom_key.fingerprint
    response = client.post(keys_url(), {"label": "Second desk", "armored": second.public_armored})
    assert response.status_code == 302
    assert NewsroomKey.objects.get().fingerprint == second.fingerprint

    new = submissions.open_tip("Both desks should read this.", [])

    stored = new.tip.messages.get()
    for pair in (newsroom_key, second):  # each private key on its own, as on two laptops
        assert pair.open_bundle(stored.ciphertext)["message.txt"] == (
            b"Both desks should read this."
        )
    recipients = stored.recipients.split(",")
    assert sorted(recipients) == sorted([newsroom_key.fingerprint, second.fingerprint])


def test_a_key_can_be_uploaded_as_a_file(client, journalist, newsroom_key):
    pair = make_key_pair("Upload <upload@news.example.org>")
    upload = SimpleUploadedFile("desk.asc", pair.public_armored.encode(), "application/pgp-keys")

    response = client.post(keys_url(), {"label": "Uploaded", "file": upload})

    assert response.status_code == 302
    assert NewsroomKey.objects.get().fingerprint == pair.fingerprint


def test_a_private_key_is_refused_never_stored_and_not_echoed(client, journalist, newsroom_key):
    pair = make_key_pair()
    secret = str(pair.secret)
    assert "PRIVATE KEY" in secret

    response = client.post(keys_url(), {"label": "Oops", "armored": secret})

    page = response.content.decode()
    assert response.status_code == 400
    assert "This is a private key. Only give the tip box the public key." in page
    assert not NewsroomKey.objects.exists()
    key_lines = [line for line in secret.splitlines() if len(line) > 40 and ":" not in line]
    assert key_lines and not any(line in page for line in key_lines)
    assert not TipAuditEntry.objects.exists()

    upload = SimpleUploadedFile("secret.asc", secret.encode())
    response = client.post(keys_url(), {"label": "Oops", "file": upload})
    assert "This is a private key." in response.content.decode()
    assert not NewsroomKey.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"armored": "hello, I am a key"}, "This is not an OpenPGP public key."),
        ({"armored": ""}, "Paste a public key or upload a key file."),
        (
            {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not text")},
            "This file is not an ASCII-armored key",
        ),
    ],
)
def test_garbage_is_refused(client, journalist, newsroom_key, data, error):
    response = client.post(keys_url(), {"label": "Garbage", **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not NewsroomKey.objects.exists()


def test_a_key_already_there_is_refused(client, journalist, newsroom_key):
    pair = make_key_pair()
    client.post(keys_url(), {"label": "First", "armored": pair.public_armored})

    again = client.post(keys_url(), {"label": "Again", "armored": pair.public_armored})
    from_settings = client.post(
        keys_url(), {"label": "Settings", "armored": newsroom_key.public_armored}
    )

    assert f"The key {pair.fingerprint} is already in the tip box (First)." in (
        again.content.decode()
    )
    assert "already in the tip box (from settings)" in from_settings.content.decode()
    assert NewsroomKey.objects.count() == 1


def test_removing_a_key_asks_first(client, journalist, newsroom_key):
    pair = make_key_pair()
    key = NewsroomKey.objects.create(
        label="Old desk", armored=pair.public_armored, fingerprint=pair.fingerprint
    )
    url = reverse("tips_admin:key_delete", args=[key.pk])
    assert f'href="{url}"' in row_of(client.get(keys_url()).content.decode(), pair.fingerprint)

    confirm = client.get(url).content.decode()
    assert "New tips will no longer be encrypted to" in confirm
    assert "data-last-key" not in confirm  # the settings key is still there
    assert NewsroomKey.objects.exists()

    response = client.post(url, follow=True)
    assert "removed" in response.content.decode()
    assert not NewsroomKey.objects.exists()
    entry = TipAuditEntry.objects.get(action=TipAuditEntry.KEY_REMOVED)
    assert entry.user == journalist and pair.fingerprint in entry.detail


def test_removing_the_last_key_warns_that_the_tip_box_closes(client, journalist, no_newsroom_key):
    pair = make_key_pair()
    key = NewsroomKey.objects.create(
        label="Only desk", armored=pair.public_armored, fingerprint=pair.fingerprint
    )
    confirm = client.get(reverse("tips_admin:key_delete", args=[key.pk])).content.decode()
    assert "data-last-key" in confirm and "the tip box closes" in confirm


def _quiet_generate(user_id: str, seconds: int) -> pysequoia.Tsk:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pysequoia.Tsk.generate(
            user_id, profile=pysequoia.Profile.RFC4880, validity_seconds=seconds
        )


def _public(secret: pysequoia.Tsk) -> str:
    return str(secret.extract_certificate()).replace("PRIVATE KEY", "PUBLIC KEY")


def _cert(secret: pysequoia.Tsk) -> pysequoia.Cert:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pysequoia.Cert.from_bytes(_public(secret).encode())


def test_keys_expiring_soon_or_expired_are_flagged(client, journalist, newsroom_key):
    soon = _quiet_generate("Soon <soon@news.example.org>", 10 * 24 * 3600)
    later = _quiet_generate("Later <later@news.example.org>", 300 * 24 * 3600)
    brief = _quiet_generate("Brief <brief@news.example.org>", 1)
    for label, secret in (("Soon", soon), ("Later", later)):
        response = client.post(keys_url(), {"label": label, "armored": _public(secret)})
        assert response.status_code == 302
    brief_public = _public(brief)
    brief_fingerprint = _cert(brief).fingerprint.upper()
    # Stored while it was still valid; it has expired since.
    expires_at = _cert(brief).expiration.replace(tzinfo=UTC)
    NewsroomKey.objects.create(
        label="Brief", armored=brief_public, fingerprint=brief_fingerprint, expires_at=expires_at
    )
    time.sleep(1.5)

    page = client.get(keys_url()).content.decode()

    assert 'data-expiry="soon"' in row_of(page, _cert(soon).fingerprint.upper())
    later_row = row_of(page, _cert(later).fingerprint.upper())
    assert "data-expiry" not in later_row
    assert 'data-expiry="expired"' in row_of(page, brief_fingerprint)
    # An expired key is not used for new tips.
    fingerprints = {cert.fingerprint for cert in encryption.newsroom_certs()}
    assert brief_fingerprint not in fingerprints and _cert(soon).fingerprint.upper() in fingerprints


def test_a_test_tip_arrives_like_any_tip_and_decrypts(client, journalist, newsroom_key):
    response = client.post(reverse("tips_admin:test_tip"))

    tip = Tip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tips_admin:detail", args=[tip.pk])
    text = newsroom_key.open_bundle(tip.messages.get().ciphertext)["message.txt"].decode()
    assert text.startswith("This is a test tip from tips-desk")
    entry = TipAuditEntry.objects.get(action=TipAuditEntry.TEST_TIP)
    assert (entry.user, entry.tip_number) == (journalist, tip.pk)
    assert f'<tr data-tip="{tip.pk}">' in client.get(reverse("tips_admin:index")).content.decode()


def test_no_test_tip_without_a_key(client, journalist, no_newsroom_key):
    response = client.post(reverse("tips_admin:test_tip"), follow=True)
    assert "The tip box is closed" in response.content.decode()
    assert not Tip.objects.exists()
    assert not TipAuditEntry.objects.exists()
