"""Where cached pages live: the shared `pages` cache (Redis, or files in the embedded mode),
plus a small copy in each web process's memory.

Each page is stored with the version of every tag in its dependency record. Invalidating a tag
gives it a new random version, so every page that recorded it stops matching at once, on every
process and machine that shares the cache, while pages that did not record it stay. A
*generation* token changes with every invalidation: a process serves its in-memory copy only
while the generation is the one it checked the copy under, so a hit costs one small read of
the shared cache, and a copy whose tags all still match is checked again, not rendered again.

Anything evicted from the shared cache (a tag's version, the generation) reads as changed, so
eviction can only cause a page to be rendered again, never a stale page to be served.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver

CACHE_ALIAS = "pages"
GENERATION_KEY = "generation"


@dataclass
class CachedPage:
    """One stored answer: what the reader's browser gets, and what it was made from."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: str
    tag_versions: dict[str, str] = field(default_factory=dict)


def new_version() -> str:
    return secrets.token_hex(8)


def entry_key(url: str) -> str:
    return "entry:" + hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()


def tag_key(tag: str) -> str:
    if len(tag) > 150:
        tag = "sha1:" + hashlib.sha1(tag.encode(), usedforsecurity=False).hexdigest()
    return "tag:" + tag


class PageStore:
    """The shared cache of pages and tag versions, with this process's copies in front."""

    def __init__(self, alias: str = CACHE_ALIAS, local_entries: int | None = None) -> None:
        self.alias = alias
        self.local_entries = (
            settings.MASTHEAD_PAGE_CACHE_LOCAL_ENTRIES if local_entries is None else local_entries
        )
        self._local: OrderedDict[str, tuple[CachedPage, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._thread = threading.local()

    @property
    def cache(self):
        """The shared cache (one connection per thread, as Django's `caches` gives them, kept
        here because looking it up costs as much as a hit)."""
        thread = self._thread
        if getattr(thread, "epoch", None) != _caches_epoch:
            thread.cache, thread.epoch = caches[self.alias], _caches_epoch
        return thread.cache

    # --- Reading ------------------------------------------------------------------------------

    def generation(self) -> str:
        """The token that changes with every invalidation (made on first use)."""
        cache = self.cache
        current = cache.get(GENERATION_KEY)
        if current is None:
            cache.add(GENERATION_KEY, new_version(), timeout=None)
            current = cache.get(GENERATION_KEY) or ""
        return current

    def lookup(self, url: str) -> CachedPage | None:
        """The stored page for `url` if everything it showed is unchanged; else None."""
        generation = self.generation()
        with self._lock:
            local = self._local.get(url)
            if local is not None:
                self._local.move_to_end(url)
        if local is not None and local[1] == generation:
            return local[0]
        page = self.cache.get(entry_key(url))
        if page is None or not self.is_current(page):
            self._forget_local(url)
            return None
        self._remember(url, page, generation)
        return page

    def is_current(self, page: CachedPage) -> bool:
        if not page.tag_versions:
            return True
        keys = {tag: tag_key(tag) for tag in page.tag_versions}
        versions = self.cache.get_many(keys.values())
        return all(
            versions.get(keys[tag]) == version and version is not None
            for tag, version in page.tag_versions.items()
        )

    # --- Writing ------------------------------------------------------------------------------

    def save(self, url: str, page: CachedPage, tags: Iterable[str], started: str) -> bool:
        """Store `page` for `url` with the current versions of `tags`, unless something was
        invalidated since its render began (`started`: the generation then). Returns whether
        it was stored."""
        cache = self.cache
        keys = {tag: tag_key(tag) for tag in set(tags)}
        versions = cache.get_many(keys.values())
        missing = [key for key in keys.values() if key not in versions]
        for key in missing:
            # A version for every tag: a version that later disappears then reads as changed.
            cache.add(key, new_version(), timeout=None)
        if missing:
            versions.update(cache.get_many(missing))
        page.tag_versions = {tag: versions.get(key) for tag, key in keys.items()}
        if any(version is None for version in page.tag_versions.values()):
            return False
        if self.generation() != started:
            return False  # the page may show something that changed while it rendered
        cache.set(entry_key(url), page, timeout=None)
        self._remember(url, page, started)
        return True

    def invalidate(self, tags: Iterable[str]) -> None:
        """Every stored page that recorded one of `tags` is out of date from now on."""
        tags = set(tags)
        if not tags:
            return
        cache = self.cache
        cache.set_many({tag_key(tag): new_version() for tag in tags}, timeout=None)
        cache.set(GENERATION_KEY, new_version(), timeout=None)
        with self._lock:
            self._local.clear()

    def clear(self) -> None:
        """Forget every page (the shared cache and this process's copies)."""
        self.cache.clear()
        with self._lock:
            self._local.clear()

    # --- This process's copies ----------------------------------------------------------------

    def _remember(self, url: str, page: CachedPage, generation: str) -> None:
        if self.local_entries <= 0:
            return
        with self._lock:
            self._local[url] = (page, generation)
            self._local.move_to_end(url)
            while len(self._local) > self.local_entries:
                self._local.popitem(last=False)

    def _forget_local(self, url: str) -> None:
        with self._lock:
            self._local.pop(url, None)


_store: PageStore | None = None
_caches_epoch = 0


@receiver(setting_changed)
def caches_changed(setting: str, **kwargs) -> None:
    """Tests that swap the CACHES setting get the new caches here too."""
    global _caches_epoch
    if setting == "CACHES":
        _caches_epoch += 1


def page_store() -> PageStore:
    """This process's store (made on first use)."""
    global _store
    if _store is None:
        _store = PageStore()
    return _store
