"""What the storefront's checkout and buyer-order calls render (docs/api.md#checkout, #orders).

Money the client adds up or formats with ``toLocaleString`` is a JSON number, never null; the
review's ``discount_amount`` is a numeric string (the client sums it with ``Number()``).
Statuses are the storefront's labels ("Awaiting Confirmation" ...). An order line's product is
the catalogue's product object, its ``images_data`` entries carrying a flat ``image`` too.
"""

from datetime import timedelta

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import ProductSerializer
from orders.models import Checkout, CheckoutPaymentStatus, Order, OrderItem, OrderStatus
from shopping.api.serializers import (
    CartLineSerializer,
    ShippingAddressSerializer,
    ShippingMethodSerializer,
    money_number,
)
from shopping.selectors import CartLine

STATUS_LABELS = {
    OrderStatus.PENDING: "Awaiting Confirmation",
    OrderStatus.PROCESSING: "Processing",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.CANCELLED: "Cancelled",
}
# ``?status=`` takes a label or a status code, whatever the case.
STATUS_BY_WORD = {
    **{label.lower(): status.value for status, label in STATUS_LABELS.items()},
    **{status.value: status.value for status in OrderStatus},
    "order placed": OrderStatus.PENDING.value,
}
PAYMENT_LABELS = {
    CheckoutPaymentStatus.PAID: "Successful",
    CheckoutPaymentStatus.EXPIRED: "Failed",
    CheckoutPaymentStatus.REFUND_DUE: "Failed",
}


def payment_label(checkout: Checkout | None) -> str:
    """"Pending" | "Successful" | "Failed", as the storefront reads an order's payment."""
    if checkout is None:
        return "Pending"
    return PAYMENT_LABELS.get(checkout.payment_status, "Pending")


# --- Checkout review ------------------------------------------------------------------------


class ReviewLineSerializer(CartLineSerializer):
    product_image = serializers.CharField(allow_null=True, help_text="Absolute URL.")
    variation_display = serializers.CharField()
    discount_amount = serializers.CharField(help_text="A numeric string: the line's discount.")

    def to_representation(self, line: CartLine) -> dict:
        body = super().to_representation(line)
        images = body["product"]["images_data"]
        urls = images[0]["image_urls"] if images else {}
        variation = line.variation
        body.update(
            product_image=urls.get("medium") or urls.get("original"),
            variation_display=variation.label if variation is not None else "",
            discount_amount=f"{line.price.discount * line.item.quantity:.2f}",
        )
        return body


class CheckoutReviewSerializer(serializers.Serializer):
    items = ReviewLineSerializer(many=True, help_text="The checked cart lines.")
    available_addresses = ShippingAddressSerializer(many=True)
    available_shipping_methods = ShippingMethodSerializer(many=True)
    saved_cards = serializers.ListField(child=serializers.DictField(), help_text="Always [].")
    default_address_id = serializers.CharField(allow_null=True)
    subtotal = serializers.FloatField(help_text="The checked lines, discounts applied.")
    shipping_method = ShippingMethodSerializer(
        allow_null=True,
        help_text="The method checkout uses when none is named: the default one (free), or "
        "null (nothing charged).",
    )
    shipping_cost = serializers.FloatField(help_text="The shipping_method's cost.")
    total = serializers.FloatField()
    payment_method = serializers.CharField(help_text="paystack, or on_delivery.")


class CheckoutInputSerializer(serializers.Serializer):
    shipping_address = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    shipping_method = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    coupon_code = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Not supported: ignored."
    )


class AddressChoiceSerializer(serializers.Serializer):
    shipping_address = serializers.CharField(help_text="The address id (a string or number).")


class CheckoutResultSerializer(serializers.Serializer):
    checkout_id = serializers.IntegerField()
    order_ids = serializers.ListField(child=serializers.IntegerField())
    subtotal = serializers.FloatField()
    shipping_cost = serializers.FloatField()
    discount_total = serializers.FloatField()
    total_amount = serializers.FloatField()
    status = serializers.CharField(
        help_text="The payment status: awaiting_payment (go to paystack_url), on_delivery, "
        "paid, expired, refund_due."
    )
    payment_method = serializers.CharField()
    paystack_reference = serializers.CharField(allow_null=True)
    paystack_url = serializers.URLField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, checkout: Checkout) -> dict:
        timestamp = self.fields["expires_at"].to_representation
        return {
            "checkout_id": checkout.pk,
            # ``all()``: the orders a checkout just placed are known (no query).
            "order_ids": sorted(order.pk for order in checkout.orders.all()),
            "subtotal": money_number(checkout.subtotal),
            "shipping_cost": money_number(checkout.shipping_cost),
            "discount_total": money_number(checkout.discount_total),
            "total_amount": money_number(checkout.total_amount),
            "status": checkout.payment_status,
            "payment_method": checkout.payment_method,
            "paystack_reference": checkout.paystack_reference,
            "paystack_url": checkout.paystack_url or None,
            "expires_at": timestamp(checkout.expires_at) if checkout.expires_at else None,
        }


class PaystackInitSerializer(serializers.Serializer):
    checkout_id = serializers.CharField()
    email = serializers.CharField(required=False, allow_blank=True, help_text="Ignored.")
    amount = serializers.CharField(
        required=False, allow_blank=True, help_text="Ignored: the checkout's total is charged."
    )
    shipping_address_id = serializers.CharField(required=False, allow_blank=True,
                                                allow_null=True, help_text="Ignored.")
    payment_method = serializers.CharField(required=False, allow_blank=True, help_text="Ignored.")


# --- The buyer's orders ---------------------------------------------------------------------


class OrderProductField(serializers.Field):
    """The line's product as the catalogue renders it, each image with a flat ``image`` too;
    a product deleted since is a stub with the name bought and no images."""

    def to_representation(self, item: OrderItem) -> dict:
        product = self.context["products"].get(item.product_id)
        if product is None:
            return {"id": None, "name": item.product_name, "description": "", "images_data": []}
        body = self.parent.product_serializer.to_representation(product)
        for image in body["images_data"]:
            image["image"] = image["image_urls"]["original"]
        return body


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = extend_schema_field(ProductSerializer)(OrderProductField)(source="*")
    product_name = serializers.CharField()
    variant = serializers.DictField(help_text="{size, color}")
    variation = serializers.IntegerField(allow_null=True)
    quantity = serializers.IntegerField()
    price_at_purchase = serializers.FloatField(help_text="One unit, discount applied.")
    unit_price = serializers.FloatField(help_text="One unit before the discount.")
    subtotal = serializers.FloatField()
    shipped = serializers.BooleanField()

    @property
    def product_serializer(self) -> ProductSerializer:
        if not hasattr(self, "_product_serializer"):
            self._product_serializer = ProductSerializer(context=self.context)
        return self._product_serializer

    def to_representation(self, item: OrderItem) -> dict:
        variation = item.variation  # joined by the selector
        if variation is not None:
            variant = {"size": variation.size, "color": variation.color}
        else:  # deleted since: what the label kept
            size, _, color = item.variation_label.partition(" / ")
            variant = {"size": size, "color": color}
        return {
            "id": item.pk,
            "product": self.fields["product"].to_representation(item),
            "product_name": item.product_name,
            "variant": variant,
            "variation": item.variation_id,
            "quantity": item.quantity,
            "price_at_purchase": money_number(item.unit_price_paid),
            "unit_price": money_number(item.unit_price),
            "subtotal": money_number(item.line_total),
            "shipped": item.shipped_at is not None,
        }


class BuyerOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_no = serializers.CharField()
    # Plain strings in the schema: "status" enums of other components would collide.
    status = serializers.CharField(help_text="The storefront's label: " + ", ".join(
        STATUS_LABELS.values()) + ".")
    status_code = serializers.CharField(help_text="pending, processing, shipped, delivered, "
                                        "cancelled.")
    total_price = serializers.FloatField(help_text="Goods after discounts, plus shipping.")
    subtotal = serializers.FloatField()
    tax = serializers.FloatField()
    shipping_cost = serializers.FloatField()
    discount_amount = serializers.FloatField()
    estimated_delivery_date = serializers.DateField(allow_null=True)
    payment_status = serializers.CharField(help_text="Pending, Successful or Failed.")
    payment_method = serializers.CharField()
    payment_reference = serializers.CharField(allow_null=True)
    tracking_number = serializers.CharField(allow_null=True)
    shipping_address = serializers.DictField()
    shipping_method = serializers.DictField(allow_null=True)
    coupon = serializers.CharField(allow_null=True)
    escrow = serializers.DictField(allow_null=True)
    checkout_id = serializers.IntegerField(allow_null=True)
    refund_due = serializers.FloatField(
        help_text="What is due back to the buyer (a cancelled order paid online), else 0."
    )
    refund_due_at = serializers.DateTimeField(
        allow_null=True, help_text="Since when the refund is due; null when none is."
    )
    items = OrderLineSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, order: Order) -> dict:
        timestamp = self.fields["created_at"].to_representation
        checkout = order.checkout
        days = checkout.shipping_estimated_days if checkout else None
        return {
            "id": order.pk,
            "order_no": order.number,
            "status": STATUS_LABELS[OrderStatus(order.status)],
            "status_code": order.status,
            "total_price": money_number(order.total),
            "subtotal": money_number(order.subtotal),
            "tax": 0.0,
            "shipping_cost": money_number(order.shipping_cost),
            "discount_amount": money_number(order.discount),
            "estimated_delivery_date": (
                (order.created_at + timedelta(days=days)).date().isoformat()
                if days is not None
                else None
            ),
            "payment_status": payment_label(checkout),
            "payment_method": order.payment_method,
            "payment_reference": checkout.paystack_reference if checkout else None,
            "tracking_number": order.tracking_number or None,
            "shipping_address": {
                "full_name": order.shipping_name,
                "phone": order.shipping_phone,
                "address": order.shipping_address,
                "city": order.shipping_city,
                "state": order.shipping_state,
                "country": order.shipping_country,
                "postal_code": order.shipping_postal_code,
            },
            "shipping_method": (
                {
                    "id": checkout.shipping_method_id,
                    "name": checkout.shipping_method_name,
                    "cost": money_number(order.shipping_cost),
                    "estimated_days": checkout.shipping_estimated_days,
                }
                if checkout and checkout.shipping_method_name
                else None
            ),
            "coupon": None,
            "escrow": None,
            "checkout_id": order.checkout_id,
            "refund_due": money_number(order.refund_due),
            "refund_due_at": timestamp(order.refund_due_at) if order.refund_due_at else None,
            "items": self.fields["items"].to_representation(order.items.all()),
            "created_at": timestamp(order.created_at),
            "updated_at": timestamp(order.updated_at),
        }


class TrackEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_code = serializers.CharField()
    at = serializers.DateTimeField()
    note = serializers.CharField()


class OrderTrackSerializer(serializers.Serializer):
    order_id = serializers.IntegerField()
    order_no = serializers.CharField()
    status = serializers.CharField()
    tracking_number = serializers.CharField(allow_null=True)
    estimated_delivery_date = serializers.DateField(allow_null=True)
    history = TrackEventSerializer(many=True)
