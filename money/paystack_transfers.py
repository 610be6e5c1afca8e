"""Paystack's calls for paying manufacturers, over ``orders.paystack.paystack_request`` (the
one HTTP client: its key, timeouts, and ``PaystackRefused`` for a 4xx vs ``PaystackUnavailable``
for no answer).

- ``GET /bank/resolve?account_number=&bank_code=`` -> the account's name at the bank (a 422
  when the bank cannot resolve it).
- ``POST /transferrecipient`` (type "nuban", name, account number, bank code, currency) -> a
  ``recipient_code``, created once per bank account and kept on it.
- ``POST /transfer`` (source "balance", amount in kobo, recipient, our reference, reason) ->
  the transfer (``transfer_code``, status "pending"/"otp"/"success"...). Paystack refuses a
  reference it has seen: a retry with the same reference is never paid twice.
- ``GET /transfer/verify/<reference>`` -> the transfer Paystack holds under our reference.

The outcome of a transfer arrives later by webhook: ``transfer.success``, ``transfer.failed``,
``transfer.reversed`` (``money.payout_webhooks``).
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings

from orders.paystack import PaystackUnavailable, amount_in_kobo, paystack_request


@dataclass(frozen=True)
class PaystackTransfer:
    reference: str
    transfer_code: str
    status: str  # "pending", "otp", "success", "failed", "reversed", "abandoned", ...
    amount_kobo: int


def _object(data) -> dict:
    if not isinstance(data, dict):
        raise PaystackUnavailable("Paystack answered a list where an object was expected.")
    return data


def paystack_account_resolve(*, account_number: str, bank_code: str) -> str:
    """The name the bank holds for the account (``PaystackRefused`` when it cannot say)."""
    data = _object(
        paystack_request(
            "GET",
            "/bank/resolve",
            params={"account_number": account_number, "bank_code": bank_code},
        )
    )
    name = str(data.get("account_name") or "").strip()
    if not name:
        raise PaystackUnavailable("Paystack resolved the account without a name.")
    return name


def paystack_recipient_create(*, name: str, account_number: str, bank_code: str) -> str:
    """A transfer recipient for the account; returns its ``recipient_code``."""
    data = _object(
        paystack_request(
            "POST",
            "/transferrecipient",
            payload={
                "type": "nuban",
                "name": name,
                "account_number": account_number,
                "bank_code": bank_code,
                "currency": settings.CURRENCY,
            },
        )
    )
    code = str(data.get("recipient_code") or "")
    if not code:
        raise PaystackUnavailable("Paystack created no recipient.")
    return code


def _transfer(data, reference: str) -> PaystackTransfer:
    data = _object(data)
    try:
        return PaystackTransfer(
            reference=str(data.get("reference") or reference),
            transfer_code=str(data.get("transfer_code") or ""),
            status=str(data.get("status") or ""),
            amount_kobo=int(data.get("amount") or 0),
        )
    except (TypeError, ValueError) as error:
        raise PaystackUnavailable("Paystack answered an unreadable transfer.") from error


def paystack_transfer_create(
    *, amount: Decimal, recipient_code: str, reference: str, reason: str
) -> PaystackTransfer:
    """Send ``amount`` from the marketplace's Paystack balance to the recipient under our
    ``reference``."""
    data = paystack_request(
        "POST",
        "/transfer",
        payload={
            "source": "balance",
            "amount": amount_in_kobo(amount),
            "currency": settings.CURRENCY,
            "recipient": recipient_code,
            "reference": reference,
            "reason": reason,
        },
    )
    return _transfer(data, reference)


def paystack_transfer_verify(*, reference: str) -> PaystackTransfer:
    """The transfer Paystack holds under our ``reference`` (``PaystackRefused``: none)."""
    return _transfer(
        paystack_request("GET", f"/transfer/verify/{quote(reference, safe='')}"), reference
    )
