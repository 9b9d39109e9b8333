"""A real SMTP server in the test process (aiosmtpd), and Django pointed at it.

`smtp_server` starts one on a free loopback port and sets EMAIL_BACKEND to Django's SMTP backend
for the test. Its inbox keeps every message it accepted, parsed; it can also refuse addresses
(permanently with 5xx, or temporarily with 4xx, for good or for the next few tries), the way
a real mail relay does, and hold a chosen message unanswered (`hold_message`), the way a
connection that hangs mid-send looks to the sender: the test can kill the sender meanwhile.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from masthead.testing.fixtures import free_port


@dataclass
class Mail:
    """One message as the SMTP server received it."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage
    raw: bytes = field(default=b"", repr=False)  # the bytes the server received, as sent

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def header(self, name: str) -> str | None:
        value = self.message[name]
        return None if value is None else str(value)


class Inbox:
    """aiosmtpd's handler: keeps every message delivered to it; refuses what it is told to."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        # address -> SMTP reply for RCPT TO, e.g. "550 5.1.1 No such user" or "451 Try later"
        self.refusals: dict[str, str] = {}
        # address -> how many more times to refuse it (absent: every time)
        self.refusals_left: dict[str, int] = {}
        self.lock = threading.Lock()
        self.commands = {"MAIL": 0, "DATA": 0}  # of each, answered or being answered
        self.hold_at: tuple[str, int] | None = None
        self.holding = threading.Event()  # set once the held message has arrived
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        key = address.lower()
        refusal = self.refusals.get(key)
        if refusal:
            with self.lock:
                if key in self.refusals_left:
                    self.refusals_left[key] -= 1
                    if self.refusals_left[key] <= 0:
                        del self.refusals[key], self.refusals_left[key]
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def _held(self, command: str) -> bool:
        """Count `command`; if it is the one to hold, wait for `release()` and say so."""
        with self.lock:
            self.commands[command] += 1
            held = self.hold_at == (command, self.commands[command])
        if held:
            self.holding.set()
            # Wait without blocking the server's event loop: other connections go on.
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        return held

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if await self._held("MAIL"):
            return "421 4.3.2 Shutting down"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if await self._held("DATA"):
            return "421 4.3.2 Shutting down, message not accepted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(
                Mail(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)
            )
        return "250 Message accepted for delivery"

    def refuse(self, address: str, reply: str, times: int | None = None) -> None:
        """Answer `reply` to RCPT TO `address`: every time, or only the next `times` times."""
        with self.lock:
            self.refusals[address.lower()] = reply
            if times is None:
                self.refusals_left.pop(address.lower(), None)
            else:
                self.refusals_left[address.lower()] = times

    def hold_message(self, number: int, command: str = "DATA") -> None:
        """Leave the `number`th message unanswered until `release()`, then refuse it (it is never
        kept); `holding` is set when it arrives. Counted from the start: with `command` "DATA",
        its content has been sent and waits for the server's answer; with "MAIL", nothing of it
        has been sent yet."""
        self.hold_at = (command, number)

    def release(self) -> None:
        self.released.set()

    def to(self, address: str) -> list[Mail]:
        return [mail for mail in self.mails if address.lower() in map(str.lower, mail.recipients)]

    def count_by_recipient(self) -> dict[str, int]:
        """How many messages each address received."""
        counts: dict[str, int] = {}
        with self.lock:
            for mail in self.mails:
                for address in mail.recipients:
                    counts[address.lower()] = counts.get(address.lower(), 0) + 1
        return counts

    def clear(self) -> None:
        with self.lock:
            self.mails.clear()


class SMTPServer:
    def __init__(self, port: int, handler: Inbox | None = None) -> None:
        self.port = port
        self.inbox = handler or Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.inbox.released.set()  # a held message must not keep the server from stopping
            self.controller.stop()
            self.controller = None

    def email_settings(self) -> dict:
        """Django settings that deliver to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPServer]:
    """A running SMTP server on loopback, with Django's e-mail going to it."""
    server = SMTPServer(free_port())
    server.start()
    for name, value in server.email_settings().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()
