"""Abuse limits for the tip box that tell no sender apart and store nothing about one.

Senders are not counted one by one (that would need their network address, which the tip box
never sees): there are two counters for the whole site in the shared cache, messages accepted
in the current hour (MASTHEAD_TIPS_MESSAGES_PER_HOUR) and codename sign-in attempts in the
current minute (MASTHEAD_TIPS_SIGNINS_PER_MINUTE). Past either, the tip box says it is busy.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60
MINUTE = 60


def _key(name: str, window: int) -> str:
    return f"tips:abuse:{name}:{int(time.time()) // window}"


def _count(name: str, window: int) -> int:
    return cache.get(_key(name, window), 0)


def _add_one(name: str, window: int) -> int:
    key = _key(name, window)
    cache.add(key, 0, timeout=window + MINUTE)
    try:
        return cache.incr(key)
    except ValueError:  # it expired between add and incr
        cache.set(key, 1, timeout=window + MINUTE)
        return 1


def too_many_messages() -> bool:
    """Whether this hour's messages have reached MASTHEAD_TIPS_MESSAGES_PER_HOUR (nothing more
    is accepted until the next hour)."""
    return _count("messages", HOUR) >= settings.MASTHEAD_TIPS_MESSAGES_PER_HOUR


def count_message() -> None:
    """Counts one accepted message (a new tip or a follow-up)."""
    _add_one("messages", HOUR)


def too_many_signins() -> bool:
    """Counts one codename sign-in attempt; whether this minute's attempts are now over
    MASTHEAD_TIPS_SIGNINS_PER_MINUTE."""
    return _add_one("signins", MINUTE) > settings.MASTHEAD_TIPS_SIGNINS_PER_MINUTE
