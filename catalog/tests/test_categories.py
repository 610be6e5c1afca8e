import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Category
from catalog.selectors import category_labels, category_subtree
from catalog.services import (
    CatalogError,
    category_create,
    category_delete,
    category_get_or_create_path,
    category_move,
)

pytestmark = pytest.mark.django_db


def test_path_is_created_once_and_reused():
    jbl = category_get_or_create_path(
        names=["Electronics", "Home Appliances", "Bluetooth Speaker", "JBL HiFi speaker"]
    )
    again = category_get_or_create_path(
        names=["electronics", "HOME APPLIANCES", "Bluetooth Speaker", "JBL HiFi speaker"]
    )

    assert again.pk == jbl.pk
    assert jbl.depth == 4
    assert Category.objects.count() == 4
    assert category_labels()[jbl.pk] == (
        "Electronics > Home Appliances > Bluetooth Speaker > JBL HiFi speaker"
    )


def test_a_subtree_is_one_query(phones):
    electronics = Category.objects.get(name="Electronics")
    category_create(name="Tablets", parent=electronics)

    with CaptureQueriesContext(connection) as queries:
        names = sorted(c.name for c in category_subtree(category=electronics))

    assert names == ["Android", "Electronics", "Phones", "Tablets"]
    assert len(queries) == 1


def test_sibling_names_are_unique_whatever_the_case(phones):
    electronics = Category.objects.get(name="Electronics")

    with pytest.raises(CatalogError, match="already exists in “Electronics”"):
        category_create(name="phones", parent=electronics)

    assert Category.objects.filter(name__iexact="phones").count() == 1


def test_the_same_name_may_live_under_different_parents(phones, shoes):
    category_create(name="Accessories", parent=Category.objects.get(name="Phones"))
    category_create(name="Accessories", parent=Category.objects.get(name="Shoes"))

    assert Category.objects.filter(name="Accessories").count() == 2
    assert Category.objects.filter(slug__startswith="accessories").count() == 2


def test_blank_level_in_a_path_is_refused():
    with pytest.raises(CatalogError, match="needs a name at every level"):
        category_get_or_create_path(names=["Electronics", " "])
    assert Category.objects.count() == 0


def test_move_a_subtree_under_another_parent(phones, shoes):
    phones_node = Category.objects.get(name="Phones")
    fashion = Category.objects.get(name="Fashion")

    category_move(category=phones_node, target=fashion, position="last-child")

    assert category_labels()[phones.pk] == "Fashion > Phones > Android"


def test_moving_into_own_subtree_is_refused(phones):
    electronics = Category.objects.get(name="Electronics")

    with pytest.raises(CatalogError, match="cannot be moved into itself"):
        category_move(category=electronics, target=phones, position="last-child")

    assert category_labels()[phones.pk] == "Electronics > Phones > Android"


def test_deleting_a_category_with_products_in_its_subtree_is_refused(
    phones, manufacturer_a, make_product
):
    make_product(manufacturer_a, category=phones)
    electronics = Category.objects.get(name="Electronics")

    with pytest.raises(CatalogError) as excinfo:
        category_delete(category=electronics)

    assert excinfo.value.messages == [
        "“Electronics” cannot be deleted: 1 product is in it or its sub-categories. "
        "Move them to another category first."
    ]
    assert Category.objects.count() == 3


def test_deleting_an_empty_category_removes_its_subtree(phones, shoes):
    category_delete(category=Category.objects.get(name="Electronics"))

    assert sorted(Category.objects.values_list("name", flat=True)) == ["Fashion", "Shoes"]
