"""Reads checkout (``orders``) relies on: the checked cart lines, the active shipping methods."""

from decimal import Decimal

import pytest

from shopping.models import CartItem, ShippingMethod
from shopping.selectors import cart_items_checked, shipping_methods_active
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db


def test_cart_items_checked_loads_what_checkout_reads(
    customer, other_customer, phone, shirt, shirt_m, django_assert_num_queries
):
    first, _ = cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    second, _ = cart_item_add(user=customer, product_id=shirt.pk, quantity=1, variation_id=shirt_m.pk)
    CartItem.objects.filter(pk=first.pk).update(checked=False)
    cart_item_add(user=other_customer, product_id=phone.pk, quantity=1)

    with django_assert_num_queries(1):
        lines = cart_items_checked(user=customer)
        assert [line.pk for line in lines] == [second.pk]
        line = lines[0]
        assert (line.product.name, line.product.manufacturer.email) == (
            "Shirt", "maker.b@martaf.test"
        )
        assert (line.variation.size, line.quantity) == ("M", 1)


def test_shipping_methods_active_the_default_then_cheapest_first(db):
    ShippingMethod.objects.create(name="Express", cost=Decimal("3500"), estimated_days=2)
    ShippingMethod.objects.create(name="Standard", cost=Decimal("1500"), estimated_days=5)
    ShippingMethod.objects.create(name="Old", cost=Decimal("0"), estimated_days=9, is_active=False)
    ShippingMethod.objects.create(name="Collect", cost=Decimal("0"), estimated_days=1)
    # "Standard delivery" is the install's default (free); "Collect" is free but not default.
    assert [m.name for m in shipping_methods_active()] == [
        "Standard delivery", "Collect", "Standard", "Express"
    ]
