"""A real newsroom key pair for the tip box tests.

`newsroom_key` is made by GnuPG (once per test session, in a throwaway GNUPGHOME), the tool
most journalists use, so the tests encrypt to the kind of key an operator really installs. Its
public half goes into settings (MASTHEAD_TIPS_PUBLIC_KEYS), as an operator would put it; the
private half stays in the test, the way it stays on a journalist's laptop, and the test decrypts
what the server stored with it. `gnupg_home` is that keyring, for tests that run `gpg --decrypt`
themselves. Where `gpg` is missing, Sequoia makes an equivalent v4 key instead.

`make_key_pair()` makes another key in a millisecond (Sequoia), e.g. a second newsroom key.
`no_newsroom_key` closes the tip box.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pysequoia
import pytest
from django.test.utils import override_settings

USER_ID = "Tips desk <tips@news.example.org>"


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args, **kwargs)


@dataclass
class NewsroomKeyPair:
    secret: pysequoia.Tsk
    public_armored: str
    fingerprint: str
    gnupg_home: Path | None = None

    def decrypt(self, ciphertext: bytes) -> bytes:
        """What a journalist gets from `gpg --decrypt` on their own machine."""
        decrypted = _quiet(pysequoia.decrypt, bytes(ciphertext), decryptor=self.secret.decryptor())
        return bytes(decrypted.bytes)

    def open_bundle(self, ciphertext: bytes) -> dict[str, bytes]:
        """A decrypted message's ZIP bundle: file name -> contents."""
        with zipfile.ZipFile(io.BytesIO(self.decrypt(ciphertext))) as bundle:
            return {name: bundle.read(name) for name in bundle.namelist()}


def make_key_pair(user_id: str = USER_ID) -> NewsroomKeyPair:
    """A Sequoia-made OpenPGP v4 key pair (without SEIPDv2 in its features, like GnuPG's)."""
    secret = _quiet(pysequoia.Tsk.generate, user_id, profile=pysequoia.Profile.RFC4880)
    public = _quiet(pysequoia.Cert.from_bytes, str(secret.extract_certificate()).encode())
    armored = str(public).replace("PRIVATE KEY", "PUBLIC KEY")
    return NewsroomKeyPair(secret, armored, public.fingerprint.upper())


def make_gnupg_key_pair(home: Path, user_id: str = USER_ID) -> NewsroomKeyPair:
    """A key pair made by GnuPG itself (Ed25519 + Curve25519, no passphrase) in `home`."""
    gpg = ["gpg", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback"]
    subprocess.run(
        [
            *gpg,
            "--passphrase",
            "",
            "--quick-gen-key",
            user_id,
            "future-default",
            "default",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        [*gpg, "--armor", "--export", user_id], check=True, capture_output=True, text=True
    ).stdout
    secret = subprocess.run(
        [*gpg, "--passphrase", "", "--armor", "--export-secret-keys", user_id],
        check=True,
        capture_output=True,
    ).stdout
    tsk = _quiet(pysequoia.Tsk.from_bytes, secret)
    fingerprint = _quiet(pysequoia.Cert.from_bytes, public.encode()).fingerprint.upper()
    return NewsroomKeyPair(tsk, public, fingerprint, gnupg_home=home)


@pytest.fixture(scope="session")
def _session_newsroom_key() -> Iterator[NewsroomKeyPair]:
    if shutil.which("gpg") is None:
        yield make_key_pair()
        return
    home = Path(tempfile.mkdtemp(prefix="masthead-gnupg-"))
    os.chmod(home, 0o700)
    try:
        yield make_gnupg_key_pair(home)
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def newsroom_key(_session_newsroom_key: NewsroomKeyPair) -> Iterator[NewsroomKeyPair]:
    with override_settings(
        MASTHEAD_TIPS_PUBLIC_KEYS=_session_newsroom_key.public_armored,
        MASTHEAD_TIPS_PUBLIC_KEYS_FILE="",
    ):
        yield _session_newsroom_key


@pytest.fixture
def no_newsroom_key() -> Iterator[None]:
    with override_settings(MASTHEAD_TIPS_PUBLIC_KEYS="", MASTHEAD_TIPS_PUBLIC_KEYS_FILE=""):
        yield
