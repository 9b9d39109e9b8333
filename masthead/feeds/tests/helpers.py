"""Reading feeds the way a feed reader does."""

from __future__ import annotations

import feedparser

FEED_FORMATS = ("rss", "atom")


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    """Fetch `url` and parse it with feedparser, insisting that it is served and well formed."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, f"{url} is not a valid feed: {parsed.get('bozo_exception')}"
    return parsed


def titles(feed: feedparser.FeedParserDict) -> list[str]:
    return [entry.title for entry in feed.entries]
