"""`manage.py serve`, as `./run` starts it: a real granian and a real worker on a real port."""

import contextlib
import json
import re
import signal
import socket
import time
import urllib.error
from pathlib import Path

import pytest

from masthead.newsroom.demo import content
from masthead.runtime.management.commands.serve import available_cpus
from masthead.testing.fixtures import (
    manage,
    manage_py,
    start_masthead,
    stop_masthead,
)

pytestmark = pytest.mark.server


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serves_the_demo_front_page_and_an_article(served_masthead):
    home = served_masthead.get("/").read().decode()
    assert f'<a class="site-name" href="/">{content.NEWSROOM["name"]}</a>' in home
    article_links = re.findall(r'<h[23] class="card-title"><a href="([^"]+)"', home)
    assert len(article_links) >= 10

    article = served_masthead.get(article_links[0]).read().decode()
    assert '<h1 class="headline">' in article
    assert "More Articles" in article
    assert "Written by" in article


def test_serves_hashed_static_files_and_generated_images(served_masthead):
    home = served_masthead.get("/").read().decode()
    stylesheet = re.search(r'href="(/static/newsroom/masthead\.[0-9a-f]+\.css)"', home).group(1)
    response = served_masthead.get(stylesheet)
    assert response.headers["Content-Type"].startswith("text/css")
    assert "max-age" in response.headers.get("Cache-Control", "")

    image = re.search(r'src="(/media/images/[^"]+\.jpg)"', home).group(1)
    response = served_masthead.get(image)
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.read(3) == b"\xff\xd8\xff"


def test_unknown_address_gets_the_designed_404(served_masthead):
    with pytest.raises(urllib.error.HTTPError) as error:
        served_masthead.get("/this/does/not/exist/")
    assert error.value.code == 404
    assert "find that page" in error.value.read().decode()


def test_editor_sign_in_page_is_served(served_masthead):
    page = served_masthead.get("/admin/login/").read().decode()
    assert 'name="username"' in page and 'name="csrfmiddlewaretoken"' in page
    assert "password:" in served_masthead.output()  # the first run printed the credentials


SCHEDULE_A_STORY = """
from datetime import timedelta
from django.utils import timezone
from masthead.newsroom.models import ArticleAuthor, ArticlePage, SectionPage

template = ArticlePage.objects.live().first()
story = ArticlePage(
    title="Embargoed until later",
    slug="embargoed-story",
    live=False,
    body=template.body,
    go_live_at=timezone.now() + timedelta(seconds=4),
)
story.article_authors = [ArticleAuthor(author=author) for author in template.authors]
SectionPage.objects.first().add_child(instance=story)
story.save_revision(approved_go_live_at=story.go_live_at)
print(story.url)
"""


def test_worker_publishes_a_scheduled_story_on_time(served_masthead):
    url = manage(served_masthead.environment, "shell", "-v", "0", "-c", SCHEDULE_A_STORY).strip()
    with pytest.raises(urllib.error.HTTPError) as error:
        served_masthead.get(url)
    assert error.value.code == 404, "the embargoed story is visible before its time"

    deadline = time.monotonic() + 40
    while True:
        try:
            page = served_masthead.get(url).read().decode()
            break
        except urllib.error.HTTPError as not_yet:
            assert not_yet.code == 404
            assert time.monotonic() < deadline, "the worker never published the scheduled story"
            time.sleep(0.5)
    assert "Embargoed until later" in page


def test_run_twice_keeps_everything_and_both_processes_stop_cleanly(site_environment):
    environment = site_environment
    first = start_masthead(environment)
    children = children_of(first.process.pid)
    assert len(children) == 2, "serve should run exactly a web server and a worker"
    manage(
        environment,
        "shell",
        "-v",
        "0",
        "-c",
        "from masthead.newsroom.models import ArticlePage\n"
        "story = ArticlePage.objects.live().order_by('pk').first()\n"
        "story.title = 'Headline an editor rewrote'\n"
        "story.save_revision().publish()\n",
    )
    assert stop_masthead(first) == 0
    assert not any(is_running(pid) for pid in children), "Ctrl-C left a process behind"
    assert "Stopped the web server and the worker." in first.output()

    second = start_masthead(environment)
    try:
        output = second.output()
        assert output.count("password:") == 1, "the admin password is printed on the first run only"
        assert "everything is in place already" in output
        home = second.get("/").read().decode()
        assert "Headline an editor rewrote" in home
        assert len(re.findall(r'class="card-title"', home)) >= 10
    finally:
        # A service manager stops it with SIGTERM rather than Ctrl-C: just as clean.
        children = children_of(second.process.pid)
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(timeout=30) == 0
        assert not any(is_running(pid) for pid in children)


def test_a_busy_port_gets_a_clear_message(site_environment):
    environment = site_environment
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", int(environment["MASTHEAD_PORT"])))
        squatter.listen()
        finished = manage_py(environment, "serve")
    assert finished.returncode != 0
    assert f"Port {environment['MASTHEAD_PORT']} on 127.0.0.1 is in use" in finished.stderr


def test_web_only_mode_serves_without_preparing_or_a_worker(site_environment):
    """What the systemd web unit runs: migrations are a deploy step, the worker another unit."""
    environment = {**site_environment, "MASTHEAD_WEB_WORKERS": ""}
    manage(environment, "migrate", "--no-input", "-v", "0")
    web = start_masthead(environment, "--no-worker", "--no-prepare")
    process = web.process
    try:
        children = children_of(process.pid)
        assert len(children) == 1, "only the web server should run"
        # One web server process per core by default, each answering.
        deadline = time.monotonic() + 30
        while len(children_of(children[0])) < available_cpus():
            assert time.monotonic() < deadline, web.output()
            time.sleep(0.25)
        web_processes = children_of(children[0])
        assert len(web_processes) == available_cpus()

        # (Without --prepare there are no collected static files, so pages fail to render:
        # only the access log matters here.)
        with contextlib.suppress(urllib.error.HTTPError):
            web.get("/tips/")
        health = web.get("/healthz")
        assert json.loads(health.read()) == {"database": "ok", "cache": "ok"}
        deadline = time.monotonic() + 5
        while '"GET /healthz HTTP/1.1" 200' not in web.output():
            assert time.monotonic() < deadline, "the access log is off"
            time.sleep(0.1)
        output = web.output()
        assert "password:" not in output and "Data folder" not in output, "nothing was prepared"
        # The access log keeps no reader's (nor any tip box source's) network address.
        access_lines = [line for line in output.splitlines() if "GET /healthz" in line]
        assert access_lines and not any("127.0.0.1" in line for line in access_lines)
        # ... and no line at all about the tip box (when someone used it is not kept either).
        assert '"GET /tips/' not in output
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert not any(is_running(pid) for pid in [*children, *web_processes])
    assert "Stopped the web server." in web.output()
