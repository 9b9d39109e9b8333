"""The search index: one row per published article page, in the page's language.

The index keeps what readers search (headline, dek and body as plain text) but not whether a
page may be shown: every query joins with the live, public articles, so a page unpublished,
made private or deleted since it was indexed is never found.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """An article's searchable text. On PostgreSQL `search_vector` holds it weighted (headline
    A, dek B, body C) in the language's text-search configuration, with a GIN index (created
    by the migration on PostgreSQL only); in the embedded mode `folded` holds it case-folded
    for substring matching."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    language = models.CharField(max_length=20, db_index=True)
    title = models.TextField()
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    folded = models.TextField(
        blank=True, help_text="Headline, dek and body case-folded, one per line (embedded mode)."
    )
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
