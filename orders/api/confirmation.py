"""An order's confirmation as the storefront's order-success page reads it
(``GET /orders/<id>/success/``, docs/api.md#orders): the buyer's order JSON under the names
that page maps (``order_id``, ``name``, ``phone``, ``address``, ``seller``, ``order_date``,
``delivery_date``, ``subtotal``, ``discount``, ``shipping_fee``, ``total``, ``card_last4``,
``card_type``), with its checkout's totals and the other orders of that checkout when it was
split between manufacturers. Cards are never stored here: ``card_last4`` and ``card_type`` are
always null."""

from rest_framework import serializers

from orders.api.shapes import STATUS_LABELS, OrderLineSerializer
from orders.models import OrderStatus
from orders.selectors import OrderConfirmation
from shopping.api.serializers import money_number


class OtherOrderSerializer(serializers.Serializer):
    order_id = serializers.IntegerField()
    order_no = serializers.CharField()
    status = serializers.CharField()
    status_code = serializers.CharField()
    seller = serializers.CharField()
    items_count = serializers.IntegerField()
    total = serializers.FloatField()


class CheckoutSummarySerializer(serializers.Serializer):
    checkout_id = serializers.IntegerField()
    order_count = serializers.IntegerField()
    subtotal = serializers.FloatField()
    discount_total = serializers.FloatField()
    shipping_cost = serializers.FloatField()
    total_amount = serializers.FloatField()
    status = serializers.CharField(help_text="The payment status, as the checkout result's.")


class OrderConfirmationSerializer(serializers.Serializer):
    order_id = serializers.IntegerField()
    order_no = serializers.CharField()
    status = serializers.CharField(help_text="The storefront's label.")
    status_code = serializers.CharField()
    order_date = serializers.DateTimeField()
    delivery_date = serializers.DateField(allow_null=True, help_text="Estimated.")
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField(help_text="The address on one line.")
    shipping_address = serializers.DictField()
    seller = serializers.CharField(help_text="The seller's name (names, comma separated).")
    items = OrderLineSerializer(many=True)
    subtotal = serializers.FloatField(help_text="The goods before discounts.")
    discount = serializers.FloatField()
    shipping_fee = serializers.FloatField()
    total = serializers.FloatField()
    shipping_method = serializers.DictField(allow_null=True)
    payment_method = serializers.CharField()
    payment_status = serializers.CharField(help_text="Pending, Successful or Failed.")
    payment_reference = serializers.CharField(allow_null=True)
    card_last4 = serializers.CharField(allow_null=True, help_text="Always null.")
    card_type = serializers.CharField(allow_null=True, help_text="Always null.")
    checkout = CheckoutSummarySerializer(allow_null=True)
    other_orders = OtherOrderSerializer(
        many=True, help_text="The other orders of the same checkout (split by manufacturer)."
    )


def confirmation_render(confirmation: OrderConfirmation, order_body: dict) -> dict:
    """The confirmation of ``confirmation.order`` from its buyer-order JSON (``order_body``)."""
    order, sellers = confirmation.order, confirmation.sellers
    address = order_body["shipping_address"]
    where = (address[key] for key in ("address", "city", "state", "postal_code", "country"))
    checkout = order.checkout
    return {
        "order_id": order.pk,
        "order_no": order.number,
        "status": order_body["status"],
        "status_code": order.status,
        "order_date": order_body["created_at"],
        "delivery_date": order_body["estimated_delivery_date"],
        "name": address["full_name"],
        "phone": address["phone"],
        "address": ", ".join(part for part in where if part),
        "shipping_address": address,
        "seller": ", ".join(sellers.get(order.pk, [])),
        "items": order_body["items"],
        "subtotal": order_body["subtotal"],
        "discount": order_body["discount_amount"],
        "shipping_fee": order_body["shipping_cost"],
        "total": order_body["total_price"],
        "shipping_method": order_body["shipping_method"],
        "payment_method": order_body["payment_method"],
        "payment_status": order_body["payment_status"],
        "payment_reference": order_body["payment_reference"],
        "card_last4": None,
        "card_type": None,
        "checkout": {
            "checkout_id": checkout.pk,
            "order_count": len(confirmation.others) + 1,
            "subtotal": money_number(checkout.subtotal),
            "discount_total": money_number(checkout.discount_total),
            "shipping_cost": money_number(checkout.shipping_cost),
            "total_amount": money_number(checkout.total_amount),
            "status": checkout.payment_status,
        }
        if checkout
        else None,
        "other_orders": [
            {
                "order_id": other.pk,
                "order_no": other.number,
                "status": STATUS_LABELS[OrderStatus(other.status)],
                "status_code": other.status,
                "seller": ", ".join(sellers.get(other.pk, [])),
                "items_count": other.line_count,
                "total": money_number(other.total),
            }
            for other in confirmation.others
        ],
    }
