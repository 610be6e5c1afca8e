from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "money"
    verbose_name = "Money"

    def ready(self) -> None:
        from money import receivers
        from money.admin.orders import cash_collected, cash_collected_selected, has_cash_permission
        from orders.admin.extensions import order_actions_register

        receivers.connect()
        # The order page's "Cash collected" and the list's bulk action: the order admin offers
        # them, but orders cannot import this app.
        order_actions_register(
            detail=[cash_collected],
            selected=[cash_collected_selected],
            permissions=[has_cash_permission],
        )
