from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "money"
    verbose_name = "Money"

    def ready(self) -> None:
        from money.refund_receivers import refund_receivers_connect

        refund_receivers_connect()  # refunds: orders.signals.refunds_due + Paystack's refund.*
