"""Counting readers' requests to the forms that send e-mail (the donors' sign-in links, the
newsletter's subscribe form): who a reader is on the network, and counters in the shared cache.

The counters' keys hold keyed hashes (HMAC with the site's secret key) of the e-mail or network
address, never the address itself, and not a plain hash either, which a list of likely addresses
would reverse.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def reader_address(request: HttpRequest) -> str:
    """The reader's network address: the one the trusted reverse proxy in front says
    (MASTHEAD_CLIENT_IP_HEADER, set in production), else the connection's."""
    header = settings.MASTHEAD_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope: str, counters: list[tuple[str, str, int]], window: int) -> bool:
    """Count one request against each (kind, value, limit) of `counters` for `window` seconds;
    whether any of them is now over its limit. Every counter counts, even past a limit."""
    limited = False
    for kind, value, limit in counters:
        key = f"{scope}:{kind}:{salted_hmac(scope, value).hexdigest()}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # it expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        limited = limited or count > limit
    return limited
