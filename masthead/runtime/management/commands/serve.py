"""`manage.py serve`: prepare the site and run the web server and the worker until Ctrl-C.

This is what `./run` ends with. It migrates the database, collects static files, loads the demo
newsroom (unless MASTHEAD_DEMO=0), makes sure an admin account exists, then starts gunicorn and
`run_worker` side by side. If either stops, the other is stopped too; Ctrl-C (SIGINT) or SIGTERM
stops both cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from masthead.settings import env_bool, env_int

STOP_GRACE_SECONDS = 15
START_TIMEOUT_SECONDS = 60


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_listening(host: str, port: int, process: subprocess.Popen, timeout: float) -> bool:
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


class Command(BaseCommand):
    help = "Migrate, load the demo, and run the web server and the background worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("MASTHEAD_PORT", 8000))
        parser.add_argument(
            "--web-workers",
            type=int,
            default=env_int("MASTHEAD_WEB_WORKERS", 2),
            help="gunicorn worker processes (default 2, or MASTHEAD_WEB_WORKERS).",
        )
        parser.add_argument(
            "--no-demo",
            action="store_false",
            dest="demo",
            default=env_bool("MASTHEAD_DEMO", True),
            help="Don't load the demo newsroom (or set MASTHEAD_DEMO=0).",
        )

    def handle(self, *args, host: str, port: int, web_workers: int, demo: bool, **options):
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is in use. Stop what is using it, "
                "or choose another with MASTHEAD_PORT."
            )
        self.prepare(demo=demo)
        self.children: list[subprocess.Popen] = []
        self.stopping = False
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)

        web = self.start(
            "web server",
            [
                sys.executable, "-m", "gunicorn", "masthead.wsgi:application",
                "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "--workers", str(web_workers),
                "--access-logfile", "-",
                # Several sites on one machine (and the tests) would share its default path.
                "--no-control-socket",
                "--graceful-timeout", str(STOP_GRACE_SECONDS - 5),
            ],
        )  # fmt: skip
        self.start("worker", [sys.executable, "-m", "django", "run_worker", "--no-reload"])

        if not wait_until_listening(host, port, web, START_TIMEOUT_SECONDS):
            self.stop_children()
            raise CommandError("The web server did not start; its messages are above.")
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS("\nMasthead is running.")
            + f"\n    Site:   http://{shown_host}:{port}/"
            + f"\n    Editor: http://{shown_host}:{port}/admin/"
            + "\nPress Ctrl-C to stop.\n"
        )
        self.supervise()

    def prepare(self, *, demo: bool) -> None:
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            call_command("load_demo")
        call_command("ensure_admin")

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        # Own process group: a Ctrl-C reaches only us, and we stop the children once, in order.
        process = subprocess.Popen(command, start_new_session=True)  # noqa: S603
        process.masthead_name = name  # type: ignore[attr-defined]
        self.children.append(process)
        return process

    def request_stop(self, signum: int, frame) -> None:
        self.stopping = True

    def supervise(self) -> None:
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
        self.stdout.write("Stopped the web server and the worker.")

    def stop_children(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
