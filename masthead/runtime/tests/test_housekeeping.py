"""The worker forgets finished background tasks after two weeks, so the queue table stays small."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masthead.editorial.tasks import publish_scheduled_pages
from masthead.runtime.tasks import KEEP_FINISHED_TASKS_DAYS, prune_task_results

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_pruning_is_on_the_workers_daily_timer():
    assert settings.MASTHEAD_PERIODIC_TASKS["masthead.runtime.tasks.prune_task_results"] == 86400


@override_settings(TASKS=DATABASE_TASKS)
def test_old_finished_tasks_are_pruned_and_recent_or_waiting_ones_kept():
    old, recent, waiting = (publish_scheduled_pages.enqueue().id for _ in range(3))
    now = timezone.now()
    DBTaskResult.objects.filter(id=old).update(
        status="SUCCESSFUL", finished_at=now - timedelta(days=KEEP_FINISHED_TASKS_DAYS + 1)
    )
    DBTaskResult.objects.filter(id=recent).update(
        status="SUCCESSFUL", finished_at=now - timedelta(days=1)
    )

    prune_task_results.call()

    remaining = set(DBTaskResult.objects.values_list("id", flat=True))
    assert {str(task_id) for task_id in remaining} == {str(recent), str(waiting)}
