"""A Content-Security-Policy for reader pages: the site's own files only, nothing third-party."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def reader_page_policy(form_origins: tuple[str, ...] | list[str] = ()) -> str:
    """The reader-page policy; `form_origins` are other sites this page's forms may continue
    to (browsers apply `form-action` to the redirect that follows a form)."""
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            "font-src 'self'",
            # Video and map embeds an editor adds to an article load in frames.
            "frame-src https:",
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *form_origins]),
            "frame-ancestors 'none'",
        ]
    )


READER_PAGE_POLICY = reader_page_policy()


class ContentSecurityPolicyMiddleware:
    """Adds the reader-page policy to every response outside the editor.

    The editor (and its previews) and signed-in editors are left out: Wagtail's admin and
    its user bar on public pages rely on inline scripts and styles. The session is only looked
    at when the request carries a session cookie, so anonymous pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/") or self.is_signed_in(request):
            return response
        response.headers.setdefault("Content-Security-Policy", READER_PAGE_POLICY)
        return response

    @staticmethod
    def is_signed_in(request: HttpRequest) -> bool:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated)
