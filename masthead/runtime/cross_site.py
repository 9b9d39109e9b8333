"""Refusing cross-site form posts without a CSRF cookie, for the forms that must set no cookie
(the newsletter's footer form on cached pages, the tip box): by what the browser itself says of
where a request comes from."""

from __future__ import annotations

from django.http import HttpRequest

SAME_SITE_FETCHES = {"same-origin", "none"}


def is_cross_site(request: HttpRequest) -> bool:
    """Whether a POST comes from another site's page (by the browser's own word for it)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:  # browsers that send it say it plainly; trust it alone
        return fetch_site.lower() not in SAME_SITE_FETCHES
    origin = request.headers.get("Origin")
    return origin is not None and origin != f"{request.scheme}://{request.get_host()}"
