"""Order fixtures: the race database (see services/test_placement_race.py) and a fake Paystack
behind the HTTP boundary. Sellable products and a second buyer come from
``catalog.tests.sellable``."""

import hashlib
import hmac
import json
import sqlite3
from decimal import Decimal
from urllib.parse import urlparse

import pytest
import requests
from django.db import connection, connections

from shopping.models import ShippingMethod
from shopping.services import shipping_address_create


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
    """Paystack's API as seen through ``requests``: initialised transactions by reference,
    each call recorded (method, path, payload, authorization header)."""

    def __init__(self):
        self.calls: list[dict] = []
        self.transactions: dict[str, dict] = {}
        self.down = False

    def pay(self, reference: str, *, amount: int | None = None) -> None:
        transaction = self.transactions[reference]
        transaction.update(status="success", paid_at="2026-11-30T12:00:00.000Z")
        if amount is not None:
            transaction["amount"] = amount

    def answer(self, request) -> tuple[int, dict]:
        path = urlparse(request.url).path
        payload = json.loads(request.body) if request.body else None
        self.calls.append(
            {
                "method": request.method,
                "path": path,
                "payload": payload,
                "authorization": request.headers.get("Authorization"),
            }
        )
        if request.method == "POST" and path == "/transaction/initialize":
            reference = payload["reference"]
            self.transactions[reference] = {"status": "abandoned", "amount": payload["amount"]}
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
        if request.method == "GET" and path.startswith("/transaction/verify/"):
            reference = path.rsplit("/", 1)[1]
            transaction = self.transactions.get(reference)
            if transaction is None:
                return 400, {"status": False, "message": "Transaction reference not found"}
            return 200, {
                "status": True,
                "message": "Verification successful",
                "data": {"reference": reference, "currency": "NGN", **transaction},
            }
        return 404, {"status": False, "message": "Not found"}


@pytest.fixture
def paystack(settings, monkeypatch):
    """Checkout with Paystack on; Paystack itself replaced at the HTTP boundary (the transport
    adapter of ``requests``): our client builds and sends real requests."""
    settings.PAYSTACK_SECRET_KEY = PAYSTACK_KEY
    fake = FakePaystack()

    def send(adapter, request, **kwargs):
        assert request.url.startswith("https://api.paystack.co/"), request.url
        if fake.down:
            raise requests.ConnectionError("Paystack is down")
        status, body = fake.answer(request)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return fake


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
