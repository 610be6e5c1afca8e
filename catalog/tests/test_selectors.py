"""The scoping selectors: staff see all, a manufacturer their own, anybody else nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.selectors import (
    product_images_visible_to,
    products_visible_to,
    stock_movements_visible_to,
    variations_visible_to,
)
from catalog.services import product_image_add
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db

SELECTORS = [
    products_visible_to,
    variations_visible_to,
    product_images_visible_to,
    stock_movements_visible_to,
]


@pytest.fixture
def two_catalogues(manufacturer_a, manufacturer_b, phones, make_product):
    a = make_product(manufacturer_a, category=phones, name="A phone")
    b = make_product(manufacturer_b, category=phones, name="B phone")
    for product in (a, b):
        product_image_add(product=product, actor=product.manufacturer, file=image_file())
    return a, b


@pytest.mark.parametrize("selector", SELECTORS)
def test_manufacturer_sees_only_their_own(selector, two_catalogues, manufacturer_a):
    rows = list(selector(user=manufacturer_a))
    assert len(rows) == 1
    product = getattr(rows[0], "product", rows[0])
    assert product.name == "A phone"


@pytest.mark.parametrize("selector", SELECTORS)
def test_staff_sees_everything(selector, two_catalogues, staff_user):
    assert selector(user=staff_user).count() == 2


@pytest.mark.parametrize("selector", SELECTORS)
def test_customers_and_anonymous_see_nothing(selector, two_catalogues, customer):
    assert selector(user=customer).count() == 0
    assert selector(user=AnonymousUser()).count() == 0


@pytest.mark.parametrize("selector", SELECTORS)
def test_an_inactive_manufacturer_sees_nothing(selector, two_catalogues, manufacturer_a):
    manufacturer_a.is_active = False
    assert selector(user=manufacturer_a).count() == 0
