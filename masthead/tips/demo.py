"""The demo's tip box: a key to encrypt to, and one tip with a reply, so the admin's tip pages
show something and someone trying the demo can decrypt it.

A real newsroom's private key never comes near the server. The demo has no newsroom, so when no
key is configured (in settings or in the admin) it makes a throwaway key pair: the public half
becomes a `NewsroomKey` labelled as a demo key, and the private half is written to
`DATA_DIR/demo-tips-secret-key.asc` (readable by its owner only) for whoever tries the demo:

    gpg --import var/demo-tips-secret-key.asc
    gpg --decrypt tip-1-message-1.gpg > tip-1-message-1.zip

Never use that key, or a tip box holding it, for real tips. Safe to run again: the key is made
only while there is none, and the demo tip only while the tip box is empty. The demo tip's
codename is thrown away, like every codename.
"""

from __future__ import annotations

import os
from pathlib import Path

import pysequoia
from django.conf import settings
from django.contrib.auth import get_user_model

from masthead.tips import encryption, submissions
from masthead.tips.models import NewsroomKey, Tip

DEMO_KEY_LABEL = "Demo key (do not use for real tips)"
DEMO_KEY_USER_ID = "Demo tips desk (do not use for real tips) <tips@demo.invalid>"
DEMO_KEY_FILE_NAME = "demo-tips-secret-key.asc"
DEMO_AUTHOR = "demo-tips-desk"
DEMO_TIP = (
    "Hello. I work in the city's procurement office. The new water-meter contract was signed "
    "before the tender closed, and the winning bid was written by someone at the winning "
    "company. I have copies of the e-mails. How can I send them safely?\n\n"
    "(This is a demo tip: made up, like everything in the demo newsroom.)"
)
DEMO_REPLY = (
    "Thank you for writing to us. Please don't send anything from a work computer or phone. "
    "Come back here with your codename from a personal device, ideally with Tor Browser, "
    "and upload the e-mails: they are encrypted before they reach our server.\n\n"
    "(A demo reply.)"
)


def demo_secret_key_path() -> Path:
    return Path(settings.DATA_DIR) / DEMO_KEY_FILE_NAME


def make_demo_key() -> NewsroomKey:
    """A new demo key pair: the public half stored as a NewsroomKey, the private half written
    to the data folder with mode 0600."""
    secret = pysequoia.Tsk.generate(DEMO_KEY_USER_ID, profile=pysequoia.Profile.RFC4880)
    public = str(secret.extract_certificate()).replace("PRIVATE KEY", "PUBLIC KEY")
    cert = encryption.parse_public_keys(public)[0]
    path = demo_secret_key_path()
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as key_file:
        key_file.write(str(secret))
    return NewsroomKey.objects.create(
        label=DEMO_KEY_LABEL,
        armored=cert.armored,
        fingerprint=cert.fingerprint,
        expires_at=cert.expires_at,
    )


def demo_author():
    """Who signs the demo reply: the first superuser, or else an inactive placeholder account
    that cannot sign in."""
    User = get_user_model()
    author = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if author is not None:
        return author
    author, created = User.objects.get_or_create(
        username=DEMO_AUTHOR, defaults={"is_active": False, "first_name": "Demo tips desk"}
    )
    if created:
        author.set_unusable_password()
        author.save(update_fields=["password"])
    return author


def load_demo_tips() -> list[str]:
    """Add what is missing of the demo's tip box; returns what was added (for the report)."""
    created: list[str] = []
    if not encryption.configured_public_keys() and not NewsroomKey.objects.exists():
        key = make_demo_key()
        created.append(
            f"tip box demo key {key.fingerprint} (its private key: {demo_secret_key_path()})"
        )
    if Tip.objects.exists() or not encryption.tip_box_is_open():
        return created
    new = submissions.open_tip(DEMO_TIP, [])
    submissions.send_reply(new.tip, demo_author(), DEMO_REPLY)
    created.append(f"demo tip #{new.tip.pk} with a reply")
    return created
