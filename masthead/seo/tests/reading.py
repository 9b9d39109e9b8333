"""Reading a rendered page the way search engines and link previews do."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class Head(HTMLParser):
    """What a page says to machines: JSON-LD scripts, `<meta>` and `<link>` tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json = True
            self.scripts.append("")
        elif tag == "meta" and ("property" in attributes or "name" in attributes):
            name = attributes.get("property") or attributes.get("name")
            self.meta.append((name, attributes.get("content", "")))
        elif tag == "link":
            self.links.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.scripts[-1] += data

    def json_ld(self) -> list[dict]:
        """Every JSON-LD item, `@graph`s opened up."""
        items = []
        for script in self.scripts:
            data = json.loads(script)
            items.extend(data.get("@graph", [data]))
        return items

    def first(self, name: str) -> str | None:
        return next((content for key, content in self.meta if key == name), None)

    def all(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]

    def canonicals(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]


def read(client, path: str) -> Head:
    response = client.get(path)
    assert response.status_code == 200, path
    return Head(response.content.decode())


def item_of_type(head: Head, *types: str) -> dict:
    return next(item for item in head.json_ld() if item.get("@type") in types)
