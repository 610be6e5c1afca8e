"""The interface checkout (``orders``) calls, and the address rule: one default per user."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shopping.models import CartItem, ShippingAddress, ShippingMethod
from shopping.selectors import (
    cart_items_checked,
    shipping_address_default,
    shipping_addresses_of,
    shipping_methods_active,
)
from shopping.services import cart_item_add, cart_items_remove, shipping_address_create

pytestmark = pytest.mark.django_db


def _address(user, city, **extra):
    return shipping_address_create(
        user=user, full_name="Ada", phone="+2348000000000", address="1 Road", city=city, **extra
    )


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


def test_cart_items_remove_takes_only_the_users_own_lines(customer, other_customer, phone, shirt):
    mine, _ = cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    theirs, _ = cart_item_add(user=other_customer, product_id=phone.pk, quantity=1)
    assert cart_items_remove(user=customer, item_ids=[mine.pk, theirs.pk, "junk"]) == 1
    assert list(CartItem.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert cart_items_remove(user=customer, item_ids=[]) == 0


def test_first_address_is_the_default_and_a_new_default_replaces_it(customer, other_customer):
    first = _address(customer, "Lagos")
    second = _address(customer, "Abuja")
    assert (first.is_default, second.is_default) == (True, False)
    assert shipping_address_default(user=customer) == first

    third = _address(customer, "Ibadan", is_default=True)
    assert shipping_address_default(user=customer) == third
    assert list(
        ShippingAddress.objects.filter(user=customer, is_default=True).values_list("pk", flat=True)
    ) == [third.pk]
    assert [a.pk for a in shipping_addresses_of(user=customer)] == [third.pk, second.pk, first.pk]

    # Another user's addresses are theirs alone.
    assert shipping_address_default(user=other_customer) is None
    assert list(shipping_addresses_of(user=other_customer)) == []


def test_the_database_refuses_a_second_default(customer):
    _address(customer, "Lagos")
    with pytest.raises(IntegrityError), transaction.atomic():
        ShippingAddress.objects.create(
            user=customer, full_name="B", phone="1", address="2", city="Abuja", is_default=True
        )


def test_the_database_refuses_a_duplicate_cart_line(customer, phone, shirt, shirt_m):
    CartItem.objects.create(user=customer, product=phone, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(user=customer, product=phone, quantity=1)
    CartItem.objects.create(user=customer, product=shirt, variation=shirt_m, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(user=customer, product=shirt, variation=shirt_m, quantity=1)


def test_shipping_methods_active_cheapest_first(db):
    ShippingMethod.objects.create(name="Express", cost=Decimal("3500"), estimated_days=2)
    ShippingMethod.objects.create(name="Standard", cost=Decimal("1500"), estimated_days=5)
    ShippingMethod.objects.create(name="Old", cost=Decimal("0"), estimated_days=9, is_active=False)
    assert [m.name for m in shipping_methods_active()] == ["Standard", "Express"]


def test_two_adds_of_a_new_item_at_once_make_one_line(customer, phone, monkeypatch):
    """The login merge may send the same item twice at once: both see no line, both insert;
    the loser's insert hits the unique constraint and adds to the winner's line instead."""
    from shopping.services import cart as cart_services

    CartItem.objects.create(user=customer, product=phone, quantity=2)  # the winner's line
    monkeypatch.setattr(cart_services, "_quantity_in_cart", lambda lines: 0)  # read before it
    item, created = cart_item_add(user=customer, product_id=phone.pk, quantity=3)
    assert created is False
    assert list(CartItem.objects.filter(user=customer).values_list("quantity", flat=True)) == [5]
    assert item.quantity == 5


def test_two_first_wishlist_reads_at_once_share_one_wishlist(customer, monkeypatch):
    from shopping.models import Wishlist
    from shopping.services import wishlist_get_or_create

    theirs = Wishlist.objects.create(user=customer)  # the other request's, made meanwhile
    real_filter = Wishlist.objects.filter
    reads = []

    def filter_seeing_nothing_first(*args, **kwargs):
        reads.append(kwargs)
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if len(reads) == 1 else queryset

    monkeypatch.setattr(Wishlist.objects, "filter", filter_seeing_nothing_first)
    assert wishlist_get_or_create(user=customer) == theirs
    assert Wishlist.objects.count() == 1
