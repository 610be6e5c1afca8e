"""A search's newest-first first page read from the list's first products (the
``catalog.selectors_listing`` search window) is the page the FilterSet path answers, whether the
window holds a page of matches, holds a few (the list is then walked as for any page), holds
almost none (a rare word: the matches then drive), is the whole list, or the products' rowids
do not follow their creation; and it costs the queries of any list page."""

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog import selectors_listing
from catalog.api import products
from catalog.api.caching import kept_clear
from catalog.models import Product
from catalog.selectors_listing import RARE_IN_WINDOW, WINDOW_PAGES
from catalog.services import category_get_or_create_path
from catalog.tests.api.listing_queries import LIST_QUERIES
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


def _both(api_client, monkeypatch, query: str, *, size: int = SIZE):
    url = f"/products/list/?page_size={size}&{query}"
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


def _queries(
    django_assert_num_queries, api_client, query: str, *, read_by: str, size: int = SIZE
):
    """The page's queries, pinned, and which read the page: the window alone ("window"), or
    after it the matches ("matches") or the walk of the list ("walk")."""
    params = {"page_size": size, **dict(parse_qsl(query))}
    count = LIST_QUERIES + (read_by != "window") + ("category" in params)  # a subtree
    cache.clear()
    kept_clear()
    with django_assert_num_queries(count) as captured:
        api_client.get("/products/list/", params)
    sql = [query["sql"] for query in captured.captured_queries]
    # SQLite: the window as a CTE; PostgreSQL: the window's rows as a subquery
    window = [text for text in sql if text.startswith(('WITH "w"', 'SELECT "w".'))]
    matches = [text for text in sql if text.startswith('WITH "m"')]
    walks = [
        text
        for text in sql
        if text.startswith('SELECT "catalog_product"."id" AS "id", "catalog_product"."slug"')
    ]
    assert len(window) == 1
    assert len(matches) == (read_by == "matches")
    assert len(walks) == (read_by == "walk")


def test_a_common_word_is_answered_from_the_window(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    assert len(shelf) > WINDOW_PAGES * SIZE
    response = _both(api_client, monkeypatch, "search=woven")
    assert _names(response) == ["Basket 29 woven", "Basket 27 woven"]
    assert response.json()["count"] == 15
    _queries(django_assert_num_queries, api_client, "search=woven", read_by="window")
    # every word a prefix, all of them in each product
    assert _names(_both(api_client, monkeypatch, "search=bask wov")) == _names(response)


def test_a_word_outside_the_window_is_found_by_its_matches(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    response = _both(api_client, monkeypatch, "search=zebra")
    assert _names(response) == ["Basket 0 zebra"]
    _queries(django_assert_num_queries, api_client, "search=zebra", read_by="matches")
    assert _both(api_client, monkeypatch, "search=nowhere").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    # No product matches: the count says so, and no page is read (the version, the count).
    cache.clear()
    kept_clear()
    with django_assert_num_queries(2):
        assert api_client.get("/products/list/", {"search": "nowhere"}).json()["count"] == 0


def test_a_few_matches_in_the_window_walk_the_list(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    # Pages of 5 and a window of three pages: products 29 down to 15. Odd numbers starting
    # with a 1 are woven: 19, 17 and 15 in the window (more than RARE_IN_WINDOW, under a page),
    # 13, 11 and 1 below it.
    monkeypatch.setattr(selectors_listing, "WINDOW_PAGES", 3)
    assert RARE_IN_WINDOW < 3
    response = _both(api_client, monkeypatch, "search=woven 1", size=5)
    assert _names(response) == [f"Basket {n} woven" for n in (19, 17, 15, 13, 11)]
    _queries(django_assert_num_queries, api_client, "search=woven 1", read_by="walk", size=5)


def test_a_window_holding_the_whole_list_needs_no_second_query(
    api_client, shelf, monkeypatch, django_assert_num_queries
):
    # Home holds five products (25 to 29): fewer than the window; two of them woven.
    response = _both(api_client, monkeypatch, "search=woven&category=home")
    assert _names(response) == ["Basket 29 woven", "Basket 27 woven"]
    _queries(
        django_assert_num_queries, api_client, "search=woven&category=home", read_by="window"
    )
    one = _both(api_client, monkeypatch, "search=28&category=home")
    assert _names(one) == ["Basket 28"]
    _queries(django_assert_num_queries, api_client, "search=28&category=home", read_by="window")


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
    _queries(django_assert_num_queries, api_client, "search=woven", read_by="window")
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
