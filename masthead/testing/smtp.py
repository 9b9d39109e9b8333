"""A real SMTP server in the test process (aiosmtpd), and Django pointed at it.

`smtp_server` starts one on a free loopback port and sets EMAIL_BACKEND to Django's SMTP backend
for the test. Its inbox keeps every message it accepted, parsed; it can also refuse addresses
(permanently with 5xx, or temporarily with 4xx), the way a real mail relay does.
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from masthead.testing.fixtures import free_port


@dataclass
class Mail:
    """One message as the SMTP server received it."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

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
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        refusal = self.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def refuse(self, address: str, reply: str) -> None:
        self.refusals[address.lower()] = reply

    def to(self, address: str) -> list[Mail]:
        return [mail for mail in self.mails if address.lower() in map(str.lower, mail.recipients)]

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
