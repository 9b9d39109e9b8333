"""The worker's timer: periodic tasks are queued at start and then every period."""

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from masthead.newsroom.models import ArticlePage
from masthead.runtime.periodic import PeriodicTasks

pytestmark = pytest.mark.django_db(transaction=True)


def is_live(pk: int) -> bool:
    try:
        return ArticlePage.objects.get(pk=pk).live
    except OperationalError:
        # SQLite's in-memory test database locks a table (instead of waiting) while the
        # timer's thread is publishing; ask again on the next round.
        return False


def test_scheduled_story_goes_live_when_the_timer_fires(small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    story = small_newsroom.article(canada, "Scheduled story", [], publish=False)
    story.go_live_at = timezone.now() - timedelta(seconds=1)
    story.save_revision(approved_go_live_at=story.go_live_at)
    assert not ArticlePage.objects.get(pk=story.pk).live

    timer = PeriodicTasks({"masthead.editorial.tasks.publish_scheduled_pages": 3600}, tick=0.05)
    timer.start()
    try:
        deadline = time.monotonic() + 10
        while not is_live(story.pk):
            assert time.monotonic() < deadline, "the timer never published the story"
            time.sleep(0.05)
    finally:
        timer.stop()
        timer.join(timeout=5)
    assert not timer.is_alive()


def test_a_failing_task_is_logged_and_the_timer_keeps_going(caplog):
    calls = []

    class Flaky:
        name = "flaky"

        def enqueue(self):
            calls.append(1)
            raise RuntimeError("queue is down")

    timer = PeriodicTasks({}, tick=0.01)
    timer.schedule = {Flaky(): 0}
    timer.start()
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    timer.stop()
    timer.join(timeout=5)
    assert len(calls) >= 3
    assert "Could not queue the periodic task flaky" in caplog.text
