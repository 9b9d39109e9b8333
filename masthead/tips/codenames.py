"""Codenames: how a source comes back without an account.

A codename is seven words drawn with `secrets` from the EFF's large word list (7,776 words,
shipped in `wordlist/`; CC BY 3.0, Electronic Frontier Foundation): 7 * log2(7776) = 90.5 bits.
It is shown to the source once and never stored. One scrypt run (salted with the site's tip
pepper) turns it into two things:

- `lookup`: sha256 of the first 32 bytes, stored on the tip to find it again;
- `reply_key`: an X25519 private key from the other 32 bytes. Only its public half is stored;
  the newsroom's replies are sealed to it, so only someone holding the codename reads them.

scrypt is slow and memory-hard on purpose (about 0.1 s and 32 MB per check), and it runs for
every attempt, right or wrong, so a wrong codename costs the same and says nothing.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.conf import settings
from django.utils.crypto import salted_hmac

WORD_LIST = Path(__file__).with_name("wordlist") / "eff_large_wordlist.txt"
CODENAME_WORDS = 7
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1


@cache
def words() -> tuple[str, ...]:
    return tuple(WORD_LIST.read_text(encoding="utf-8").split())


def codename_bits(word_count: int = CODENAME_WORDS) -> float:
    return word_count * math.log2(len(words()))


def new_codename(word_count: int = CODENAME_WORDS) -> str:
    """A fresh codename: `word_count` random words separated by spaces."""
    vocabulary = words()
    return " ".join(secrets.choice(vocabulary) for _ in range(word_count))


def normalize(codename: str) -> str:
    """What a source typed, as the codename was shown: lower case, single spaces (extra
    spaces, line breaks and capitals are forgiven)."""
    return " ".join(codename.lower().split())


def pepper() -> bytes:
    """The site's secret salt for codenames: MASTHEAD_TIPS_PEPPER, or one derived from
    SECRET_KEY. Changing it makes every codename useless, so production sets its own."""
    configured = settings.MASTHEAD_TIPS_PEPPER
    if configured:
        return configured.encode()
    return salted_hmac("masthead.tips.pepper", "codenames").digest()


@dataclass(frozen=True)
class Derived:
    lookup: str
    reply_key: X25519PrivateKey

    @property
    def reply_public_key(self) -> bytes:
        return self.reply_key.public_key().public_bytes_raw()


def derive(codename: str) -> Derived:
    """The lookup hash and reply key of a codename (slow on purpose, see the module's text)."""
    stretched = hashlib.scrypt(
        normalize(codename).encode(),
        salt=pepper(),
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=64,
    )
    lookup = hashlib.sha256(stretched[:32]).hexdigest()
    return Derived(lookup=lookup, reply_key=X25519PrivateKey.from_private_bytes(stretched[32:]))
