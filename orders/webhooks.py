"""Paystack's webhook events that the apps above orders handle.

The webhook endpoint (``orders.api.checkout.PaystackWebhookView``) lives in orders: it checks the
signature on the raw body and records ``charge.success`` itself. Other events (transfers to
manufacturers, refunds) belong to apps above orders, which orders must not import. Those apps
register a handler per event name here when they start (``AppConfig.ready``); the view hands a
well-signed event to its handler.

A handler receives the event's ``data`` object and must be idempotent: Paystack delivers an
event at least once, sometimes twice at once. An exception in a handler answers 500, so Paystack
delivers the event again later.
"""

from collections.abc import Callable

WebhookHandler = Callable[[dict], None]

_handlers: dict[str, WebhookHandler] = {}


def webhook_handler_register(event: str, handler: WebhookHandler) -> None:
    """Have ``handler(data)`` called for each well-signed ``event`` (e.g. "transfer.success").
    One handler per event; registering the same one again is harmless, another one is an
    error (two apps claiming one event)."""
    current = _handlers.get(event)
    if current is not None and current is not handler:
        raise ValueError(f"A handler for Paystack's {event!r} is already registered: {current!r}")
    _handlers[event] = handler


def webhook_handler_for(event: str) -> WebhookHandler | None:
    return _handlers.get(event)


def webhook_events_handled() -> list[str]:
    return sorted(_handlers)
