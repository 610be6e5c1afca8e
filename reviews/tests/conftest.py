"""Review fixtures: the catalogue's small tree and product factory, and a public phone with
authors to review it."""

import pytest

from catalog.models import Product
from catalog.services import product_approve
from catalog.tests.conftest import make_product, phones, shoes  # noqa: F401 (fixtures)


@pytest.fixture
def pixel(manufacturer_a, staff_user, phones, make_product) -> Product:  # noqa: F811
    product = make_product(manufacturer_a, category=phones, name="Pixel 9")
    product_approve(product=product, actor=staff_user)
    return Product.objects.get(pk=product.pk)


@pytest.fixture
def authors(make_user):
    return [make_user(f"author{n}@martaf.test", is_customer=True, first_name=f"A{n}")
            for n in range(6)]
