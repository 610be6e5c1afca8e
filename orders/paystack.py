"""Paystack's REST API, as checkout uses it: initialise a transaction, verify one, and check a
webhook's signature.

- ``POST https://api.paystack.co/transaction/initialize`` with our reference, the buyer's email,
  the amount in kobo (the currency's subunit) and the currency (``settings.CURRENCY``) ->
  ``authorization_url`` (Paystack's hosted payment page).
- ``GET https://api.paystack.co/transaction/verify/<reference>`` -> the transaction's
  ``status`` ("success" when paid), ``amount`` and ``currency``.
- A webhook carries ``x-paystack-signature``: the HMAC-SHA512 of the raw body keyed with the
  secret key, hex-encoded.

Every call is authenticated with ``Authorization: Bearer <PAYSTACK_SECRET_KEY>``. Failures
raise ``PaystackUnavailable``; its subclass ``PaystackRefused`` is Paystack answering that it
will not (a 4xx: an unknown reference, an invalid key), which asking again will not change,
as opposed to Paystack not answering (network, timeout, a 5xx, an unreadable answer).
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class PaystackUnavailable(Exception):
    """Paystack could not be reached, refused the call, or answered something unreadable."""


class PaystackRefused(PaystackUnavailable):
    """Paystack answered and refused the call (a 4xx): asking again will get the same."""


@dataclass(frozen=True)
class PaystackTransaction:
    reference: str
    status: str  # "success", "abandoned", "failed", "ongoing", "pending", ...
    amount_kobo: int
    paid_at: str | None = None
    currency: str = ""

    @property
    def paid(self) -> bool:
        return self.status == "success"


def paystack_configured() -> bool:
    return bool(settings.PAYSTACK_SECRET_KEY)


def amount_in_kobo(amount: Decimal) -> int:
    """Paystack counts in the currency's subunit: 1,234.50 -> 123450."""
    return int((Decimal(amount) * 100).to_integral_value())


def _call(method: str, path: str, *, payload: dict | None = None) -> dict:
    data = _data(method, path, payload=payload)
    if not isinstance(data, dict):
        raise PaystackUnavailable("Paystack answered without data.")
    return data


def _data(method: str, path: str, *, payload: dict | None = None):
    """The ``data`` of Paystack's answer to one call (an object or a list)."""
    url = f"{settings.PAYSTACK_API_URL}{path}"
    headers = {"Authorization": f"Bearer {settings.PAYSTACK_SECRET_KEY}"}
    try:
        response = requests.request(
            method,
            url,
            json=payload,
            headers=headers,
            timeout=settings.PAYSTACK_HTTP_TIMEOUT_SECONDS,
        )
        body = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("Paystack %s %s failed: %r", method, path, error)
        raise PaystackUnavailable("Paystack could not be reached.") from error
    if not response.ok or not isinstance(body, dict) or not body.get("status"):
        message = body.get("message") if isinstance(body, dict) else None
        logger.warning("Paystack %s %s refused (%s): %s", method, path, response.status_code,
                       message)
        kind = PaystackRefused if 400 <= response.status_code < 500 else PaystackUnavailable
        raise kind(f"Paystack refused the call: {message or response.status_code}.")
    return body.get("data")


def paystack_request(
    method: str, path: str, *, payload: dict | None = None, params: dict | None = None
) -> dict | list:
    """One authenticated call of Paystack's API (``path`` under ``PAYSTACK_API_URL``, ``params``
    as its query string), for the calls the apps above orders make (banks, transfers, refunds):
    the answer's ``data`` (an object, or a list for lists); ``PaystackRefused`` for a 4xx,
    ``PaystackUnavailable`` otherwise."""
    if params:
        path = f"{path}?{urlencode(params)}"
    data = _data(method, path, payload=payload)
    if not isinstance(data, dict | list):
        raise PaystackUnavailable("Paystack answered without data.")
    return data


def paystack_initialize(
    *, reference: str, email: str, amount: Decimal, metadata: dict | None = None
) -> str:
    """Start a transaction of ``amount`` for ``email`` under our ``reference``; returns the
    ``authorization_url`` to send the buyer to."""
    data = _call(
        "POST",
        "/transaction/initialize",
        payload={
            "reference": reference,
            "email": email,
            "amount": amount_in_kobo(amount),
            "currency": settings.CURRENCY,
            "callback_url": settings.PAYSTACK_CALLBACK_URL,
            "metadata": metadata or {},
        },
    )
    url = data.get("authorization_url")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise PaystackUnavailable("Paystack answered without a payment page.")
    return url


def paystack_verify(*, reference: str) -> PaystackTransaction:
    """What Paystack knows of the transaction ``reference`` now."""
    data = _call("GET", f"/transaction/verify/{quote(reference, safe='')}")
    try:
        return PaystackTransaction(
            reference=str(data.get("reference") or reference),
            status=str(data.get("status") or ""),
            amount_kobo=int(data.get("amount") or 0),
            paid_at=data.get("paid_at") or data.get("paidAt"),
            currency=str(data.get("currency") or "").upper(),
        )
    except (TypeError, ValueError) as error:
        raise PaystackUnavailable("Paystack answered an unreadable transaction.") from error


def paystack_signature_valid(*, body: bytes, signature: str | None) -> bool:
    """Whether ``signature`` (the ``x-paystack-signature`` header) is the HMAC-SHA512 of the raw
    ``body`` with our secret key (compared in constant time). False without a key."""
    secret = settings.PAYSTACK_SECRET_KEY
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())
