"""The "Translate" bulk action in the page explorer: queue machine translation of the selected
original pages into every other language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction

from masthead.translation import pipeline
from masthead.translation.tasks import queue_translations


class TranslateBulkAction(PageBulkAction):
    display_name = _("Translate")
    action_type = "machine_translate"
    aria_label = _("Machine-translate the selected pages into every language")
    template_name = "translation/admin/confirm_bulk_translate.html"
    action_priority = 60

    def check_perm(self, page) -> bool:
        return page.permissions_for_user(self.request.user).can_publish()

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs) -> tuple[int, int]:
        queued = 0
        for page in objects:
            page = page.specific
            if page.live and not pipeline.is_translation(page):
                queue_translations(page)
                queued += 1
        return queued, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d page has been queued for translation",
            "%(count)d pages have been queued for translation",
            num_parent_objects,
        ) % {"count": num_parent_objects}
