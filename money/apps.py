from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "money"
    verbose_name = "Money"

    def ready(self) -> None:
        from money import payout_webhooks, receivers
        from money.admin.orders import cash_collected, cash_collected_selected, has_cash_permission
        from money.admin.refunds import has_refund_permission, refund
        from money.refund_receivers import refund_receivers_connect
        from orders.admin.extensions import order_actions_register

        receivers.connect()
        payout_webhooks.register()  # Paystack's transfer.* events
        refund_receivers_connect()  # refunds: orders.signals.refunds_due + Paystack's refund.*
        # The order page's "Cash collected" and "Refund", and the list's bulk action: the order
        # admin offers them, but orders cannot import this app.
        order_actions_register(
            detail=[cash_collected, refund],
            selected=[cash_collected_selected],
            permissions=[has_cash_permission, has_refund_permission],
        )
