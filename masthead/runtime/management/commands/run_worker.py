"""`manage.py run_worker`: the database task worker plus the periodic tasks it queues."""

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from masthead.runtime.periodic import PeriodicTasks


class Command(DatabaseWorkerCommand):
    help = "Run background tasks as they are queued, and queue the periodic ones on time."

    def handle(self, *args, **options) -> None:
        periodic = PeriodicTasks(settings.MASTHEAD_PERIODIC_TASKS)
        periodic.start()
        try:
            super().handle(*args, **options)
        finally:
            periodic.stop()
