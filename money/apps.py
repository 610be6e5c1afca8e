from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "money"
    verbose_name = "Money"

    def ready(self) -> None:
        from money import payout_webhooks
        from money.refund_receivers import refund_receivers_connect

        payout_webhooks.register()  # Paystack's transfer.* events
        refund_receivers_connect()  # refunds: orders.signals.refunds_due + Paystack's refund.*
