"""Feed addresses, under each language's prefix: /feeds/…, /fr/feeds/…

Each feed comes as rss.xml and atom.xml; the URL names are "<kind>_<format>", e.g.
"feeds:section_atom" (see `scopes.feed_url`).
"""

from django.urls import path

from masthead.feeds import scopes
from masthead.feeds.views import ArticleFeed

app_name = "feeds"

ROUTES = [
    ("", scopes.SITE, scopes.site_scope),
    ("all-languages/", scopes.ALL_LANGUAGES, scopes.all_languages_scope),
    ("sections/<slug:slug>/", scopes.SECTION, scopes.section_scope),
    ("authors/<slug:slug>/", scopes.AUTHOR, scopes.author_scope),
    ("tags/<slug:slug>/", scopes.TAG, scopes.tag_scope),
]

urlpatterns = [
    path(f"{prefix}{format}.xml", ArticleFeed(format, scope), name=f"{kind}_{format}")
    for prefix, kind, scope in ROUTES
    for format in scopes.FORMATS
]
