"""The tip box's background work, on the worker's timers (settings.MASTHEAD_PERIODIC_TASKS):
telling the newsroom which tips have new messages (hourly, without their content), deleting
old tips (daily), and sweeping away files a killed cleaning left in the scrub folder (hourly).
Nothing is queued when a tip arrives, so the task queue never records when a source wrote."""

from __future__ import annotations

from django_tasks import task


@task()
def tell_newsroom() -> str:
    """E-mail the Tips group the numbers of tips with new messages: never a word of them."""
    from masthead.tips import notifications

    return notifications.tell_newsroom()


@task()
def forget_old_tips() -> str:
    """Delete tips with no message or reply for MASTHEAD_TIPS_KEEP_DAYS days."""
    from masthead.tips import submissions

    return submissions.forget_old_tips()


@task()
def sweep_scrub_folders() -> str:
    """Delete scrub folders a killed web process left in MASTHEAD_TIPS_SCRUB_DIR."""
    from masthead.tips import scrubbing

    return f"Swept {scrubbing.sweep_stale_folders()} stale scrub folder(s)."
