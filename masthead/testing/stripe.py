"""A stand-in for Stripe's API on 127.0.0.1, for tests: Masthead's real code, through the
official SDK and its real HTTP client, talks to it over a socket (`STRIPE_API_BASE`).

It keeps state like Stripe (products, customers, Checkout Sessions, subscriptions, invoices,
payment intents, charges, portal sessions), answers with objects in the shape of the pinned
API version (2026-10-28: an invoice's subscription under `parent`, billing periods on
subscription items), honours idempotency keys, records every request, and can be made
unreachable. Tests play Stripe's part with its methods (`complete_checkout`, `renew`,
`fail_renewal`, `cancel`, `refund`) and deliver the events Stripe would send, signed with the
real `Stripe-Signature` scheme (`event`, `signed`).

`/pay/<session>` is a tiny Checkout page for browser tests: its button completes the session,
delivers the webhooks to `webhook_url`, and returns to the session's success URL.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

API_VERSION = "2026-10-28.endive"
WEBHOOK_SECRET = "whsec_test_masthead"


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: dict

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


def decode_form(body: str) -> dict:
    """Stripe's nested form encoding (`a[b][0][c]=1`) back into dicts and lists."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part, following in itertools.zip_longest(parts, parts[1:]):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _listify(root)


def _listify(node):
    if isinstance(node, dict):
        converted = {key: _listify(value) for key, value in node.items()}
        if converted and all(key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    return node


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class FakeStripe:
    def __init__(self) -> None:
        self.objects: dict[str, dict] = {}
        self.requests: list[Request] = []
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.unreachable = False
        self.webhook_url: str | None = None
        self.webhook_secret = WEBHOOK_SECRET
        self.livemode = False
        self._counter = itertools.count(1)
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- Objects ---------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._counter):05d}"

    def store(self, obj: dict) -> dict:
        self.objects[obj["id"]] = obj
        return obj

    def now(self) -> int:
        return int(time.time())

    def customer(self, email: str, name: str | None = None) -> dict:
        for obj in self.objects.values():
            if obj["object"] == "customer" and obj["email"] == email:
                return obj
        return self.store(
            {
                "id": self.new_id("cus"),
                "object": "customer",
                "email": email,
                "name": name,
                "livemode": self.livemode,
                "created": self.now(),
                "metadata": {},
            }
        )

    def requests_to(self, method: str, path_prefix: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # --- The API ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            return self._route(method, path, params)

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if parts[0] != "v1":
            return 404, _error("Unrecognized request URL.")
        resource = "/".join(parts[1:])
        if method == "POST" and resource == "products":
            return 200, self.store(
                {
                    "id": self.new_id("prod"),
                    "object": "product",
                    "name": params.get("name"),
                    "metadata": params.get("metadata", {}),
                    "livemode": self.livemode,
                }
            )
        if method == "POST" and resource == "checkout/sessions":
            return self._create_session(params)
        if method == "GET" and resource == "checkout/sessions":
            return 200, self._list("checkout.session", params)
        if method == "POST" and resource == "billing_portal/sessions":
            if params.get("customer") not in self.objects:
                return 400, _error("No such customer", param="customer")
            portal_id = self.new_id("bps")
            return 200, self.store(
                {
                    "id": portal_id,
                    "object": "billing_portal.session",
                    "customer": params["customer"],
                    "return_url": params.get("return_url"),
                    "url": f"{self.url}/portal/{portal_id}",
                    "livemode": self.livemode,
                }
            )
        if method == "GET" and resource == "subscriptions":
            return 200, self._list("subscription", params)
        if method == "GET" and resource == "invoices":
            listed = self._list("invoice", params)
            if "data.payments" in (params.get("expand") or []):
                listed["data"] = [self._invoice_view(inv, True) for inv in listed["data"]]
            return 200, listed
        if len(parts) >= 3:
            object_id = parts[-1]
            obj = self.objects.get(object_id)
            if obj is None:
                return 404, _error(f"No such object: '{object_id}'", param="id")
            if method == "GET":
                if obj["object"] == "invoice":
                    return 200, self._invoice_view(obj, "payments" in (params.get("expand") or []))
                return 200, obj
            if method == "POST" and obj["object"] == "subscription":
                return self._update_subscription(obj, params)
        return 404, _error("Unrecognized request URL.")

    def _list(self, kind: str, params: dict) -> dict:
        items = [o for o in self.objects.values() if o["object"] == kind]
        status = params.get("status")
        if status and status != "all":
            items = [o for o in items if o.get("status") == status]
        elif kind == "subscription" and not status:
            items = [o for o in items if o.get("status") != "canceled"]
        since = _int((params.get("created") or {}).get("gte"), 0)
        items = [o for o in items if o.get("created", 0) >= since]
        items.sort(key=lambda o: o.get("created", 0), reverse=True)
        limit = _int(params.get("limit"), 10)
        if params.get("starting_after"):
            ids = [o["id"] for o in items]
            start = (
                ids.index(params["starting_after"]) + 1 if params["starting_after"] in ids else 0
            )
            items = items[start:]
        page = items[:limit]
        return {
            "object": "list",
            "data": page,
            "has_more": len(items) > limit,
            "url": f"/v1/{kind}s",
        }

    def _create_session(self, params: dict) -> tuple[int, dict]:
        line = (params.get("line_items") or [{}])[0]
        price_data = line.get("price_data") or {}
        if price_data.get("product") not in self.objects:
            return 400, _error("No such product", param="line_items[0][price_data][product]")
        amount = _int(price_data.get("unit_amount")) * _int(line.get("quantity"), 1)
        session_id = self.new_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": price_data.get("currency"),
            "client_reference_id": params.get("client_reference_id"),
            "customer": params.get("customer"),
            "customer_email": params.get("customer_email"),
            "customer_details": None,
            "metadata": params.get("metadata", {}),
            "locale": params.get("locale"),
            "submit_type": params.get("submit_type"),
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "livemode": self.livemode,
            "created": self.now(),
            "url": f"{self.url}/pay/{session_id}",
            # Kept to build the subscription or payment when the reader pays.
            "_line": line,
            "_subscription_data": params.get("subscription_data") or {},
            "_payment_intent_data": params.get("payment_intent_data") or {},
        }
        self.store(session)
        return 200, _public(session)

    def _update_subscription(self, sub: dict, params: dict) -> tuple[int, dict]:
        for change in params.get("items") or []:
            item = next(i for i in sub["items"]["data"] if i["id"] == change.get("id"))
            price_data = change.get("price_data") or {}
            item["price"] = self._price(
                price_data.get("currency"),
                _int(price_data.get("unit_amount")),
                (price_data.get("recurring") or {}).get("interval"),
                price_data.get("product"),
            )
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
        if "metadata" in params:
            sub["metadata"].update(params["metadata"])
        return 200, sub

    def _price(self, currency, unit_amount, interval, product) -> dict:
        return {
            "id": self.new_id("price"),
            "object": "price",
            "currency": currency,
            "unit_amount": unit_amount,
            "product": product,
            "recurring": {"interval": interval, "interval_count": 1} if interval else None,
            "type": "recurring" if interval else "one_time",
            "livemode": self.livemode,
        }

    def _invoice_view(self, invoice: dict, expand_payments: bool) -> dict:
        view = {k: v for k, v in invoice.items() if not k.startswith("_")}
        if expand_payments:
            view["payments"] = {
                "object": "list",
                "data": [
                    {
                        "object": "invoice_payment",
                        "status": "paid",
                        "payment": {"type": "payment_intent", "payment_intent": invoice["_pi"]},
                    }
                ]
                if invoice.get("_pi") and invoice["status"] == "paid"
                else [],
                "has_more": False,
            }
        return view

    # --- Playing Stripe's part in tests ---------------------------------------------------

    def complete_checkout(
        self, session_id: str, email: str = "reader@example.org", paid: bool = True
    ) -> dict:
        """The reader pays at Checkout: makes the customer, and the subscription and its first
        invoice, or the one-time payment. `paid=False` is a delayed method (e.g. SEPA)."""
        with self._lock:
            session = self.objects[session_id]
            customer = (
                self.objects[session["customer"]]
                if session.get("customer")
                else self.customer(session.get("customer_email") or email)
            )
            session["customer"] = customer["id"]
            session["customer_details"] = {"email": customer["email"], "name": customer["name"]}
            session["status"] = "complete"
            session["payment_status"] = "paid" if paid else "unpaid"
            line = session["_line"]
            price_data = line["price_data"]
            if session["mode"] == "subscription":
                sub = self.subscription(
                    customer["id"],
                    _int(price_data["unit_amount"]),
                    price_data["currency"],
                    price_data["recurring"]["interval"],
                    product=price_data["product"],
                    metadata=session["_subscription_data"].get("metadata", {}),
                )
                session["subscription"] = sub["id"]
                session["invoice"] = sub["latest_invoice"]
            else:
                pi = self.payment(
                    customer["id"],
                    session["amount_total"],
                    session["currency"],
                    metadata=session["_payment_intent_data"].get("metadata", {}),
                    succeeded=paid,
                )
                session["payment_intent"] = pi["id"]
            return _public(session)

    def succeed_delayed_payment(self, session_id: str) -> dict:
        with self._lock:
            session = self.objects[session_id]
            session["payment_status"] = "paid"
            if session.get("payment_intent"):
                pi = self.objects[session["payment_intent"]]
                pi["status"] = "succeeded"
                self._charge_for(pi)
            return _public(session)

    def subscription(
        self,
        customer_id: str,
        amount: int,
        currency: str = "usd",
        interval: str = "month",
        product: str | None = None,
        metadata: dict | None = None,
        status: str = "active",
    ) -> dict:
        now = self.now()
        sub_id = self.new_id("sub")
        period_end = now + (365 if interval == "year" else 30) * 86400
        sub = self.store(
            {
                "id": sub_id,
                "object": "subscription",
                "customer": customer_id,
                "status": status,
                "cancel_at_period_end": False,
                "cancel_at": None,
                "canceled_at": None,
                "ended_at": None,
                "start_date": now,
                "created": now,
                "livemode": self.livemode,
                "metadata": metadata or {},
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": self.new_id("si"),
                            "object": "subscription_item",
                            "quantity": 1,
                            "current_period_start": now,
                            "current_period_end": period_end,
                            "price": self._price(currency, amount, interval, product),
                        }
                    ],
                    "has_more": False,
                },
                "latest_invoice": None,
            }
        )
        if status == "active":
            self.invoice(sub, paid=True)
        return sub

    def invoice(self, sub: dict, paid: bool = True) -> dict:
        item = sub["items"]["data"][0]
        amount = item["price"]["unit_amount"]
        pi = self.payment(sub["customer"], amount, item["price"]["currency"], succeeded=paid)
        now = self.now()
        invoice = self.store(
            {
                "id": self.new_id("in"),
                "object": "invoice",
                "customer": sub["customer"],
                "status": "paid" if paid else "open",
                "amount_due": amount,
                "amount_paid": amount if paid else 0,
                "attempt_count": 1,
                "currency": item["price"]["currency"],
                "billing_reason": "subscription_cycle",
                "livemode": self.livemode,
                "created": now,
                "status_transitions": {"paid_at": now if paid else None},
                "parent": {
                    "type": "subscription_details",
                    "subscription_details": {
                        "subscription": sub["id"],
                        "metadata": sub["metadata"],
                    },
                },
                "_pi": pi["id"],
            }
        )
        sub["latest_invoice"] = invoice["id"]
        return invoice

    def payment(
        self,
        customer_id: str,
        amount: int,
        currency: str,
        metadata: dict | None = None,
        succeeded: bool = True,
    ) -> dict:
        pi = self.store(
            {
                "id": self.new_id("pi"),
                "object": "payment_intent",
                "customer": customer_id,
                "amount": amount,
                "currency": currency,
                "status": "succeeded" if succeeded else "processing",
                "metadata": metadata or {},
                "latest_charge": None,
                "livemode": self.livemode,
                "created": self.now(),
            }
        )
        if succeeded:
            self._charge_for(pi)
        return pi

    def _charge_for(self, pi: dict) -> dict:
        charge = self.store(
            {
                "id": self.new_id("ch"),
                "object": "charge",
                "amount": pi["amount"],
                "amount_refunded": 0,
                "refunded": False,
                "currency": pi["currency"],
                "customer": pi["customer"],
                "payment_intent": pi["id"],
                "livemode": self.livemode,
                "created": self.now(),
            }
        )
        pi["latest_charge"] = charge["id"]
        return charge

    def renew(self, sub_id: str) -> dict:
        """A renewal payment succeeds: a new paid invoice, the subscription active again."""
        with self._lock:
            sub = self.objects[sub_id]
            sub["status"] = "active"
            return self.invoice(sub, paid=True)

    def fail_renewal(self, sub_id: str) -> dict:
        """A renewal payment fails: an open invoice, the subscription past due."""
        with self._lock:
            sub = self.objects[sub_id]
            sub["status"] = "past_due"
            return self.invoice(sub, paid=False)

    def cancel(self, sub_id: str, at_period_end: bool = False) -> dict:
        with self._lock:
            sub = self.objects[sub_id]
            if at_period_end:
                sub["cancel_at_period_end"] = True
                sub["cancel_at"] = sub["items"]["data"][0]["current_period_end"]
            else:
                sub["status"] = "canceled"
                sub["canceled_at"] = sub["ended_at"] = self.now()
            return sub

    def set_status(self, sub_id: str, status: str) -> dict:
        with self._lock:
            self.objects[sub_id]["status"] = status
            return self.objects[sub_id]

    def refund(self, charge_id: str, amount: int | None = None) -> dict:
        with self._lock:
            charge = self.objects[charge_id]
            charge["amount_refunded"] = min(
                charge["amount"], charge["amount_refunded"] + (amount or charge["amount"])
            )
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            return charge

    def charge_of(self, payment_intent_id: str) -> dict:
        return self.objects[self.objects[payment_intent_id]["latest_charge"]]

    # --- Events ----------------------------------------------------------------------------

    def event(self, event_type: str, obj: dict, created: int | None = None) -> dict:
        """A Stripe event about `obj` (a snapshot of it now), as Stripe would deliver it."""
        snapshot = json.loads(json.dumps(_public(obj)))
        if snapshot.get("object") == "invoice":
            snapshot = self._invoice_view(obj, False)
        return {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": created or self.now(),
            "livemode": self.livemode,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
            "data": {"object": snapshot},
        }

    def signed(self, event: dict, secret: str | None = None, timestamp: int | None = None):
        """The body bytes and the `Stripe-Signature` header Stripe would send."""
        body = json.dumps(event).encode()
        return body, sign(body, secret or self.webhook_secret, timestamp)

    def deliver(self, event: dict, url: str | None = None) -> int:
        """POST a signed event to Masthead's webhook over HTTP; returns the status code."""
        body, signature = self.signed(event)
        request = urllib.request.Request(
            url or self.webhook_url,
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def events_for_checkout(self, session_id: str) -> list[dict]:
        """What Stripe sends when a Checkout Session completes."""
        session = self.objects[session_id]
        events = []
        if session.get("subscription"):
            sub = self.objects[session["subscription"]]
            events.append(self.event("customer.subscription.created", sub))
            events.append(self.event("invoice.paid", self.objects[sub["latest_invoice"]]))
        events.append(self.event("checkout.session.completed", session))
        return events


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header: HMAC-SHA256 of "<t>.<body>" with the endpoint secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed_payload = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed_payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _public(obj: dict) -> dict:
    return {key: value for key, value in obj.items() if not key.startswith("_")}


def _error(message: str, param: str | None = None) -> dict:
    return {"error": {"type": "invalid_request_error", "message": message, "param": param}}


def _handler_for(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: bytes, content_type: str, location: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)

        def _api(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            split = urlsplit(self.path)
            params = decode_form(raw if method == "POST" else split.query)
            if fake.unreachable:
                # Drop the connection without an answer, as a network failure would.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if split.path.startswith(("/pay/", "/portal/")):
                return self._pages(method, split.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(Request(method, split.path, params, headers))
            key = headers.get("idempotency-key")
            if method == "POST" and key and key in fake.idempotent:
                status, answer = fake.idempotent[key]
            else:
                status, answer = fake.handle(method, split.path, params)
                if method == "POST" and key:
                    fake.idempotent[key] = (status, answer)
            body = json.dumps(answer).encode()
            self._answer(status, body, "application/json")

        def _pages(self, method: str, path: str) -> None:
            object_id = path.rstrip("/").rsplit("/", 1)[-1]
            obj = fake.objects.get(object_id)
            if obj is None:
                return self._answer(404, b"Not found", "text/plain")
            if path.startswith("/portal/"):
                page = (
                    f"<link rel=icon href='data:,'><h1>Customer portal</h1><p>{obj['customer']}</p>"
                )
                return self._answer(200, page.encode(), "text/html; charset=utf-8")
            if method == "GET":
                page = (
                    "<!doctype html><title>Fake Checkout</title>"
                    "<link rel=icon href='data:,'><h1>Pay</h1>"
                    f"<p class=amount>{obj['amount_total']} {obj['currency']}</p>"
                    f"<p class=mode>{obj['mode']}</p><p class=locale>{obj['locale']}</p>"
                    f'<form method=post action="/pay/{object_id}"><button>Pay</button></form>'
                )
                return self._answer(200, page.encode(), "text/html; charset=utf-8")
            fake.complete_checkout(object_id)
            if fake.webhook_url:
                for event in fake.events_for_checkout(object_id):
                    fake.deliver(event)
            success = obj["success_url"].replace("{CHECKOUT_SESSION_ID}", object_id)
            return self._answer(303, b"", "text/plain", location=success)

        def do_GET(self) -> None:
            self._api("GET")

        def do_POST(self) -> None:
            self._api("POST")

    return Handler


@pytest.fixture
def fake_stripe(settings):
    """A running fake Stripe that Masthead is configured to use (test-mode keys)."""
    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_masthead"
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.MASTHEAD_STRIPE_FORM_ORIGINS = [fake.url]
    yield fake
    fake.close()
