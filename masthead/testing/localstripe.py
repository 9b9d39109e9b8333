"""localstripe (a GPL Stripe emulator, test-only) as a subprocess on 127.0.0.1, for the few
end-to-end tests in `masthead/supporters/tests/test_localstripe.py`.

`python -m masthead.testing.localstripe` runs the emulator the way those tests need it:

- bound to 127.0.0.1 only, on a free port it picks itself and prints first (`PORT <n>`);
  localstripe's own `start()` listens on every interface;
- ending when the process that started it ends, however it ends;
- with no state on disk: localstripe pickles its store to the fixed path
  /tmp/localstripe.pickle after every change (shared with any other run on the machine) and
  reloads it on start; here it keeps everything in memory and starts empty;
- understanding the list filters Masthead's `stripe_sync` sends, which localstripe 1.15
  rejects although Stripe has them: `status` and `created` on `GET /v1/invoices`, and
  expanding an invoice's `payments` (a list newer than localstripe: it is left out, and
  Masthead reads the invoice's `payment_intent`, as it does for older API versions).
  `GET /v1/checkout/sessions` answers an empty list: localstripe has no Checkout, so there
  are no sessions.

`Localstripe` starts and stops that process and drives its `/_config/` API.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

READY_TIMEOUT = 20  # seconds for the process to print its port and answer


class Localstripe:
    """A running localstripe process (`start()`), its address (`url`), and its settings."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.folder = Path(tempfile.mkdtemp(prefix="masthead-localstripe-"))
        self.log = self.folder / "stderr.log"  # what the process writes to stderr

    def start(self) -> Localstripe:
        root = Path(__file__).resolve().parents[2]
        path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "masthead.testing.localstripe"],
                cwd=self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        line = self.process.stdout.readline()  # "PORT <n>", or "" if it failed
        if not line.startswith("PORT "):
            rest = self._stop_and_read()
            raise RuntimeError(f"localstripe did not start:\n{line}{rest}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                self._config("DELETE", "/_config/data")
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    rest = self._stop_and_read()
                    message = f"localstripe does not answer at {self.url}:\n{rest}"
                    raise RuntimeError(message) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self._stop_and_read()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stop_and_read(self) -> str:
        process = self.process
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        process.stdout.close()
        return self.errors()

    def errors(self) -> str:
        """What the process has written to stderr so far (tracebacks of requests it failed)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def flush(self) -> None:
        """Forget every object (customers, plans, subscriptions...); webhooks stay set."""
        self._config("DELETE", "/_config/data")

    def register_webhook(self, name: str, url: str, secret: str, events: list[str]) -> None:
        """Send `events` (signed with `secret`) to `url`; registering `name` again replaces
        it. Like a Stripe webhook endpoint, it gets only the events it is set up for."""
        fields = [("url", url), ("secret", secret)] + [("events[]", event) for event in events]
        self._config("POST", f"/_config/webhooks/{name}", urllib.parse.urlencode(fields))

    def _config(self, method: str, path: str, body: str | None = None) -> None:
        request = urllib.request.Request(
            self.url + path,
            data=body.encode() if body is not None else None,
            method=method,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()


# --- The process -----------------------------------------------------------------------------


def _compatible_lists():
    """An aiohttp middleware: the list filters Stripe has and localstripe lacks (see above)."""
    from aiohttp import web
    from multidict import MultiDict

    async def middleware(request, handler):
        path = request.path.rstrip("/")
        if request.method == "GET" and path == "/v1/checkout/sessions":
            empty = {"object": "list", "data": [], "has_more": False, "url": path}
            return web.json_response(empty)
        if request.method != "GET" or not path.startswith("/v1/invoices"):
            return await handler(request)
        query = MultiDict(request.query)
        status = query.popall("status", [None])[0]
        created = {}
        for key in list(query):
            if key.startswith("created["):
                created[key[len("created[") : -1]] = int(query.popall(key)[0])
        expand = [query.pop(key) for key in list(query) if key.startswith("expand[")]
        kept = [field for field in expand if field.split(".")[-1] != "payments"]
        query.extend((f"expand[{i}]", field) for i, field in enumerate(kept))
        response = await handler(request.clone(rel_url=request.rel_url.with_query(query)))
        if path != "/v1/invoices" or response.status != 200 or not (status or created):
            return response
        listed = json.loads(response.text)
        checks = {
            "gt": lambda t, v: t > v,
            "gte": lambda t, v: t >= v,
            "lt": lambda t, v: t < v,
            "lte": lambda t, v: t <= v,
        }
        listed["data"] = [
            invoice
            for invoice in listed["data"]
            if (status is None or invoice.get("status") == status)
            and all(checks[op](invoice.get("created", 0), v) for op, v in created.items())
        ]
        return web.json_response(listed)

    return web.middleware(middleware)


_tasks: list = []  # keeps the watcher task referenced


async def _end_with_parent(app) -> None:
    """Stop when the test run that started this process is gone (even if it was killed)."""
    import asyncio

    parent = os.getppid()

    async def watch() -> None:
        while os.getppid() == parent:
            await asyncio.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    _tasks.append(asyncio.ensure_future(watch()))


def main() -> None:
    import socket

    from aiohttp import web
    from localstripe import resources, server

    # No state on disk: start empty, and never write the shared /tmp/localstripe.pickle.
    resources.Store.dump_to_disk = lambda self: None
    resources.Store.try_load_from_disk = lambda self: None
    server.app.middlewares.append(_compatible_lists())
    server.app.on_startup.append(_end_with_parent)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    web.run_app(server.app, sock=sock, print=None, access_log=None, handle_signals=True)


if __name__ == "__main__":
    main()
