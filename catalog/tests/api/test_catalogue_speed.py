"""The storefront catalogue at scale: pinned query counts of every list variant, the stored
rating, visibility that follows a category at once, conditional GET and the page cache keyed
on the catalogue's version.

Tests run inside a transaction, so a write's version bump (run on commit) is executed here with
``django_capture_on_commit_callbacks(execute=True)``, as a commit would.
"""

from decimal import Decimal

import pytest

from catalog.models import Category, Product, StockReason
from catalog.services import (
    category_update,
    product_approve,
    stock_adjust,
)
from catalog.tests.api.listing_queries import LIST_QUERIES
from catalog.version import catalogue_versions
from reviews.services import review_create, review_delete, review_moderate
from users.services import user_create

pytestmark = pytest.mark.django_db

VARIANTS = [
    ({}, 0),
    ({"page": 2}, 0),
    ({"category": "electronics"}, 1),  # the category looked up by slug or id
    ({"search": "Product"}, 0),
    ({"name": "PRODUCT"}, 0),
    ({"ordering": "-rating"}, 0),
    ({"ordering": "rating"}, 0),
    ({"ordering": "price"}, 0),
    ({"ordering": "-price"}, 0),
    ({"price_min": "50", "price_max": "5000"}, 0),
]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if it committed (its on-commit version bump included)."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def shop(manufacturer_a, staff_user, phones, shoes, make_product, committed):
    products = []
    for n in range(12):
        product = make_product(manufacturer_a, category=phones if n % 2 else shoes,
                               name=f"Product {n}", price=f"{100 + n}.00",
                               variations=[{"size": "S", "stock": 2}])
        products.append(committed(product_approve, product=product, actor=staff_user))
    return products


def _buyer(n: int):
    return user_create(email=f"buyer{n}@example.com", is_customer=True, first_name="B")


@pytest.mark.parametrize(("params", "extra"), VARIANTS)
def test_every_list_variant_runs_a_fixed_number_of_queries(
    api_client, shop, django_assert_num_queries, settings, params, extra
):
    query = {"page_size": 5, **params}
    with django_assert_num_queries(LIST_QUERIES + extra):
        response = api_client.get("/products/list/", query)
    assert response.status_code == 200
    assert response.json()["results"]

    # The same page again: the version, then the cached page.
    with django_assert_num_queries(1):
        again = api_client.get("/products/list/", query)
    assert again.json() == response.json()

    # Another page of the same filter, page cache off: its count is kept per version.
    settings.CATALOG_API_CACHE_SECONDS = 0
    with django_assert_num_queries(LIST_QUERIES - 1 + extra):
        api_client.get("/products/list/", {**query, "page": 2})


def test_the_detail_is_a_fixed_number_of_queries(api_client, shop, django_assert_num_queries):
    # version, the product, images, variations, reviews, category ancestors
    with django_assert_num_queries(6):
        response = api_client.get(f"/products/{shop[0].pk}/")
    assert response.status_code == 200
    with django_assert_num_queries(1):
        assert api_client.get(f"/products/{shop[0].pk}/").json() == response.json()


def test_switching_a_category_off_hides_its_products_at_once_and_on_again_shows_them(
    api_client, shop, committed
):
    electronics = Category.objects.get(slug="electronics")  # the parent of phones
    phone = shop[1]  # odd ones are phones (Electronics > Phones > Android)
    assert api_client.get("/products/list/").json()["count"] == 12  # cached now

    committed(category_update, category=electronics, name=electronics.name,
              description="", is_active=False)

    body = api_client.get("/products/list/", {"page_size": 50}).json()
    assert body["count"] == 6
    assert {p["category"]["name"] for p in body["results"]} == {"Shoes"}
    assert api_client.get(f"/products/{phone.pk}/").status_code == 404

    committed(category_update, category=electronics, name=electronics.name,
              description="", is_active=True)

    assert api_client.get("/products/list/").json()["count"] == 12
    assert api_client.get(f"/products/{phone.pk}/").status_code == 200


def test_a_new_published_review_moves_the_stored_rating(api_client, shop, staff_user,
                                                        committed):
    product = shop[3]
    first = api_client.get(f"/products/{product.pk}/").json()
    assert (first["rating_average"], first["review_count"]) == (None, 0)

    committed(review_create, product=product, author=_buyer(1), rating=5)
    review = committed(review_create, product=product, author=_buyer(2), rating=2)

    product.refresh_from_db()
    assert (product.rating, product.rating_count) == (Decimal("3.50"), 2)
    body = api_client.get(f"/products/{product.pk}/").json()
    assert (body["rating_average"], body["review_count"]) == (3.5, 2)
    ranked = api_client.get("/products/list/", {"ordering": "-rating"}).json()["results"]
    assert ranked[0]["id"] == str(product.pk)

    committed(review_moderate, review=review, actor=staff_user, to="hidden", reason="Spam")
    product.refresh_from_db()
    assert (product.rating, product.rating_count) == (Decimal("5.00"), 1)

    committed(review_delete, review=product.reviews.get(rating=5), actor=staff_user)
    product.refresh_from_db()
    assert (product.rating, product.rating_count) == (Decimal("0.00"), 0)


def test_a_review_held_by_the_screen_does_not_move_the_rating(shop, committed):
    committed(review_create, product=shop[0], author=_buyer(1), rating=1,
              comment="see www.spam.example.com")

    shop[0].refresh_from_db()
    assert (shop[0].rating, shop[0].rating_count) == (Decimal("0.00"), 0)


def test_rating_orders_put_unrated_products_last_either_way(api_client, shop, committed):
    committed(review_create, product=shop[1], author=_buyer(1), rating=4)
    committed(review_create, product=shop[2], author=_buyer(2), rating=2)

    def first_ids(ordering):
        results = api_client.get("/products/list/", {"ordering": ordering, "page_size": 50})
        return [p["id"] for p in results.json()["results"]]

    assert first_ids("-rating")[:2] == [str(shop[1].pk), str(shop[2].pk)]
    assert first_ids("rating")[:2] == [str(shop[2].pk), str(shop[1].pk)]
    assert len(first_ids("rating")) == 12


@pytest.mark.parametrize("path", ["/products/list/?page_size=5", "detail"])
def test_an_etag_answer_is_304_until_a_catalogue_write_moves_the_version(
    api_client, shop, manufacturer_a, committed, path
):
    url = f"/products/{shop[0].pk}/" if path == "detail" else path
    first = api_client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and first["Last-Modified"]

    for _ in range(2):
        assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    version = catalogue_versions().content

    variation = shop[0].variations.get()
    committed(stock_adjust, variation=variation, delta=3, reason=StockReason.MANUAL,
              actor=manufacturer_a, note="found")

    assert catalogue_versions().content == version + 1
    fresh = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert api_client.get(url, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_a_product_write_retires_the_cached_page(api_client, shop, manufacturer_a, committed):
    from catalog.services import product_update

    assert api_client.get("/products/list/", {"page_size": 50}).status_code == 200
    committed(product_update, product=Product.objects.get(pk=shop[0].pk), actor=manufacturer_a,
              name="Renamed")

    names = [p["name"] for p in api_client.get("/products/list/", {"page_size": 50}).json()[
        "results"]]
    assert "Renamed" in names


def test_a_sale_re_renders_the_page_but_keeps_the_lists_count(
    api_client, shop, manufacturer_a, committed, django_assert_num_queries
):
    """Stock moves with every sale: the page shows the new stock at once, and the count (which
    a stock move cannot change) is not recounted."""
    query = {"page_size": 5}
    first = api_client.get("/products/list/", query).json()
    variation = shop[-1].variations.get()  # the newest product: first on the page
    committed(stock_adjust, variation=variation, delta=-1, reason=StockReason.ORDER,
              actor=manufacturer_a, note="sold")

    with django_assert_num_queries(LIST_QUERIES - 1):  # no COUNT
        after = api_client.get("/products/list/", query).json()
    assert after["count"] == first["count"] == len(shop)
    assert after["results"][0]["id"] == str(shop[-1].pk)
    assert after["results"][0]["inventory"] == first["results"][0]["inventory"] - 1
    assert after["results"][0]["variations_data"][0]["stock"] == variation.stock - 1


def test_a_change_of_which_products_are_listed_recounts(
    api_client, shop, manufacturer_a, staff_user, make_product, phones, committed,
    django_assert_num_queries
):
    query = {"page_size": 5}
    assert api_client.get("/products/list/", query).json()["count"] == len(shop)
    newcomer = make_product(manufacturer_a, category=phones, name="Newcomer", stock=1)
    committed(product_approve, product=newcomer, actor=staff_user)

    with django_assert_num_queries(LIST_QUERIES):
        after = api_client.get("/products/list/", query).json()
    assert after["count"] == len(shop) + 1
    assert after["results"][0]["name"] == "Newcomer"


def test_a_page_missed_by_many_requests_at_once_is_built_once():
    """Each request runs in its own thread: after a write, the requests in flight all miss
    the new version's page together, and one of them builds it while the others wait."""
    import threading
    import time

    from catalog.api import caching

    builds, results = [], []

    def build():
        builds.append(threading.get_ident())
        time.sleep(0.2)
        return {"page": 1}

    threads = [
        threading.Thread(target=lambda: results.append(caching.cached_once("k", 30, build)))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert results == [{"page": 1}] * 6
    assert caching._building == {}  # nothing kept once built
    assert caching.cached_once("k", 30, build) == {"page": 1} and len(builds) == 1


def test_a_build_that_fails_leaves_nothing_behind():
    from catalog.api import caching

    def build():
        raise LookupError("not found")

    with pytest.raises(LookupError):
        caching.cached_once("missing", 30, build)
    assert caching._building == {}
    assert caching.cached_once("missing", 30, lambda: {"now": "found"}) == {"now": "found"}
