"""The tip box's background work: telling the newsroom a message came (without its content),
and deleting old tips."""

from __future__ import annotations

from django_tasks import task


@task()
def tell_newsroom(tip_id: int) -> str:
    """E-mail the Tips group that tip #`tip_id` has a new message: a number and a link, never
    a word of what it says."""
    from masthead.tips import notifications

    return notifications.tell_newsroom(tip_id)


@task()
def forget_old_tips() -> str:
    """Delete tips with no message or reply for MASTHEAD_TIPS_KEEP_DAYS days."""
    from masthead.tips import submissions

    return submissions.forget_old_tips()
