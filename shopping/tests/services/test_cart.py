"""The cart's writes: removing only one's own lines, one line per product and size (the
database's rule, and two adds racing for a new line)."""

import pytest
from django.db import IntegrityError, transaction

from shopping.models import CartItem
from shopping.services import cart_item_add, cart_items_remove

pytestmark = pytest.mark.django_db


def test_cart_items_remove_takes_only_the_users_own_lines(customer, other_customer, phone, shirt):
    mine, _ = cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    theirs, _ = cart_item_add(user=other_customer, product_id=phone.pk, quantity=1)
    assert cart_items_remove(user=customer, item_ids=[mine.pk, theirs.pk, "junk"]) == 1
    assert list(CartItem.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert cart_items_remove(user=customer, item_ids=[]) == 0


def test_the_database_refuses_a_duplicate_cart_line(customer, phone, shirt, shirt_m):
    CartItem.objects.create(user=customer, product=phone, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(user=customer, product=phone, quantity=1)
    CartItem.objects.create(user=customer, product=shirt, variation=shirt_m, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(user=customer, product=shirt, variation=shirt_m, quantity=1)


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
