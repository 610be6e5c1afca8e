"""Order fixtures: the race database (see services/test_placement_race.py) and a fake Paystack
served over HTTP on this machine. Sellable products and a second buyer come from
``catalog.tests.sellable``."""

import hashlib
import hmac
import sqlite3
from decimal import Decimal

import pytest
from django.db import connection, connections

from orders.tests.paystack_server import PAYSTACK_KEY, paystack_served
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


@pytest.fixture
def paystack(settings):
    """Checkout with Paystack on, Paystack being a local HTTP server (``FakePaystack``): our
    client builds and sends real requests over real sockets."""
    with paystack_served() as (fake, url):
        settings.PAYSTACK_SECRET_KEY = PAYSTACK_KEY
        settings.PAYSTACK_API_URL = url
        yield fake


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
def two_maker_cart(customer, phone, shirt_m, buyer_address, standard_shipping):
    """The customer's cart of two phones and a shirt: 230.00, shipped by the default (free)
    method; the paid "Standard" (10.00) is there for a client that names it."""
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
