"""Where each address goes: the editor, the newsroom's own views, then Wagtail's page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.feeds import urls as feed_urls
from masthead.newsletter import urls as newsletter_urls
from masthead.newsroom import urls as newsroom_urls
from masthead.runtime import urls as runtime_urls
from masthead.search import urls as search_urls
from masthead.seo import urls as seo_urls
from masthead.supporters.webhooks import stripe_webhook
from masthead.tips import urls as tip_urls

urlpatterns = [
    # /healthz for load balancers, in no language.
    path("", include(runtime_urls)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Stripe posts here (in no language); the Support page itself is a page in each language.
    path("support/stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    # robots.txt and the sitemaps cover every language, so they live outside the prefixes.
    path("", include(seo_urls)),
]

if settings.MASTHEAD_SERVE_MEDIA:
    # The embedded server hands out uploaded images itself; production leaves it to the proxy.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Reader pages in every language: English at the root, the others under /<language>/.
urlpatterns += i18n_patterns(
    path("", include(newsroom_urls)),
    path("feeds/", include(feed_urls)),
    path("newsletter/", include(newsletter_urls)),
    path("tips/", include(tip_urls)),
    path("", include(search_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
