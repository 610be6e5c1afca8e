"""The refunds' receivers of what orders tells the layer above (``orders.signals``) and of
Paystack's refund webhooks (``orders.webhooks``), connected once by ``MoneyConfig.ready``
(``refund_receivers_connect``)."""

from orders.signals import refunds_due
from orders.webhooks import webhook_handler_register


def on_refunds_due(sender, order_ids, **kwargs) -> None:
    """Cancelled orders of a checkout paid online: each gets its refund (in the cancelling
    transaction)."""
    from money.services.refunds import refund_for_cancelled

    refund_for_cancelled(order_ids=order_ids)


def refund_receivers_connect() -> None:
    from money.services.refund_paystack import refund_failed_webhook, refund_processed_webhook

    refunds_due.connect(on_refunds_due, dispatch_uid="money.refunds_due")
    webhook_handler_register("refund.processed", refund_processed_webhook)
    webhook_handler_register("refund.failed", refund_failed_webhook)
