"""``?category=`` lists a category and all its descendants: by slug or by numeric id, through a
literal id list (or, past ``SUBTREE_LITERAL_MAX`` categories, the subquery) with the same
products either way."""

import pytest

from catalog import selectors
from catalog.services import category_get_or_create_path, product_approve


@pytest.fixture
def tree_shop(manufacturer_a, staff_user, make_product):
    leaves = [
        category_get_or_create_path(names=["Home", "Kitchen", "Knives"]),
        category_get_or_create_path(names=["Home", "Kitchen", "Pots"]),
        category_get_or_create_path(names=["Home", "Garden"]),
        category_get_or_create_path(names=["Homeware"]),  # a path sibling, not a descendant
    ]
    for n, leaf in enumerate(leaves * 2):
        product = make_product(manufacturer_a, category=leaf, name=f"Thing {n}", stock=1)
        product_approve(product=product, actor=staff_user)
    return leaves


def _names(api_client, key):
    response = api_client.get("/products/list/", {"category": key, "page_size": 50})
    assert response.status_code == 200
    return sorted(p["name"] for p in response.json()["results"])


@pytest.mark.parametrize("literal_max", [selectors.SUBTREE_LITERAL_MAX, 1])
def test_a_category_lists_its_whole_subtree_and_nothing_beside_it(
    api_client, tree_shop, monkeypatch, literal_max
):
    monkeypatch.setattr(selectors, "SUBTREE_LITERAL_MAX", literal_max)
    knives, _pots, _garden, homeware = tree_shop
    home = category_get_or_create_path(names=["Home"])
    kitchen = category_get_or_create_path(names=["Home", "Kitchen"])
    everything_home = sorted(f"Thing {n}" for n in (0, 1, 2, 4, 5, 6))
    assert _names(api_client, home.slug) == everything_home
    assert _names(api_client, str(home.pk)) == everything_home
    assert _names(api_client, kitchen.slug) == ["Thing 0", "Thing 1", "Thing 4", "Thing 5"]
    assert _names(api_client, knives.slug) == ["Thing 0", "Thing 4"]
    assert _names(api_client, homeware.slug) == ["Thing 3", "Thing 7"]
    assert _names(api_client, "no-such-category") == []
    assert _names(api_client, "987654") == []


def test_the_subtree_is_one_query(tree_shop, django_assert_num_queries):
    home = category_get_or_create_path(names=["Home"])
    with django_assert_num_queries(1):
        ids = selectors.category_subtree_ids(key=home.slug)
    assert len(ids) == 5  # Home, Kitchen, Knives, Pots, Garden
