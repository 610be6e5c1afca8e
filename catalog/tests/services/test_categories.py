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


def _tree_is_valid():
    problems = Category.objects.find_problems()
    assert all(not ids for ids in problems), problems
    slugs = list(Category.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))


def test_many_paths_are_created_in_bulk_and_the_tree_stays_valid(phones):
    from catalog.services.categories import category_paths_ensure

    paths = [["Electronics", "Phones", f"Brand {n}"] for n in range(40)]  # under existing nodes
    paths += [["Garden", f"Tools {n % 4}", f"Shelf {n}"] for n in range(40)]  # all new

    with CaptureQueriesContext(connection) as queries:
        ids = category_paths_ensure(paths=paths)

    assert len(queries) <= 12  # levels read, slugs read, inserts by 500, parents' numchild
    _tree_is_valid()
    assert Category.objects.count() == 3 + 40 + 1 + 4 + 40
    android = Category.objects.get(pk=phones.pk)
    brand = Category.objects.get(pk=ids[("electronics", "phones", "brand 7")])
    assert Category.objects.get_parent(brand).name == "Phones"
    # New children come after the existing ones, in the order the paths were given.
    assert [c.name for c in Category.objects.get_children(Category.objects.get(name="Phones"))] == [
        "Android", *[f"Brand {n}" for n in range(40)]
    ]
    assert android.path == Category.objects.get(pk=phones.pk).path  # nothing existing moved
    assert category_labels()[ids[("garden", "tools 3", "shelf 39")]] == "Garden > Tools 3 > Shelf 39"


def test_bulk_names_match_existing_siblings_whatever_the_case_and_slugs_stay_unique(phones):
    from catalog.services.categories import category_paths_ensure

    other = category_create(name="Android Phones", parent=None)  # slug "android-phones"
    category_create(name="Phones", parent=other)  # slug "phones-2": "phones" is taken
    ids = category_paths_ensure(paths=[
        ["ELECTRONICS", "phones", "android"],  # the existing node, not a new one
        ["Electronics", "Phones", "Android", "Pixel"],
        ["Electronics", "Phones!", "Pixel"],  # another name, the same slug base as "Phones"
        ["electronics", "phones?"],
        ["Android Phones", "Phones", "Pixel"],
        ["Android Phones", "PHONES", "pixel"],  # the same new node as the line above
    ])

    assert ids[("electronics", "phones", "android")] == phones.pk
    assert len({ids[k] for k in ids if k[-1] == "pixel"}) == 3
    _tree_is_valid()
    assert sorted(Category.objects.filter(name__istartswith="phones").values_list(
        "name", "slug")) == [
        ("Phones", "phones"), ("Phones", "phones-2"), ("Phones!", "phones-3"),
        ("phones?", "phones-4"),  # a new node keeps the case the file gives
    ]
    assert sorted(Category.objects.filter(name="Pixel").values_list("slug", flat=True)) == [
        "pixel", "pixel-2", "pixel-3"
    ]
    assert Category.objects.filter(name__iexact="android").count() == 1


def test_bulk_creation_continues_after_a_deleted_last_child(phones, shoes):
    from catalog.services.categories import category_paths_ensure

    fashion = Category.objects.get(name="Fashion")
    hats = category_create(name="Hats", parent=fashion)
    category_delete(category=hats)  # the last step is free again, but a later one must follow

    ids = category_paths_ensure(paths=[["Fashion", "Bags"], ["Toys"]])

    _tree_is_valid()
    bags = Category.objects.get(pk=ids[("fashion", "bags")])
    assert [c.name for c in Category.objects.get_children(Category.objects.get(pk=fashion.pk))] == [
        "Shoes", "Bags"
    ]
    assert bags.path > Category.objects.get(name="Shoes").path
    assert [c.name for c in Category.objects.get_root_nodes()] == ["Electronics", "Fashion", "Toys"]
    # A single create after a bulk one still finds the right place (treebeard's add_child).
    category_create(name="Belts", parent=Category.objects.get(pk=fashion.pk))
    _tree_is_valid()
