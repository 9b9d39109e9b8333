"""Security headers: a Content-Security-Policy for reader pages (the site's own files only,
nothing third-party) and a Permissions-Policy that turns off browser features nobody needs here.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def reader_page_policy(form_origins: tuple[str, ...] | list[str] = ()) -> str:
    """The reader-page policy; `form_origins` are other sites this page's forms may continue
    to (browsers apply `form-action` to the redirect that follows a form). Images may also come
    from the bucket or CDN that serves uploads (MASTHEAD_MEDIA_ORIGIN), when there is one."""
    media_origin = settings.MASTHEAD_MEDIA_ORIGIN
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["img-src 'self' data:", *([media_origin] if media_origin else [])]),
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

# Powerful or tracking browser features that no Masthead page (nor the video and map embeds an
# editor adds: they keep autoplay, fullscreen, picture-in-picture and the like) has a use for.
# `()` means: not this page, not any frame in it. The same for everyone, so cached pages keep it.
DISABLED_FEATURES = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "midi",
    "display-capture",
    # Interest-based advertising (Topics, the successor of FLoC's interest-cohort): readers'
    # visits here feed no ad profile. (Chromium builds without the ad APIs warn about the
    # Protected Audience and Attribution features' names, so they are not listed.)
    "browsing-topics",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES)


class ContentSecurityPolicyMiddleware:
    """Adds the Permissions-Policy to every response, and the reader-page policy to every
    response outside the editor.

    The editor (and its previews) and signed-in editors are left out of the CSP: Wagtail's admin
    and its user bar on public pages rely on inline scripts and styles. The session is only looked
    at when the request carries a session cookie, so anonymous pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
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
