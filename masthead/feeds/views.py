"""The feeds themselves: Django syndication feeds of the 30 newest articles in a scope
(see `scopes.py`), in RSS 2.0 or Atom, with the full text or a summary as the site's
search-engines-and-feeds settings say."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Enclosure, SyndicationFeed

from masthead.feeds import scopes
from masthead.feeds.content import full_text_html, image_enclosure, summary_html
from masthead.feeds.generators import ArticleAtomFeed, ArticleRssFeed
from masthead.feeds.scopes import FeedScope
from masthead.newsroom.models import ArticlePage
from masthead.seo.models import SeoSettings
from masthead.translation.languages import bcp47, locale_code

ITEM_COUNT = 30
CACHE_SECONDS = 300


def article_guid(page: ArticlePage, host: str) -> str:
    """An id that stays with the article through any change of headline or address:
    tag:<host>,<day of first publication>:article-<page id> (RFC 4151)."""
    day = page.first_published_at.date().isoformat() if page.first_published_at else "0000"
    return f"tag:{host},{day}:article-{page.pk}"


class ArticleFeed(Feed):
    """A feed of articles in one format; each request is answered by a copy of the feed that
    knows its request (the syndication framework's item methods only get the item)."""

    def __init__(self, format: str, scope: Callable[..., FeedScope]) -> None:
        self.format = format
        self.scope = scope
        self.feed_type = ArticleRssFeed if format == scopes.RSS else ArticleAtomFeed
        self.request: HttpRequest | None = None
        self.full_text = False

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        answering = copy.copy(self)
        answering.request = request
        answering.full_text = SeoSettings.for_request(request).feed_content != SeoSettings.SUMMARY
        response = super(ArticleFeed, answering).__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedScope:
        return self.scope(request, *args, **kwargs)

    def get_feed(self, scope: FeedScope, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(scope, request)
        feed.feed["language"] = scope.language  # the reader's, not the one Django assumes
        return feed

    # The feed

    def title(self, scope: FeedScope) -> str:
        return scope.title

    def link(self, scope: FeedScope) -> str:
        return scope.link

    def description(self, scope: FeedScope) -> str:
        return scope.description

    def subtitle(self, scope: FeedScope) -> str:
        return scope.description

    def feed_url(self, scope: FeedScope) -> str:
        return self.request.build_absolute_uri(self.request.path)

    def feed_guid(self, scope: FeedScope) -> str:
        return self.feed_url(scope)

    def items(self, scope: FeedScope) -> list[ArticlePage]:
        articles = scope.articles.select_related("social_image").prefetch_related("tags")
        return list(articles[:ITEM_COUNT])

    # Each article

    def item_title(self, page: ArticlePage) -> str:
        return page.share_title

    def item_description(self, page: ArticlePage) -> str:
        return summary_html(page)

    def item_link(self, page: ArticlePage) -> str:
        return page.get_full_url(self.request)

    def item_guid(self, page: ArticlePage) -> str:
        # The host of the site's own addresses (as in the item's link), however it was reached.
        return article_guid(page, urlsplit(self.item_link(page)).hostname)

    def item_guid_is_permalink(self, page: ArticlePage) -> bool:
        return False

    def item_pubdate(self, page: ArticlePage) -> datetime | None:
        return page.first_published_at

    def item_updateddate(self, page: ArticlePage) -> datetime | None:
        return page.modified_at

    def item_author_name(self, page: ArticlePage) -> str | None:
        return ", ".join(author.name for author in page.authors) or None

    def item_categories(self, page: ArticlePage) -> list[str]:
        return sorted(tag.name for tag in page.tags.all())

    def item_enclosures(self, page: ArticlePage) -> list[Enclosure]:
        enclosure = image_enclosure(page, self.request)
        return [enclosure] if enclosure else []

    def item_extra_kwargs(self, page: ArticlePage) -> dict:
        return {
            "content": full_text_html(page, self.request) if self.full_text else None,
            "author_names": [author.name for author in page.authors],
            "language": bcp47(locale_code(page.locale_id)),
        }
