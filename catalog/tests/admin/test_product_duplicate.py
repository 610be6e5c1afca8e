"""Duplicating a product: a draft copy with its variations (no stock, SKUs of its own) and its
images copied through the storage; only one's own products; nothing changes on the original."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import ApprovalStatus, Product, StockMovement
from catalog.services import product_approve, product_image_add
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(manufacturer_a, staff_user, phones, make_product):
    product = make_product(
        manufacturer_a, category=phones, name="Trail runner", price="450.00",
        variations=[
            {"size": "42", "color": "Red", "stock": 8, "sku": "TR-42"},
            {"size": "43", "color": "Red", "stock": 4, "price_override": Decimal("470.00")},
        ],
    )
    product_image_add(product=product, actor=manufacturer_a, file=image_file("front.png"))
    product_image_add(product=product, actor=manufacturer_a, file=image_file("side.png"))
    product_approve(product=product, actor=staff_user)
    return Product.objects.get(pk=product.pk)


def duplicate(client, product):
    url = reverse("admin:catalog_product_duplicate_detail", args=[product.pk])
    return client.post(url, {"_form_submitted": "on"})


def test_a_manufacturer_duplicates_their_product_as_a_draft(client, manufacturer_a, original):
    client.force_login(manufacturer_a)
    movements = StockMovement.objects.count()

    response = duplicate(client, original)

    copy = Product.objects.exclude(pk=original.pk).get()
    assert response["HX-Redirect"] == reverse("admin:catalog_product_change", args=[copy.pk])
    assert copy.name == "Trail runner (copy)" and copy.slug != original.slug
    assert (copy.manufacturer, copy.category, copy.price) == (
        original.manufacturer, original.category, original.price
    )
    assert copy.approval_status == ApprovalStatus.DRAFT
    variations = sorted(copy.variations.values_list("size", "color", "price_override", "stock"))
    assert variations == [("42", "Red", None, 0), ("43", "Red", Decimal("470.00"), 0)]
    skus = set(copy.variations.values_list("sku", flat=True))
    assert "" not in skus and not skus & set(original.variations.values_list("sku", flat=True))
    assert copy.inventory == 0 and StockMovement.objects.count() >= movements
    # Images copied as files of their own, in order, renditions made.
    images = list(copy.images.order_by("position"))
    assert len(images) == 2 and all(i.thumbnail and i.medium for i in images)
    originals = list(original.images.order_by("position"))
    assert images[0].original.name != originals[0].original.name
    with images[0].original.open("rb") as a, originals[0].original.open("rb") as b:
        assert a.read() == b.read()
    # The original is as it was.
    original.refresh_from_db()
    assert original.approval_status == ApprovalStatus.APPROVED and original.inventory == 12


def test_staff_duplicate_for_the_manufacturer_still_as_a_draft(client, staff_user, original,
                                                               manufacturer_a):
    client.force_login(staff_user)

    duplicate(client, original)

    copy = Product.objects.exclude(pk=original.pk).get()
    assert copy.manufacturer == manufacturer_a
    assert copy.approval_status == ApprovalStatus.DRAFT


def test_nobody_duplicates_another_manufacturers_product(client, manufacturer_b, original):
    client.force_login(manufacturer_b)

    response = duplicate(client, original)

    assert response.status_code == 403
    assert Product.objects.count() == 1


def test_a_get_duplicates_nothing(client, manufacturer_a, original):
    client.force_login(manufacturer_a)

    client.get(reverse("admin:catalog_product_duplicate_detail", args=[original.pk]))

    assert Product.objects.count() == 1
