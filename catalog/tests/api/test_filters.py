"""Filters of the catalogue list.

- ``?category=`` lists a category and all its descendants: by slug or by numeric id, through a
  literal id list (or, past ``SUBTREE_LITERAL_MAX`` categories, the subquery) with the same
  products either way.
- ``?name=`` (the seed's name filter): the name contains the text, whatever the case; public
  products only; ``%`` and ``_`` are plain characters.
"""

import pytest

from catalog import limits, selectors
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


# --- ?name= ----------------------------------------------------------------------------------


@pytest.fixture
def named_shop(manufacturer_a, staff_user, phones, shoes, make_product):
    public = [
        (phones, "Kente Scarf", "Woven in Bonwire"),
        (phones, "Blue kente cloth", "Six yards"),
        (shoes, "Leather boots", "Kente-patterned laces"),  # the word only in the description
        (shoes, "Scarf_100%", "Pure cotton"),
    ]
    for category, name, description in public:
        product = make_product(manufacturer_a, category=category, name=name,
                               description=description)
        product_approve(product=product, actor=staff_user)
    make_product(manufacturer_a, category=phones, name="Kente draft")  # awaiting approval


def _named(api_client, **params) -> list[str]:
    response = api_client.get("/products/list/", {"page_size": 50, **params})
    assert response.status_code == 200, response.content
    return sorted(p["name"] for p in response.json()["results"])


@pytest.mark.parametrize("text", ["kente", "KENTE", "Kente", "ente", " kente "])
def test_name_lists_the_public_products_whose_name_contains_it_whatever_the_case(
    api_client, named_shop, text
):
    assert _named(api_client, name=text) == ["Blue kente cloth", "Kente Scarf"]


def test_name_is_not_a_word_search(api_client, named_shop):
    assert _named(api_client, name="e clo") == ["Blue kente cloth"]  # across words
    assert _named(api_client, name="kente scarf") == ["Kente Scarf"]
    assert _named(api_client, name="scarf kente") == []  # the words in its order, not any order
    assert _named(api_client, name="cotton") == []  # descriptions are search's business


@pytest.mark.parametrize("text", ["%", "_", "100%", "f_1"])
def test_like_wildcards_in_name_are_plain_characters(api_client, named_shop, text):
    assert _named(api_client, name=text) == ["Scarf_100%"]


def test_a_blank_name_is_no_filter(api_client, named_shop):
    everything = ["Blue kente cloth", "Kente Scarf", "Leather boots", "Scarf_100%"]
    assert _named(api_client, name="") == everything
    assert _named(api_client, name="   ") == everything


def test_name_combines_with_the_other_filters(api_client, named_shop, phones):
    assert _named(api_client, name="scarf", category=phones.slug) == ["Kente Scarf"]
    assert _named(api_client, name="scarf", search="cotton") == ["Scarf_100%"]
    response = api_client.get("/api/products/", {"name": "KENTE"})  # the REST list too
    assert sorted(p["name"] for p in response.json()["results"]) == [
        "Blue kente cloth", "Kente Scarf"
    ]


def test_a_name_longer_than_any_name_is_a_400(api_client, named_shop):
    response = api_client.get("/products/list/", {"name": "k" * (limits.PRODUCT_NAME_MAX + 1)})

    assert response.status_code == 400
    body = response.json()
    assert body["name"] == [
        f"Ensure this value has at most {limits.PRODUCT_NAME_MAX} characters "
        f"(it has {limits.PRODUCT_NAME_MAX + 1})."
    ]
    assert body["detail"].startswith("name: Ensure this value has at most")
