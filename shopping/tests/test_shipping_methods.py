"""The default shipping method: what a checkout that names no method uses. An install starts
with a free "Standard delivery" marked default; staff mark another one on its form or with the
list action, which unmarks the previous one; a paid or inactive method cannot be the default
(form error, action refused, database constraint), and a refusal changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import IntegrityError, transaction
from django.urls import reverse

from shopping.models import ShippingMethod

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:shopping_shippingmethod_changelist"


def defaults() -> list[tuple[str, Decimal]]:
    return list(ShippingMethod.objects.filter(is_default=True).values_list("name", "cost"))


@pytest.fixture
def express(db):
    return ShippingMethod.objects.create(name="Express", cost=Decimal("3500"), estimated_days=2)


def test_an_install_starts_with_a_free_standard_delivery_as_the_default():
    method = ShippingMethod.objects.get(is_default=True)
    assert (method.name, method.cost, method.description, method.is_active) == (
        "Standard delivery", Decimal("0.00"), "Included in the price", True
    )


def test_marking_a_method_default_on_its_form_unmarks_the_previous_one(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:shopping_shippingmethod_add"),
        {"name": "Pick-up point", "description": "Free, collect in town", "cost": "0",
         "estimated_days": "3", "is_active": "on", "is_default": "on"},
    )
    assert response.status_code == 302
    assert defaults() == [("Pick-up point", Decimal("0.00"))]
    assert ShippingMethod.objects.filter(name="Standard delivery", is_default=False).exists()

    listing = client.get(reverse(CHANGELIST)).content.decode()
    # The default comes first, with its badge.
    assert listing.index("Pick-up point") < listing.index("Standard delivery")
    assert "Default" in listing


@pytest.mark.parametrize(
    "data, field",
    [
        ({"cost": "1500", "is_active": "on"}, "cost"),  # buyers naming nothing are shown free
        ({"cost": "0"}, "is_active"),
    ],
)
def test_a_paid_or_inactive_default_is_a_form_error_and_changes_nothing(
    client, staff_user, express, data, field
):
    client.force_login(staff_user)
    before = list(ShippingMethod.objects.order_by("pk").values())
    response = client.post(
        reverse("admin:shopping_shippingmethod_change", args=[express.pk]),
        {"name": "Express", "estimated_days": "2", "is_default": "on", **data},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert list(ShippingMethod.objects.order_by("pk").values()) == before


def test_the_list_action_makes_one_free_method_the_default(client, staff_user, express):
    client.force_login(staff_user)
    collect = ShippingMethod.objects.create(name="Collect", cost=0, estimated_days=1)
    url = reverse(CHANGELIST)

    def act(*methods):
        return client.post(
            url,
            {"action": "make_default", ACTION_CHECKBOX_NAME: [m.pk for m in methods]},
            follow=True,
        )

    response = act(express)  # paid: refused
    assert "must be free" in response.content.decode()
    response = act(express, collect)  # two: refused
    assert "exactly one" in response.content.decode()
    assert defaults() == [("Standard delivery", Decimal("0.00"))]

    response = act(collect)
    assert "is now the default" in response.content.decode()
    assert defaults() == [("Collect", Decimal("0.00"))]


def test_the_database_keeps_one_free_active_default():
    collect = ShippingMethod.objects.create(name="Collect", cost=0, estimated_days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShippingMethod.objects.filter(pk=collect.pk).update(is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShippingMethod.objects.filter(is_default=True).update(cost=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ShippingMethod.objects.filter(is_default=True).update(is_active=False)
    assert defaults() == [("Standard delivery", Decimal("0.00"))]
