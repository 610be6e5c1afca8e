"""Serializers of the order API: shapes only, the rules are in ``orders.services``."""

from rest_framework import serializers

from orders.models import LINE_AS_BOUGHT, Order, OrderItem, OrderStatus, PaymentMethod
from orders.services import MAX_LINES


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.UUIDField(help_text="The product's id.")
    variation = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The variation's id; not needed for a product without sizes or colours.",
    )
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)


class OrderCreateSerializer(serializers.Serializer):
    products = OrderLineInputSerializer(many=True, allow_empty=False, max_length=MAX_LINES)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    shipping_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Defaults to your name."
    )
    shipping_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Defaults to your phone."
    )
    shipping_address = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class OrderStatusUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class OrderCancelSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class OrderItemSerializer(serializers.ModelSerializer):
    unit_price_paid = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = OrderItem
        fields = [
            "id",
            "product",
            "variation",
            "manufacturer",
            *LINE_AS_BOUGHT,
            "unit_price_paid",
            "line_total",
            "shipped_at",
        ]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "buyer",
            "status",
            "payment_method",
            "subtotal",
            "discount",
            "total",
            "refund_due",
            "refund_due_at",
            "shipping_name",
            "shipping_phone",
            "shipping_address",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ShortLineSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the line in `products`.")
    product = serializers.UUIDField()
    variation = serializers.IntegerField(allow_null=True)
    product_name = serializers.CharField(required=False)
    variation_label = serializers.CharField(required=False)
    requested = serializers.IntegerField(required=False)
    available = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)


class OrderErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="Absent on field-list errors.")
    lines = ShortLineSerializer(many=True, required=False)
