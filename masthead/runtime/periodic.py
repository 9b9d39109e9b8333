"""Queues background tasks on a timer, from inside the worker process.

`settings.MASTHEAD_PERIODIC_TASKS` maps a task's dotted path to the seconds between runs. Each
task is queued once when the worker starts and then every period; the worker runs it like any
other task, so its result shows up with the others.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PeriodicTasks(threading.Thread):
    def __init__(self, schedule: dict[str, int], tick: float = 1.0) -> None:
        super().__init__(name="periodic-tasks", daemon=True)
        self.schedule = {import_string(path): every for path, every in schedule.items()}
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        due = dict.fromkeys(self.schedule, 0.0)
        while not self.stopped.is_set():
            now = time.monotonic()
            for task, every in self.schedule.items():
                if now >= due[task]:
                    self.enqueue(task)
                    due[task] = now + every
            self.stopped.wait(self.tick)

    def enqueue(self, task) -> None:
        try:
            task.enqueue()
        except Exception:
            logger.exception("Could not queue the periodic task %s", task.name)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
