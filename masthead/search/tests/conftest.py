"""Helpers for the search tests: run a search through the reader's page and read the result."""

from __future__ import annotations

import pytest


class Searcher:
    def __init__(self, client) -> None:
        self.client = client

    def get(self, path: str = "/search/", **params):
        response = self.client.get(path, params)
        assert response.status_code == 200, response.content[:500]
        return response

    def titles(self, path: str = "/search/", **params) -> list[str]:
        """The headlines found, in order (this page of results)."""
        results = self.get(path, **params).context["results"]
        return [result.article.title for result in results.results] if results else []


@pytest.fixture
def searcher(client) -> Searcher:
    return Searcher(client)
