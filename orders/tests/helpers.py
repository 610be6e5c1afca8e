"""Plain helpers of the order tests (usable where fixtures are not: threads, other databases)."""

import json

from django.db.models import Sum

from catalog.models import Product, StockMovement, Variation
from catalog.tests.sellable import public_product  # noqa: F401 (the tests import it from here)
from orders.models import Order
from orders.services import OrderLineRequest, order_place
from users.models import User


def line(product: Product, quantity: int = 1, variation: Variation | None = None):
    return OrderLineRequest(
        product_id=product.pk,
        quantity=quantity,
        variation_id=variation.pk if variation else None,
    )


def place(buyer: User, *lines: OrderLineRequest, payment_method: str = "CASH", **extra) -> Order:
    return order_place(buyer=buyer, lines=list(lines), payment_method=payment_method, **extra)


def stock_of(variation: Variation) -> int:
    return Variation.objects.values_list("stock", flat=True).get(pk=variation.pk)


def assert_ledger_agrees(*products: Product) -> None:
    """Each variation's stock is the sum of its ledger rows; inventory the sum of its stock."""
    for product in products:
        product.refresh_from_db()
        variations = list(product.variations.all())
        for variation in variations:
            total = StockMovement.objects.filter(variation=variation).aggregate(s=Sum("delta"))
            assert (total["s"] or 0) == variation.stock, variation
        assert product.inventory == sum(v.stock for v in variations), product


WEBHOOK = "/paystack/webhook/"


def charge_success(reference: str, amount: int, currency: str = "NGN") -> bytes:
    """A signed-to-be ``charge.success`` event of Paystack's."""
    return json.dumps(
        {
            "event": "charge.success",
            "data": {
                "reference": reference,
                "amount": amount,
                "status": "success",
                "paid_at": "2026-11-30T12:00:00.000Z",
                "currency": currency,
            },
        }
    ).encode()


def post_webhook(client, body: bytes, signature: str | None):
    headers = {"HTTP_X_PAYSTACK_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK, body, content_type="application/json", **headers)


def checkout_snapshot() -> tuple:
    """Everything a refused checkout must leave as it was."""
    from orders.models import Checkout
    from shopping.models import CartItem

    return (
        Order.objects.count(),
        Checkout.objects.count(),
        StockMovement.objects.count(),
        sorted(CartItem.objects.values_list("pk", "quantity", "checked")),
    )


def pay(checkout) -> None:
    """Record Paystack's word that ``checkout`` was paid, in full, in the shop's currency."""
    from orders.paystack import amount_in_kobo
    from orders.services import checkout_payment_record

    assert checkout_payment_record(
        reference=checkout.paystack_reference,
        amount_kobo=amount_in_kobo(checkout.total_amount),
        currency="NGN",
    )


def by_product(orders) -> dict[str, Order]:
    """Orders of one line each, by their product's name."""
    return {order.items.get().product_name: order for order in orders}
