"""The page cache in the real server `./run` starts (granian, several processes, the file
cache in the data folder): hits over HTTP, 304s, and an edit published by another process
(here `manage.py shell`, as the worker or an editor's request would) reaching readers at once."""

import time
import urllib.error
import urllib.request

import pytest

from masthead.testing.fixtures import manage

pytestmark = pytest.mark.server

FIND_IT = """
from masthead.newsroom.models import ArticlePage
english = ArticlePage.objects.live().filter(locale__language_code="en")
page = english.order_by("first_published_at").first()
"""
OLDEST_STORY = FIND_IT + "print(page.url)"
EDIT_IT = (
    FIND_IT
    + """
page.dek = "A line added by another process"
page.save_revision().publish()
"""
)


QUEUED_TASKS = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count())
"""


def wait_until_the_worker_is_idle(served, timeout: float = 180) -> None:
    """The demo leaves the worker a queue (related lists, pictures, indexes) whose results
    rightly refresh pages; measure once it is done, as on a server between stories."""
    deadline = time.monotonic() + timeout
    while manage(served.environment, "shell", "-v", "0", "-c", QUEUED_TASKS).strip() != "0":
        assert time.monotonic() < deadline, "the worker never finished its queue"
        time.sleep(1)


def fetch(served, path: str, **headers: str):
    request = urllib.request.Request(served.url + path, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=15)
    except urllib.error.HTTPError as answer:  # urllib counts 304 as an error
        return answer


def test_readers_get_cached_pages_and_edits_at_once_over_http(served_masthead):
    wait_until_the_worker_is_idle(served_masthead)
    url = manage(served_masthead.environment, "shell", "-v", "0", "-c", OLDEST_STORY).strip()
    first = fetch(served_masthead, url)
    body = first.read()
    answers = [fetch(served_masthead, url) for _ in range(6)]  # reaching every web process
    assert {answer.headers["X-Masthead-Cache"] for answer in answers} == {"hit"}
    assert all(answer.read() == body for answer in answers)

    etag = answers[-1].headers["ETag"]
    unchanged = fetch(served_masthead, url, **{"If-None-Match": etag})
    assert unchanged.status == 304
    assert unchanged.read() == b""

    manage(served_masthead.environment, "shell", "-v", "0", "-c", EDIT_IT)
    after = [fetch(served_masthead, url) for _ in range(6)]
    for answer in after:
        assert b"A line added by another process" in answer.read()
    assert fetch(served_masthead, url, **{"If-None-Match": etag}).status == 200
