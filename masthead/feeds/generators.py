"""RSS 2.0 and Atom writers that carry each article's full text, every author and its language.

Django's generators write one author and the summary; these add:

* RSS: `<content:encoded>` with the article's HTML (the content module's namespace is declared
  only when some item has it);
* Atom: `<content type="html">`, one `<author>` per person on the byline, and `xml:lang` on
  each entry (so a feed mixing languages says which entry is in which).

Items take the extra keywords `content` (HTML or None), `author_names` (a list) and `language`
(a BCP 47 tag or None), passed by `masthead.feeds.views.ArticleFeed.item_extra_kwargs`.
"""

from __future__ import annotations

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


class ArticleRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the content module's `<content:encoded>` for full text."""

    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        if any(item.get("content") for item in self.items):
            attributes["xmlns:content"] = CONTENT_NAMESPACE
        return attributes

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ArticleAtomFeed(Atom1Feed):
    """Atom 1.0 with `<content type="html">` for full text and each author on their own."""

    def item_attributes(self, item: dict) -> dict[str, str]:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item: dict) -> None:
        names = item.get("author_names") or []
        # Django would write the names joined as one author; write each person instead.
        super().add_item_elements(handler, {**item, "author_name": None} if names else item)
        for name in names:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
