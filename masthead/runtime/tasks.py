"""Housekeeping the worker does for itself."""

from django.core.management import call_command
from django_tasks import task

KEEP_FINISHED_TASKS_DAYS = 14


@task()
def prune_task_results() -> None:
    """Forget finished background tasks after two weeks (failed ones are kept as long)."""
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=KEEP_FINISHED_TASKS_DAYS, verbosity=0
    )
