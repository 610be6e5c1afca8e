"""Order fixtures: the race database (see services/test_placement_race.py) and a fake Paystack
served over HTTP on this machine. Sellable products and a second buyer come from
``catalog.tests.sellable``."""

import hashlib
import hmac
import json
import sqlite3
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from django.db import connection, connections

from shopping.models import ShippingMethod
from shopping.services import cart_item_add, shipping_address_create


@pytest.fixture
def race_database(transactional_db, tmp_path):
    """When the test database is SQLite in memory: the rest of the test, in the main thread
    and in every thread it starts, runs on a file copy of it (see the module docstring).
    A file-backed SQLite test database or PostgreSQL is used as it is."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "race.sqlite3"
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    memory_settings = connections.settings["default"]
    file_settings = {**memory_settings, "NAME": str(path)}
    # New connections (one per thread) are made from these settings; the main thread's
    # connection is replaced by hand.
    connections.settings["default"] = file_settings
    file_db = memory.__class__(file_settings, "default")
    connections["default"] = file_db
    try:
        yield
    finally:
        file_db.close()
        connections["default"] = memory
        connections.settings["default"] = memory_settings


PAYSTACK_KEY = "sk_test_martaf_secret"


class FakePaystack:
    """Paystack's API: initialised transactions by reference, each call recorded (method,
    path, payload, authorization header). Served over real HTTP by ``PaystackServer``.

    ``down``: the connection is dropped without an answer (Paystack unreachable). A call
    without our key gets Paystack's 401 "Invalid key"; a verify of a reference it never
    initialised, its 400 "Transaction reference not found"."""

    def __init__(self):
        self.calls: list[dict] = []
        self.transactions: dict[str, dict] = {}
        self.down = False
        self.currency = "NGN"

    def pay(self, reference: str, *, amount: int | None = None, currency: str | None = None):
        transaction = self.transactions[reference]
        transaction.update(status="success", paid_at="2026-11-30T12:00:00.000Z")
        if amount is not None:
            transaction["amount"] = amount
        if currency is not None:
            transaction["currency"] = currency

    def answer(self, *, method: str, path: str, body: bytes, authorization: str | None):
        payload = json.loads(body) if body else None
        self.calls.append(
            {"method": method, "path": path, "payload": payload, "authorization": authorization}
        )
        if authorization != f"Bearer {PAYSTACK_KEY}":
            return 401, {"status": False, "message": "Invalid key"}
        if method == "POST" and path == "/transaction/initialize":
            reference = payload["reference"]
            self.transactions[reference] = {
                "status": "abandoned",
                "amount": payload["amount"],
                "currency": payload.get("currency") or self.currency,
            }
            access = f"ac_{len(self.transactions)}"
            return 200, {
                "status": True,
                "message": "Authorization URL created",
                "data": {
                    "authorization_url": f"https://checkout.paystack.com/{access}",
                    "access_code": access,
                    "reference": reference,
                },
            }
        if method == "GET" and path.startswith("/transaction/verify/"):
            reference = path.rsplit("/", 1)[1]
            transaction = self.transactions.get(reference)
            if transaction is None:
                return 400, {"status": False, "message": "Transaction reference not found"}
            return 200, {
                "status": True,
                "message": "Verification successful",
                "data": {"reference": reference, **transaction},
            }
        return 404, {"status": False, "message": "Not found"}


class _PaystackHandler(BaseHTTPRequestHandler):
    fake: FakePaystack

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.fake.down:
            self.close_connection = True  # no answer at all: the client sees it drop
            return
        status, answer = self.fake.answer(
            method=self.command,
            path=urlparse(self.path).path,
            body=body,
            authorization=self.headers.get("Authorization"),
        )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def paystack(settings):
    """Checkout with Paystack on, Paystack being a local HTTP server (``FakePaystack``): our
    client builds and sends real requests over real sockets."""
    fake = FakePaystack()
    handler = type("Handler", (_PaystackHandler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PAYSTACK_SECRET_KEY = PAYSTACK_KEY
    settings.PAYSTACK_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def paystack_signature(body: bytes, key: str = PAYSTACK_KEY) -> str:
    return hmac.new(key.encode(), body, hashlib.sha512).hexdigest()


@pytest.fixture
def standard_shipping(db):
    return ShippingMethod.objects.create(name="Standard", cost=Decimal("10.00"), estimated_days=3)


@pytest.fixture
def buyer_address(customer):
    return shipping_address_create(
        user=customer,
        full_name="Ama Mensah",
        phone="+233201234567",
        address="12 Oxford Street",
        city="Accra",
        state="Greater Accra",
        country="GH",
        postal_code="00233",
    )


@pytest.fixture
def paystack_cart(customer, phone, shirt_m, buyer_address, standard_shipping):
    """The customer's cart of two phones and a shirt (240.00 with the 10.00 shipping)."""
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
