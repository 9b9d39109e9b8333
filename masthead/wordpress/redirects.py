"""Old WordPress addresses that keep working after the move.

The importer collects, for each imported thing, the addresses WordPress gave it: the
permalink as exported (`/2024/05/slug/`, `/about/`), the plain links WordPress answers
whatever the permalink settings (`/?p=123`, `/?page_id=12`, `/?cat=5`, `/?tag=x`,
`/?author=2`, `/?attachment_id=9`), `/category/x/`, `/tag/x/`, `/author/y/`, attachment pages
and uploaded files' addresses. `RedirectWriter` turns them into Wagtail redirects (permanent,
for every site), in bulk, updating those an earlier import made; the editor manages them under
*Settings → Redirects* like any other.

Wagtail answers redirects only for addresses that would otherwise be "not found". WordPress's
plain links all point at the home page (`/?p=123`), which exists, so `OldQueryLinkMiddleware`
answers those itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

# The query parameters WordPress's plain links use, whatever the permalink settings.
QUERY_KEYS = ("p", "page_id", "cat", "tag", "author", "attachment_id")


def old_path(url: str) -> str:
    """The part of an old WordPress address a redirect matches: its path (and query), without
    the site's host, normalised as Wagtail stores redirects. "" for an address that is only
    the home page."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    normalised = Redirect.normalise_path(path)
    return "" if normalised == "/" else normalised


def query_path(key: str, value: object) -> str:
    """The stored form of a plain link such as /?p=123."""
    return Redirect.normalise_path(f"/?{key}={value}")


class RedirectWriter:
    """Collects (old address → page or link) pairs and writes them as redirects in bulk.

    A pair whose old address is the new page's own address is left out (it would loop). An
    old address that already redirects elsewhere (an editor's redirect, or another site's
    import) is left as it is and listed in `conflicts`."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[int | None, str]] = {}
        self.created = 0
        self.unchanged = 0
        self.conflicts: list[str] = []

    def add(self, url: str, *, page_id: int | None = None, link: str = "") -> None:
        path = old_path(url) if not url.startswith("/?") else Redirect.normalise_path(url)
        if not path or (page_id is None and not link):
            return
        if link and old_path(link) == path:
            return
        self.pending[path] = (page_id, link)

    def snapshot(self) -> tuple:
        """What `restore` needs to undo what a rolled-back transaction wrote."""
        return dict(self.pending), self.created, self.unchanged, list(self.conflicts)

    def restore(self, snapshot: tuple) -> None:
        pending, self.created, self.unchanged, conflicts = snapshot
        self.pending = dict(pending)
        self.conflicts = list(conflicts)

    def flush(self, page_paths: Callable[[Iterable[int]], dict[int, str]]) -> None:
        """Write the pending redirects. `page_paths(ids)` gives pages' own addresses, to leave
        out redirects that would point at themselves."""
        if not self.pending:
            return
        own = page_paths({page_id for page_id, _link in self.pending.values() if page_id})
        pending = {
            path: target
            for path, target in self.pending.items()
            if target[0] is None or old_path(own.get(target[0], "")) != path
        }
        self.pending = {}
        existing = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(old_path__in=list(pending))
        }
        new = []
        for path, (page_id, link) in pending.items():
            redirect = existing.get(path)
            if redirect is None:
                new.append(
                    Redirect(
                        old_path=path,
                        site=None,
                        is_permanent=True,
                        redirect_page_id=page_id,
                        redirect_link=link,
                    )
                )
            elif (redirect.redirect_page_id, redirect.redirect_link or "") == (page_id, link):
                self.unchanged += 1
            else:
                self.conflicts.append(path)
        Redirect.objects.bulk_create(new, batch_size=500)
        self.created += len(new)


class OldQueryLinkMiddleware:
    """Sends WordPress's plain links (/?p=123, /index.php?page_id=12, ...) to where the import
    put what they named, before the home page (which they would otherwise show) answers.

    Costs nothing for other requests: it looks only at the home page's address with one of
    WordPress's query parameters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path in ("/", "/index.php"):
            for key, value in parse_qsl(request.META.get("QUERY_STRING", "")):
                if key in QUERY_KEYS and value:
                    redirect = get_redirect(request, query_path(key, value))
                    if redirect is not None and redirect.link:
                        return HttpResponsePermanentRedirect(redirect.link)
                    break
        return self.get_response(request)
