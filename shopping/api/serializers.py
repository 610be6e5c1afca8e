"""What the shopping API renders and reads, shaped as docs/api.md (wishlist, cart, addresses) says.

Money the client adds up is a JSON number (``subtotal``, ``total``); ``formatted_*`` is the
same amount as people read it. Products are the catalogue's product objects
(``catalog.api.serializers.ProductSerializer``), so every page draws them the same way.
"""

import re
from decimal import Decimal

from rest_framework import serializers

from catalog.api.serializers import ProductSerializer
from core.ids import as_int
from core.money import money_format, quantize_money
from shopping.models import ShippingAddress, ShippingMethod, Wishlist
from shopping.selectors import Cart, CartLine
from shopping.services import MergeResult


def money_number(amount: Decimal) -> float:
    """An amount as a JSON number, to the cent."""
    return float(quantize_money(amount))


def money_label(amount: Decimal) -> str:
    """``12345.5`` -> ``"₦12,345.50"`` (the marketplace's CURRENCY, core.money)."""
    return money_format(amount)


def variation_brief(variation) -> dict | None:
    if variation is None:
        return None
    return {
        "id": variation.pk,
        "size": variation.size,
        "color": variation.color,
        "stock": variation.stock,
    }


# --- Wishlist ------------------------------------------------------------------------------------


class WishlistSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    products = ProductSerializer(many=True, read_only=True, source="product_objects")

    class Meta:
        model = Wishlist
        fields = ["id", "user", "products", "created_at"]
        read_only_fields = fields


class WishlistEnvelopeSerializer(serializers.Serializer):
    """The storefront reads the wishlist from a page envelope (one wishlist per user)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = WishlistSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- Cart ----------------------------------------------------------------------------------------


class CartVariationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    size = serializers.CharField()
    color = serializers.CharField()
    stock = serializers.IntegerField()


class CartLineSerializer(serializers.Serializer):
    """One cart line; ``available``/``issue`` say whether it can be bought now and why not."""

    id = serializers.IntegerField(source="item.pk")
    product = ProductSerializer()
    product_name = serializers.CharField(source="product.name")
    variation = CartVariationSerializer(allow_null=True)
    quantity = serializers.IntegerField(source="item.quantity")
    unit_price = serializers.FloatField(help_text="What one unit costs now, discount applied.")
    subtotal = serializers.FloatField()
    formatted_subtotal = serializers.CharField()
    checked = serializers.BooleanField(source="item.checked")
    available = serializers.BooleanField()
    issue = serializers.CharField(allow_null=True)
    stock = serializers.IntegerField()
    created_at = serializers.DateTimeField(source="item.created_at")

    def to_representation(self, line: CartLine) -> dict:
        product = self.fields["product"]
        return {
            "id": line.item.pk,
            "product": product.to_representation(line.product),
            "product_name": line.product.name,
            "variation": variation_brief(line.variation),
            "quantity": line.item.quantity,
            "unit_price": money_number(line.price.paid),
            "subtotal": money_number(line.subtotal),
            "formatted_subtotal": money_label(line.subtotal),
            "checked": line.item.checked,
            "available": line.available,
            "issue": line.issue.message if line.issue else None,
            "stock": line.stock,
            "created_at": self.fields["created_at"].to_representation(line.item.created_at),
        }


class CartSerializer(serializers.Serializer):
    """The cart: one per user, so its ``id`` is the user's id."""

    id = serializers.IntegerField()
    user = serializers.IntegerField()
    items = CartLineSerializer(many=True, source="lines")
    total = serializers.FloatField(help_text="All lines, discounts applied.")
    formatted_total = serializers.CharField()
    subtotal = serializers.FloatField(help_text="Same as total (shipping comes at checkout).")
    checked_total = serializers.FloatField(help_text="The ticked lines: what checkout takes.")
    total_items = serializers.IntegerField(help_text="The sum of the quantities.")
    created_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, cart: Cart) -> dict:
        created_at = cart.created_at
        return {
            "id": cart.user.pk,
            "user": cart.user.pk,
            "items": self.fields["items"].to_representation(cart.lines),
            "total": money_number(cart.total),
            "formatted_total": money_label(cart.total),
            "subtotal": money_number(cart.total),
            "checked_total": money_number(cart.checked_total),
            "total_items": cart.total_items,
            "created_at": None
            if created_at is None
            else self.fields["created_at"].to_representation(created_at),
        }


class CartAddSerializer(serializers.Serializer):
    product_id = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1, default=1)
    variation = serializers.IntegerField(required=False, allow_null=True)


class CartQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class CartItemUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)
    variation = serializers.IntegerField(required=False, allow_null=True)


class CartCheckedSerializer(serializers.Serializer):
    checked = serializers.BooleanField()


class CartBatchLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=0)


class CartMessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
    message = serializers.CharField()
    cart_item = CartLineSerializer(required=False)


class CartCheckedResultSerializer(serializers.Serializer):
    checked = serializers.BooleanField()
    item_id = serializers.IntegerField()


class CartBatchResultSerializer(serializers.Serializer):
    updated_items = serializers.ListField(child=serializers.DictField())
    errors = serializers.ListField(child=serializers.DictField())


class CartMergeLineSerializer(serializers.Serializer):
    """One guest line as sent (for the schema: the merge reads each line on its own, so a bad
    line is reported in ``results``, never a 400 of the whole call)."""

    product_id = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1, default=1)
    variation = serializers.IntegerField(required=False, allow_null=True)


class CartMergeResultSerializer(serializers.Serializer):
    """What became of one guest line: ``code`` and ``detail`` are null when it was taken
    exactly as sent."""

    index = serializers.IntegerField(help_text="The line's position in the array sent.")
    product_id = serializers.CharField(allow_null=True)
    variation = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(
        help_text='"added" (a new cart line), "merged" (into a line there) or "skipped".'
    )
    cart_item = serializers.IntegerField(allow_null=True, help_text="The cart line's id.")
    quantity = serializers.IntegerField(
        allow_null=True, help_text="The cart line's quantity once this line was merged."
    )
    code = serializers.CharField(allow_null=True)
    detail = serializers.CharField(allow_null=True)

    def to_representation(self, pair: tuple[int, MergeResult]) -> dict:
        index, result = pair
        product_id = result.line.product_id
        return {
            "index": index,
            "product_id": None if product_id is None else str(product_id),
            "variation": as_int(result.line.variation_id),
            "status": result.status.value,
            "cart_item": result.item.pk if result.item else None,
            "quantity": result.quantity,
            "code": result.code.value if result.code else None,
            "detail": result.message or None,
        }


class CartMergeSerializer(serializers.Serializer):
    detail = serializers.CharField()
    message = serializers.CharField()
    results = CartMergeResultSerializer(many=True)
    cart = CartSerializer()


# --- Shipping ------------------------------------------------------------------------------------

COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


class ShippingAddressSerializer(serializers.ModelSerializer):
    """An address as the storefront reads it, and as it posts its form: the placeholder
    fields (``id``, ``name``, ``street``, ``phone_number``) are accepted; when the main field
    is blank its placeholder stands in (``name`` for ``full_name`` ...), else it is ignored."""

    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(required=False, allow_blank=True, write_only=True)
    street = serializers.CharField(required=False, allow_blank=True, write_only=True)
    phone_number = serializers.CharField(required=False, allow_blank=True, write_only=True)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    country = serializers.CharField(required=False, default="NG")
    postal_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    is_default = serializers.BooleanField(required=False, default=False)

    PLACEHOLDERS = {"full_name": "name", "address": "street", "phone": "phone_number"}

    class Meta:
        model = ShippingAddress
        fields = [
            "id",
            "user",
            "full_name",
            "phone",
            "address",
            "city",
            "state",
            "country",
            "postal_code",
            "is_default",
            "name",
            "street",
            "phone_number",
            "created_at",
        ]
        read_only_fields = ["id", "user", "created_at"]

    def validate_country(self, value: str) -> str:
        value = (value or "").strip()
        if not COUNTRY_CODE.match(value):
            raise serializers.ValidationError("A two-letter country code, e.g. NG.")
        return value.upper()

    def validate(self, attrs: dict) -> dict:
        missing = {}
        for main, placeholder in self.PLACEHOLDERS.items():
            value = (attrs.get(main) or "").strip() or (attrs.get(placeholder) or "").strip()
            if not value:
                missing[main] = ["This field is required."]
            attrs[main] = value
        if missing:
            raise serializers.ValidationError(missing)
        for placeholder in self.PLACEHOLDERS.values():
            attrs.pop(placeholder, None)
        return attrs

    def to_representation(self, address: ShippingAddress) -> dict:
        return {
            "id": address.pk,
            "user": address.user_id,
            "full_name": address.full_name,
            "phone": address.phone,
            "address": address.address,
            "city": address.city,
            "state": address.state,
            "country": address.country,
            "postal_code": address.postal_code,
            "is_default": address.is_default,
            # The storefront's alternative names for the same fields.
            "name": address.full_name,
            "street": address.address,
            "phone_number": address.phone,
            "created_at": self.fields["created_at"].to_representation(address.created_at),
        }


class ShippingMethodSerializer(serializers.ModelSerializer):
    cost = serializers.FloatField()

    class Meta:
        model = ShippingMethod
        fields = ["id", "name", "cost", "estimated_days", "description", "is_default"]
        read_only_fields = fields

    def to_representation(self, method: ShippingMethod) -> dict:
        return {
            "id": method.pk,
            "name": method.name,
            "cost": money_number(method.cost),
            "estimated_days": method.estimated_days,
            "description": method.description,
            "is_default": method.is_default,
        }
