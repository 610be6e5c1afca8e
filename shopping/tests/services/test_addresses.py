"""Shipping addresses: the first is the default, a new default replaces it; the database holds
one default per user."""

import pytest
from django.db import IntegrityError, transaction

from shopping.models import ShippingAddress
from shopping.selectors import shipping_address_default, shipping_addresses_of
from shopping.services import shipping_address_create

pytestmark = pytest.mark.django_db


def _address(user, city, **extra):
    return shipping_address_create(
        user=user, full_name="Ada", phone="+2348000000000", address="1 Road", city=city, **extra
    )


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
