"""`manage.py serve`: prepare the site and run the web server and the worker until stopped.

This is what `./run` ends with. It migrates the database, collects static files, loads the demo
newsroom (unless MASTHEAD_DEMO=0), makes sure an admin account exists, then starts granian (the
web server) and `run_worker` side by side. If either stops, the other is stopped too; Ctrl-C
(SIGINT) or SIGTERM stops both cleanly.

Under a service manager the two can run as separate units: `serve --no-worker --no-prepare`
runs only the web server (migrations and static files being a deploy step), and
`run_worker --no-reload` the worker (see docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.settings import env_bool, env_int

STOP_GRACE_SECONDS = 15
START_TIMEOUT_SECONDS = 60
# Python threads per web process that run Django. Masthead's requests mostly wait on the
# database or the cache, which threads overlap: on a 2-core machine an uncached search page
# served 23 req/s with 1 thread, 36 with 4, 49 with 8 and no more with 16. Each thread holds
# its own database connection, so PostgreSQL sees up to processes x threads connections per
# machine (it allows 100 by default). On machines with fewer than 4 cores it is 2 x cores + 1,
# the most granian runs without warning about it.
MAX_DEFAULT_WEB_THREADS = 8


def available_cpus() -> int:
    """The CPU cores this process may run on (a container's or a systemd unit's limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_web_threads() -> int:
    """Threads per web process unless MASTHEAD_WEB_THREADS says otherwise."""
    return min(MAX_DEFAULT_WEB_THREADS, 2 * available_cpus() + 1)


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens on `host:port` yet."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_listening(host: str, port: int, process: subprocess.Popen, timeout: float) -> bool:
    """Wait until `host:port` accepts connections; False if `process` ends first or time's up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


# granian's logging, with a filter that leaves the tip box out of the access log.
GRANIAN_LOGGING = Path(__file__).resolve().parents[2] / "granian_logging.json"
# granian's default access log line, less the client address.
ACCESS_LOG_FORMAT = '[%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).3f'


def web_server_command(
    host: str, port: int, *, workers: int, threads: int, access_log: bool = True
) -> list[str]:
    """The granian command line that serves `masthead.wsgi:application`."""
    return [
        sys.executable, "-m", "granian", "masthead.wsgi:application",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        # One process per core: each has its own interpreter, so requests run truly in parallel.
        "--workers", str(workers),
        # Django runs on this many threads per process (the concurrency limit). Backpressure is
        # left at granian's default (backlog / workers): it counts open connections, and a proxy
        # keeps some open between requests, so a low value would turn away idle keep-alives.
        "--blocking-threads", str(threads),
        # Idle threads are let go after 5 minutes (with their database connections).
        "--blocking-threads-idle-timeout", "300",
        "--no-ws",
        # One line per request; a busy site behind nginx may leave it to nginx's log.
        "--access-log" if access_log else "--no-access-log",
        # ... without the reader's network address (granian's default has it): nobody's visits,
        # and no tip box source's, are kept by address.
        "--access-log-fmt", ACCESS_LOG_FORMAT,
        # ... and without the tip box's requests (masthead/runtime/access_log.py).
        "--log-config", str(GRANIAN_LOGGING),
        # A worker that crashes (out of memory, a fault in a C library) is started again; granian
        # gives up, and so do we, if one keeps crashing right after starting.
        "--respawn-failed-workers",
        # Requests in progress get this long to finish on stop, before their process is killed.
        "--workers-kill-timeout", str(STOP_GRACE_SECONDS - 5),
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Migrate, load the demo, and run the web server and the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("MASTHEAD_PORT", 8000))
        parser.add_argument(
            "--web-workers",
            type=int,
            default=env_int("MASTHEAD_WEB_WORKERS", 0),
            help="Web server processes (default: one per CPU core, or MASTHEAD_WEB_WORKERS).",
        )
        parser.add_argument(
            "--web-threads",
            type=int,
            default=env_int("MASTHEAD_WEB_THREADS", 0),
            help=f"Threads per web server process (default {MAX_DEFAULT_WEB_THREADS}, fewer "
            "on machines with under 4 cores; or MASTHEAD_WEB_THREADS).",
        )
        parser.add_argument(
            "--no-demo",
            action="store_false",
            dest="demo",
            default=env_bool("MASTHEAD_DEMO", True),
            help="Don't load the demo newsroom (or set MASTHEAD_DEMO=0).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="worker",
            help="Run only the web server (the worker runs elsewhere: `manage.py run_worker`).",
        )
        parser.add_argument(
            "--no-prepare",
            action="store_false",
            dest="prepare",
            help="Start serving at once: no migrations, static files, demo or admin account "
            "(a deploy step runs `migrate` and `collectstatic` instead).",
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        web_workers: int,
        web_threads: int,
        demo: bool,
        worker: bool,
        prepare: bool,
        **options,
    ) -> None:
        if web_workers < 0 or web_threads < 0:
            raise CommandError("The web server needs at least one process and one thread each.")
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is in use. Stop what is using it, "
                "or choose another with MASTHEAD_PORT."
            )
        if prepare:
            self.prepare(demo=demo)
        self.children: list[subprocess.Popen] = []
        self.stopping = False
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)

        workers = web_workers or available_cpus()
        threads = web_threads or default_web_threads()
        web = self.start(
            "web server",
            web_server_command(
                host,
                port,
                workers=workers,
                threads=threads,
                access_log=env_bool("MASTHEAD_ACCESS_LOG", True),
            ),
        )
        if worker:
            self.start("worker", [sys.executable, "-m", "django", "run_worker", "--no-reload"])

        if not wait_until_listening(host, port, web, START_TIMEOUT_SECONDS):
            self.stop_children()
            raise CommandError("The web server did not start; its messages are above.")
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS("\nMasthead is running.")
            + f"\n    Site:   http://{shown_host}:{port}/"
            + f"\n    Editor: http://{shown_host}:{port}/admin/"
            + f"\n    Web server: {workers} process{'es' if workers > 1 else ''}"
            + f" x {threads} thread{'s' if threads > 1 else ''}"
            + ("" if worker else " (no worker here)")
            + "\nPress Ctrl-C to stop.\n"
        )
        self.supervise()

    def prepare(self, *, demo: bool) -> None:
        """Bring the database and static files up to date; load the demo; ensure an admin."""
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            call_command("load_demo")
        call_command("ensure_admin")

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        """Start a child in its own process group (a Ctrl-C reaches only us; we stop it)."""
        process = subprocess.Popen(command, start_new_session=True)  # noqa: S603
        process.masthead_name = name  # type: ignore[attr-defined]
        self.children.append(process)
        return process

    def request_stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def supervise(self) -> None:
        """Wait for a stop signal or for a child to end; then stop every child."""
        exited = None
        while not self.stopping and exited is None:
            exited = next((child for child in self.children if child.poll() is not None), None)
            time.sleep(0.2)
        self.stop_children()
        if exited is not None and not self.stopping:
            raise CommandError(
                f"The {exited.masthead_name} stopped unexpectedly (exit code {exited.returncode}); "
                "stopped everything else too."
            )
        names = " and ".join(f"the {child.masthead_name}" for child in self.children)
        self.stdout.write(f"Stopped {names}.")

    def stop_children(self) -> None:
        """SIGTERM to each child; whatever is left after the grace period is killed, with the
        processes it started (each child leads its own process group)."""
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
