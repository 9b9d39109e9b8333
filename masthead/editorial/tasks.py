"""Background work of the editorial workflow."""

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish those past their expiry."""
    call_command("publish_scheduled")
