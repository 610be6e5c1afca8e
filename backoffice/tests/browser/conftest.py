"""Fixtures of the working-day walks: ``walk`` (a page at a desk's width and at a phone's) and
the fake Paystack the orders tests serve over HTTP (``paystack``)."""

from backoffice.tests.browser.journey import walk  # noqa: F401 (fixture)
from orders.tests.conftest import paystack  # noqa: F401 (fixture)
