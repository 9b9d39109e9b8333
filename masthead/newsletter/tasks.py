"""The newsletter's background work, run by the worker `./run` starts.

- `send_newsletters` is queued when a mailing becomes ready, and every half minute on a timer
  (settings.MASTHEAD_PERIODIC_TASKS), so a send interrupted by a crash or a restart goes on
  by itself.
- `queue_due_mailings` creates the digests when their hour comes.
- `send_confirmation` sends a double opt-in link (outside the request, so a slow mail server
  never slows the subscribe form).
- `forget_unconfirmed_addresses` deletes, once a day, the addresses nobody confirmed.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_newsletters() -> str:
    """Deliver what is due, for up to a minute; queue itself again if more is left."""
    from masthead.newsletter import postman

    return postman.run_once()


@task()
def queue_due_mailings() -> str:
    """Create the daily and weekly digests whose time has come."""
    from masthead.newsletter import scheduling

    return scheduling.queue_due_mailings()


@task()
def send_confirmation(subscriber_id: int, language: str, frequency: str, name: str = "") -> str:
    """E-mail a confirmation link (or, to an address already subscribed, a note that it is)."""
    from masthead.newsletter import subscriptions

    return subscriptions.send_confirmation(subscriber_id, language, frequency, name)


@task()
def forget_unconfirmed_addresses() -> str:
    """Delete the pending addresses whose confirmation links have all expired."""
    from masthead.newsletter import subscriptions

    return subscriptions.forget_unconfirmed()
