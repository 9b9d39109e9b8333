"""Where each translation stands: one record per translated object (page or snippet) and
language, kept by the automatic translation task and shown in the admin's status view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale
from wagtail_localize.models import TranslatableObject


class TranslationRecordQuerySet(models.QuerySet):
    def for_instance(self, instance: models.Model) -> TranslationRecordQuerySet:
        """The records of `instance`'s translations (any language's copy of it)."""
        return self.filter(object_id=instance.translation_key)


class TranslationRecord(models.Model):
    """The state of one object's translation into one language."""

    QUEUED = "queued"
    MACHINE = "machine"
    REVIEWED = "reviewed"
    OUT_OF_DATE = "out_of_date"
    SKIPPED = "skipped"
    FAILED = "failed"
    STATES = [
        (QUEUED, _("Queued")),
        (MACHINE, _("Machine translation")),
        (REVIEWED, _("Reviewed")),
        (OUT_OF_DATE, _("Out of date: source changed since review")),
        (SKIPPED, _("Skipped")),
        (FAILED, _("Failed")),
    ]

    object = models.ForeignKey(TranslatableObject, on_delete=models.CASCADE, related_name="+")
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=STATES, default=QUEUED)
    engine = models.CharField(max_length=40, blank=True)
    model = models.CharField(
        max_length=500, blank=True, help_text="The model(s) that translated it."
    )
    detail = models.TextField(blank=True, help_text="Why it was skipped or failed.")
    attempts = models.PositiveIntegerField(default=0)
    segments_translated = models.PositiveIntegerField(
        default=0, help_text="Segments the engine translated in the last run."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationRecordQuerySet.as_manager()

    class Meta:
        unique_together = [("object", "locale")]

    def __str__(self) -> str:
        return f"{self.object_id} → {self.locale.language_code}: {self.state}"

    @property
    def is_human(self) -> bool:
        """Whether a person has reviewed or edited this translation (so machines keep off)."""
        return self.state in {self.REVIEWED, self.OUT_OF_DATE}
