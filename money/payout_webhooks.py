"""Paystack's transfer events, handled for the webhook endpoint of orders (``orders.webhooks``):
``register()`` is called once from ``MoneyConfig.ready``.

- ``transfer.success``: the payout is paid;
- ``transfer.failed`` / ``transfer.reversed``: the payout failed, its amount is back in the
  manufacturer's balance.

Each is idempotent (``payout_transfer_settle`` takes an outcome once): a replay, or the same
event delivered twice at once, changes nothing more.
"""

from money.services.payouts import payout_transfer_settle
from orders.webhooks import webhook_handler_register

OUTCOMES = {
    "transfer.success": "success",
    "transfer.failed": "failed",
    "transfer.reversed": "reversed",
}


def _amount(data: dict) -> int | None:
    try:
        return int(data["amount"])
    except (KeyError, TypeError, ValueError):
        return None


def _reason(data: dict) -> str:
    for key in ("reason", "gateway_response", "message"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _handler(outcome: str):
    def handle(data: dict) -> None:
        reference = data.get("reference")
        if not isinstance(reference, str) or not reference:
            return
        payout_transfer_settle(
            reference=reference,
            outcome=outcome,
            reason="" if outcome == "success" else _reason(data),
            amount_kobo=_amount(data),
        )

    handle.__name__ = f"payout_{outcome}"
    return handle


_HANDLERS = {event: _handler(outcome) for event, outcome in OUTCOMES.items()}


def register() -> None:
    for event, handler in _HANDLERS.items():
        webhook_handler_register(event, handler)
