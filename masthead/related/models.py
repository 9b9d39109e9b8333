"""What the background worker stores so that rendering "More Articles" costs one query: each
article's weighted terms (for text similarity) and its ranked list of related articles."""

from __future__ import annotations

from django.db import models


class ArticleTerms(models.Model):
    """An article's most frequent terms (title, dek and body) with their weights."""

    page = models.OneToOneField(
        "newsroom.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="related_terms",
    )
    terms = models.JSONField(default=dict, help_text="term → weight (1 + log of its count)")
    language = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "article terms"
        verbose_name_plural = "article terms"

    def __str__(self) -> str:
        return f"Terms of page {self.page_id}"


class RelatedArticle(models.Model):
    """One entry of an article's "More Articles" list: `related`, at `rank` (0 first)."""

    article = models.ForeignKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_articles"
    )
    related = models.ForeignKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_from"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_unique_rank"),
            models.UniqueConstraint(fields=["article", "related"], name="related_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} (#{self.rank}, {self.score:.3f})"
