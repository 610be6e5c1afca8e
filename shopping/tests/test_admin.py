"""The shopping admin: staff add and edit shipping methods and read buyers' addresses and cart
lines; manufacturers reach none of it (lists, pages by id, the sidebar)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shopping.models import CartItem, ShippingAddress, ShippingMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(db):
    return ShippingMethod.objects.create(name="Standard", cost=Decimal("1500"), estimated_days=5)


@pytest.fixture
def address(customer):
    return ShippingAddress.objects.create(
        user=customer, full_name="Ada Obi", phone="+2348012345678", address="12 Marina Road",
        city="Lagos", is_default=True,
    )


@pytest.fixture
def cart_line(customer, phone):
    return CartItem.objects.create(user=customer, product=phone, quantity=2)


def test_staff_add_and_edit_a_shipping_method(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:shopping_shippingmethod_add")
    response = client.post(
        url, {"name": "Express", "cost": "3500.00", "estimated_days": "2", "is_active": "on"}
    )
    assert response.status_code == 302
    express = ShippingMethod.objects.get(name="Express")
    assert (express.cost, express.estimated_days, express.is_active) == (Decimal("3500.00"), 2, True)

    change = reverse("admin:shopping_shippingmethod_change", args=[express.pk])
    response = client.post(change, {"name": "Express", "cost": "4000", "estimated_days": "1"})
    assert response.status_code == 302
    express.refresh_from_db()
    assert (express.cost, express.is_active) == (Decimal("4000.00"), False)

    listing = client.get(reverse("admin:shopping_shippingmethod_changelist"))
    assert listing.status_code == 200
    assert "4,000.00" in listing.content.decode()


def test_a_negative_cost_is_a_form_error(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:shopping_shippingmethod_add"),
        {"name": "Odd", "cost": "-1", "estimated_days": "2"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cost"]
    assert not ShippingMethod.objects.filter(name="Odd").exists()


def test_staff_read_addresses_and_carts_but_cannot_change_them(
    client, staff_user, address, cart_line
):
    client.force_login(staff_user)
    addresses = client.get(reverse("admin:shopping_shippingaddress_changelist"))
    assert addresses.status_code == 200 and "Ada Obi" in addresses.content.decode()
    carts = client.get(reverse("admin:shopping_cartitem_changelist"))
    assert carts.status_code == 200 and "Phone" in carts.content.decode()

    page = client.get(reverse("admin:shopping_shippingaddress_change", args=[address.pk]))
    assert page.status_code == 200
    client.post(
        reverse("admin:shopping_shippingaddress_change", args=[address.pk]),
        {"full_name": "Changed"},
    )
    assert client.get(reverse("admin:shopping_shippingaddress_add")).status_code == 403
    delete = reverse("admin:shopping_cartitem_delete", args=[cart_line.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    address.refresh_from_db()
    assert address.full_name == "Ada Obi"
    assert CartItem.objects.filter(pk=cart_line.pk).exists()


def test_manufacturers_see_none_of_it(client, manufacturer_a, method, address, cart_line):
    client.force_login(manufacturer_a)
    urls = [
        reverse("admin:shopping_shippingmethod_changelist"),
        reverse("admin:shopping_shippingmethod_add"),
        reverse("admin:shopping_shippingmethod_change", args=[method.pk]),
        reverse("admin:shopping_shippingaddress_changelist"),
        reverse("admin:shopping_shippingaddress_change", args=[address.pk]),
        reverse("admin:shopping_cartitem_changelist"),
        reverse("admin:shopping_cartitem_change", args=[cart_line.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:shopping_shippingmethod_change", args=[method.pk]),
        {"name": "Free", "cost": "0", "estimated_days": "9"},
    )
    assert response.status_code == 403
    method.refresh_from_db()
    assert (method.name, method.cost) == ("Standard", Decimal("1500.00"))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Shipping methods" not in index and "Cart lines" not in index


def test_staff_sidebar_lists_the_shopping_pages(client, staff_user):
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    for title in ("Shipping methods", "Shipping addresses", "Cart lines"):
        assert title in html


def test_the_shipping_methods_list_costs_the_same_queries_at_any_length(client, staff_user):
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shopping.models import ShippingMethod

    client.force_login(staff_user)
    url = reverse("admin:shopping_shippingmethod_changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        ShippingMethod.objects.create(name=f"Courier {n}", cost=Decimal("5.00"), estimated_days=2)
    assert queries() == few
