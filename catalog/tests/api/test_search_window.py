"""A search's newest-first first page read from the list's first products (SQLite: the
``catalog.selectors_listing`` search window) is the page the FilterSet path answers, whether the
window holds a page of matches, holds fewer (a rarer word: the matches then drive), is the whole
list, or the products' rowids do not follow their creation."""

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from catalog.api import products
from catalog.api.caching import kept_clear
from catalog.models import Product
from catalog.selectors_listing import WINDOW_PAGES
from catalog.services import category_get_or_create_path
from catalog.tests.api.listing_queries import LIST_QUERIES, search_window
from catalog.tests.sellable import public_product

pytestmark = pytest.mark.django_db

SIZE = 2  # the window: WINDOW_PAGES pages of 2 products


@pytest.fixture
def shelf(manufacturer_a, staff_user, settings):
    """30 products, newest first: basket 0..29; every other one a "woven" basket, the oldest
    one a "zebra" basket, the newest five in "Home > Baskets"."""
    settings.CATALOG_API_CACHE_SECONDS = 0
    home = category_get_or_create_path(names=["Home", "Baskets"])
    now = timezone.now()
    made = []
    for number in range(30):
        words = ["Basket", str(number)]
        if number % 2:
            words.append("woven")
        if number == 0:
            words.append("zebra")
        product = public_product(
            manufacturer_a,
            approver=staff_user,
            name=" ".join(words),
            category=home if number >= 25 else None,
        )
        made.append(product)
    for number, product in enumerate(made):
        Product.objects.filter(pk=product.pk).update(created_at=now + timedelta(minutes=number))
    return made


def _names(response) -> list[str]:
    return [product["name"] for product in response.json()["results"]]


def _both(api_client, monkeypatch, query: str):
    url = f"/products/list/?page_size={SIZE}&{query}"
    cache.clear()
    kept_clear()
    fast = api_client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(products, "listing_page", lambda *args, **kwargs: None)
        cache.clear()
        kept_clear()
        want = api_client.get(url)
    assert fast.status_code == want.status_code == 200, query
    assert fast.content == want.content, query
    return fast


def _queries(django_assert_num_queries, api_client, query: str, *, fell_back: bool):
    """The page's queries, pinned; on SQLite, that the window read the page or, when it fell
    short, that the matches drove the page's query."""
    params = {"page_size": SIZE, **dict(parse_qsl(query))}
    count = LIST_QUERIES + search_window(params) + ("category" in params)  # a subtree
    cache.clear()
    kept_clear()
    with django_assert_num_queries(count) as captured:
        api_client.get("/products/list/", params)
    if connection.vendor != "sqlite":
        return
    sql = [query["sql"] for query in captured.captured_queries]
    assert len([text for text in sql if text.startswith('WITH "w"')]) == 1
    driven = [
        text
        for text in sql
        if "catalog_product_search MATCH" in text
        and not text.startswith(("WITH", "SELECT COUNT("))
    ]
    assert len(driven) == fell_back
    if fell_back:
        assert '+"catalog_product".rowid' not in driven[0]


def test_a_common_word_is_answered_from_the_window(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    assert len(shelf) > WINDOW_PAGES * SIZE
    response = _both(api_client, monkeypatch, "search=woven")
    assert _names(response) == ["Basket 29 woven", "Basket 27 woven"]
    assert response.json()["count"] == 15
    _queries(django_assert_num_queries, api_client, "search=woven", fell_back=False)
    # every word a prefix, all of them in each product
    assert _names(_both(api_client, monkeypatch, "search=bask wov")) == _names(response)


def test_a_word_outside_the_window_is_found_by_its_matches(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    response = _both(api_client, monkeypatch, "search=zebra")
    assert _names(response) == ["Basket 0 zebra"]
    _queries(django_assert_num_queries, api_client, "search=zebra", fell_back=True)
    assert _both(api_client, monkeypatch, "search=nowhere").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_window_holding_the_whole_list_needs_no_second_query(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    # Home holds five products (25 to 29): fewer than the window; two of them woven.
    response = _both(api_client, monkeypatch, "search=woven&category=home")
    assert _names(response) == ["Basket 29 woven", "Basket 27 woven"]
    _queries(
        django_assert_num_queries, api_client, "search=woven&category=home", fell_back=False
    )
    one = _both(api_client, monkeypatch, "search=28&category=home")
    assert _names(one) == ["Basket 28"]
    _queries(django_assert_num_queries, api_client, "search=28&category=home", fell_back=False)


def test_rowids_against_the_creation_order_change_nothing(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    # The first made (lowest rowids) become the newest: the window's rowid range is now wide
    # and its order the reverse of the rowids'.
    now = timezone.now()
    for number, product in enumerate(shelf):
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(minutes=number))
    response = _both(api_client, monkeypatch, "search=woven")
    assert _names(response) == ["Basket 1 woven", "Basket 3 woven"]
    assert _names(_both(api_client, monkeypatch, "search=zebra")) == ["Basket 0 zebra"]
    _queries(django_assert_num_queries, api_client, "search=woven", fell_back=False)
    # ties in time: the newest-first order breaks them on the id, as the list does
    Product.objects.filter(pk__in=[p.pk for p in shelf]).update(created_at=now)
    tied = _both(api_client, monkeypatch, "search=woven")
    want = sorted((p for p in shelf if "woven" in p.name), key=lambda p: p.pk, reverse=True)
    assert _names(tied) == [p.name for p in want[:SIZE]]


def test_later_pages_and_other_orders_are_read_as_before(api_client, shelf, monkeypatch):
    for query in (
        "search=woven&page=2",
        "search=woven&page=last",
        "search=woven&ordering=-created_at",
        "search=woven&ordering=name",
        "search=basket&ordering=price&page=3",
    ):
        _both(api_client, monkeypatch, query)
