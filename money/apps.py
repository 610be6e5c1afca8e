from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "money"
    verbose_name = "Money"

    def ready(self) -> None:
        from money import payout_webhooks

        payout_webhooks.register()  # Paystack's transfer.* events
