"""`/healthz`: whether this web server can reach its database and caches, for load balancers.

It answers 200 with `{"database": "ok", "cache": "ok"}` when a real query and a round trip through
both caches (`default`, and `pages` where whole pages are kept) work, and 503 with the part that
failed marked "failed" otherwise. The reason goes to the log, never into the answer.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CHECKED_CACHES = ("default", "pages")


def database_is_reachable() -> bool:
    """Run a real query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        logger.warning("Health check: the database is unreachable.", exc_info=True)
        return False


def caches_are_reachable() -> bool:
    """Store a random value in each cache, read it back and remove it."""
    for alias in CHECKED_CACHES:
        key = f"healthz:{secrets.token_hex(8)}"
        value = secrets.token_hex(8)
        try:
            cache = caches[alias]
            cache.set(key, value, timeout=30)
            read_back = cache.get(key)
            cache.delete(key)
        except Exception:
            logger.warning("Health check: the %r cache is unreachable.", alias, exc_info=True)
            return False
        if read_back != value:
            logger.warning("Health check: the %r cache did not keep a value.", alias)
            return False
    return True


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the caches work, 503 naming the part that doesn't."""
    checks = {
        "database": "ok" if database_is_reachable() else "failed",
        "cache": "ok" if caches_are_reachable() else "failed",
    }
    healthy = all(state == "ok" for state in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    # Nothing (a browser, a proxy, a page cache) may keep an answer.
    response["Cache-Control"] = "no-store"
    return response
