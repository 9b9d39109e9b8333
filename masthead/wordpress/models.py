"""What each imported WordPress item became, so that importing again updates instead of copying.

One row per author, category, tag, post, page and attachment of an export, keyed on the
WordPress site and the item's own id there (post ids, term ids, author logins). The row points
at what Masthead made of it (an Author, a SectionPage, a Tag, an ArticlePage, a StandardPage, a
Wagtail image) and remembers a fingerprint of the item as exported, so that a second run can
tell what changed. Private details (an author's e-mail address) are kept here, never shown to
readers.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedItem(models.Model):
    AUTHOR = "author"
    CATEGORY = "category"
    TAG = "tag"
    POST = "post"
    PAGE = "page"
    ATTACHMENT = "attachment"
    KINDS = [
        (AUTHOR, "Author"),
        (CATEGORY, "Category"),
        (TAG, "Tag"),
        (POST, "Post"),
        (PAGE, "Page"),
        (ATTACHMENT, "Attachment"),
    ]

    site = models.CharField(
        max_length=300, help_text="The WordPress site's address, as its export names it."
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    key = models.CharField(
        max_length=200,
        help_text="The item's id on that site: a post or term id, or an author's login.",
    )
    guid = models.CharField(max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="A hash of the item as last imported."
    )
    missing_media = models.PositiveIntegerField(
        default=0, help_text="Images the last import could not find (tried again next time)."
    )
    private = models.JSONField(
        default=dict, blank=True, help_text="Details kept from the export but never published."
    )
    first_imported_at = models.DateTimeField(auto_now_add=True)
    last_imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "key"], name="wordpress_item_once_per_site"
            )
        ]
        indexes = [models.Index(fields=["site", "kind", "guid"], name="wordpress_item_guid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} of {self.site}"

    @property
    def target(self):
        """What Masthead made of the item (None if it has since been deleted)."""
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None
