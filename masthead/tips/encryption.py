"""Encryption: OpenPGP to the newsroom's public keys (pysequoia, Sequoia-PGP), and sealed
replies that only a codename opens (X25519 + HKDF-SHA256 + AES-256-GCM, `cryptography`).

The server holds no private key of either kind: newsroom private keys stay on the journalists'
own machines, and a tip's reply key exists only while a request derives it from the codename.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

import pysequoia
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

logger = logging.getLogger(__name__)

REPLY_INFO = b"masthead tip reply v1"
REPLY_VERSION = b"\x01"


class TipBoxClosed(Exception):
    """No usable newsroom key: the tip box accepts nothing."""


class KeyRejected(ValueError):
    """An uploaded or configured key that cannot be used; the message says why."""


@dataclass(frozen=True)
class NewsroomCert:
    fingerprint: str
    user_ids: tuple[str, ...]
    expires_at: datetime | None
    armored: str
    cert: pysequoia.Cert


# pysequoia 0.1 warns on every Cert.from_bytes (and has_secret_keys) that secret keys should
# use Tsk. Filtered once here: catch_warnings() is not thread-safe under the web threads.
warnings.filterwarnings("ignore", message=r"Use Tsk::from_", category=DeprecationWarning)


def parse_public_keys(armored: str, *, skip_unusable: bool = False) -> list[NewsroomCert]:
    """Every certificate in `armored`. Raises KeyRejected for anything that is not a usable
    OpenPGP public key: garbage, a private key, an expired or revoked key, or one that cannot
    encrypt. With `skip_unusable`, expired, revoked and encryption-less certificates are left
    out instead (garbage and private keys still raise)."""
    if "PRIVATE KEY" in armored:
        raise KeyRejected("This is a private key. Only give the tip box the public key.")
    try:
        certs = pysequoia.Cert.split_bytes(armored.strip().encode())
    except Exception as error:  # pysequoia raises RuntimeError with a Rust backtrace
        raise KeyRejected("This is not an OpenPGP public key.") from error
    if not certs:
        raise KeyRejected("This is not an OpenPGP public key.")
    parsed = []
    for cert in certs:
        if cert.has_secret_keys:
            raise KeyRejected("This is a private key. Only give the tip box the public key.")
        try:
            parsed.append(_usable(cert))
        except KeyRejected:
            if not skip_unusable:
                raise
    return parsed


def _usable(cert: pysequoia.Cert) -> NewsroomCert:
    """The certificate as a NewsroomCert, or KeyRejected saying why it cannot be used."""
    if cert.is_revoked:
        raise KeyRejected(f"The key {cert.fingerprint.upper()} is revoked.")
    expires_at = cert.expiration
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise KeyRejected(f"The key {cert.fingerprint.upper()} has expired.")
    try:
        pysequoia.encrypt(b"probe", recipients=[cert], armor=False)
    except Exception as error:
        raise KeyRejected(
            f"The key {cert.fingerprint.upper()} cannot be used to encrypt (no valid "
            "encryption subkey, or signatures the OpenPGP policy refuses, such as SHA-1)."
        ) from error
    return NewsroomCert(
        fingerprint=cert.fingerprint.upper(),
        user_ids=tuple(str(user_id) for user_id in cert.user_ids),
        expires_at=expires_at,
        armored=str(cert),
        cert=cert,
    )


def configured_public_keys() -> str:
    """Armored keys from settings: MASTHEAD_TIPS_PUBLIC_KEYS and the file named by
    MASTHEAD_TIPS_PUBLIC_KEYS_FILE."""
    armored = settings.MASTHEAD_TIPS_PUBLIC_KEYS
    path = settings.MASTHEAD_TIPS_PUBLIC_KEYS_FILE
    if path:
        try:
            with open(path, encoding="utf-8") as key_file:
                armored = f"{armored}\n{key_file.read()}"
        except (OSError, UnicodeDecodeError) as error:
            raise KeyRejected(
                f"MASTHEAD_TIPS_PUBLIC_KEYS_FILE cannot be read ({error.__class__.__name__})."
            ) from error
    return armored.strip()


def newsroom_certs() -> list[NewsroomCert]:
    """Every usable newsroom key, from settings and from the admin; expired, revoked and
    unreadable ones are left out (`manage.py check` reports those in the settings)."""
    from masthead.tips.models import NewsroomKey

    certs: dict[str, NewsroomCert] = {}
    try:
        configured = configured_public_keys()
        if configured:
            for cert in parse_public_keys(configured, skip_unusable=True):
                certs[cert.fingerprint] = cert
    except KeyRejected as error:
        # `manage.py check` says so too (tips.E001/E002); the admin's keys still work.
        logger.error("The tip box keys in the settings cannot be used: %s", error)
    for key in NewsroomKey.objects.all():
        try:
            for cert in parse_public_keys(key.armored, skip_unusable=True):
                certs.setdefault(cert.fingerprint, cert)
        except KeyRejected:
            continue  # the admin only stores keys that parsed; the key list shows the rest
    return list(certs.values())


def tip_box_is_open() -> bool:
    return bool(newsroom_certs())


@dataclass(frozen=True)
class Encrypted:
    ciphertext: bytes
    fingerprints: tuple[str, ...]


def encrypt_for_newsroom(data: bytes, certs: list[NewsroomCert] | None = None) -> Encrypted:
    """`data` as a binary OpenPGP message that any newsroom key opens. Raises TipBoxClosed
    when there is no key."""
    certs = newsroom_certs() if certs is None else certs
    if not certs:
        raise TipBoxClosed("No newsroom key is configured.")
    ciphertext = pysequoia.encrypt(data, recipients=[cert.cert for cert in certs], armor=False)
    return Encrypted(bytes(ciphertext), tuple(cert.fingerprint for cert in certs))


def armor(ciphertext: bytes) -> str:
    """The ASCII-armored form of a binary OpenPGP message (for `.asc` downloads)."""
    return pysequoia.armor(ciphertext, pysequoia.ArmorKind.Message)


def _reply_key(shared_secret: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=REPLY_INFO,
    ).derive(shared_secret)


def seal_reply(text: str, reply_public_key: bytes) -> bytes:
    """`text` sealed to a tip's reply key: version, ephemeral public key (32), nonce (12),
    AES-GCM ciphertext. Opening it needs the codename's private half."""
    recipient = X25519PublicKey.from_public_bytes(bytes(reply_public_key))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    key = _reply_key(ephemeral.exchange(recipient), ephemeral_public, bytes(reply_public_key))
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, text.encode(), REPLY_VERSION)
    return REPLY_VERSION + ephemeral_public + nonce + ciphertext


class ReplyUnreadable(ValueError):
    """A sealed reply that this key does not open (wrong codename, or damaged data)."""


def open_reply(sealed: bytes, reply_key: X25519PrivateKey) -> str:
    sealed = bytes(sealed)
    if sealed[:1] != REPLY_VERSION or len(sealed) < 1 + 32 + 12 + 16:
        raise ReplyUnreadable("Not a sealed reply.")
    ephemeral_public, nonce, ciphertext = sealed[1:33], sealed[33:45], sealed[45:]
    recipient_public = reply_key.public_key().public_bytes_raw()
    shared = reply_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _reply_key(shared, ephemeral_public, recipient_public)
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, REPLY_VERSION).decode()
    except InvalidTag as error:
        raise ReplyUnreadable("This reply does not open with this key.") from error
