"""Deep pages of the catalogue list read through checkpoints (``core.keyset``) are exactly the
pages ``OFFSET`` reads: for several orderings (ties included) and filters, every page's ids
equal the plain ``LIMIT/OFFSET`` query's, and ``count``, ``next`` and ``previous`` are as
before. The checkpoint interval is made small here so that a few dozen products span many
checkpoints; the code path is the one 100k products take with the real interval."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.api import caching
from catalog.api.filters import PRODUCT_DEFAULT_ORDERING, ProductFilter
from catalog.models import ApprovalStatus, Product
from catalog.selectors import products_public

pytestmark = pytest.mark.django_db

EVERY = 4

ORDERINGS = [None, "price", "-price", "name", "-name", "created_at", "rating", "-rating",
             "price,-rating"]
FILTERS = [{}, {"category": "fashion"}, {"price_min": "103", "price_max": "140"},
           {"search": "boot"}]


@pytest.fixture
def catalogue(manufacturer_a, phones, shoes, make_product, settings, monkeypatch, db):
    """41 products, 37 public: prices, names, creation times and ratings with ties."""
    settings.CATALOG_API_CACHE_SECONDS = 0  # every page built (the checkpoints are kept)
    monkeypatch.setattr(caching, "CHECKPOINT_ROWS", EVERY)
    now = timezone.now()
    for n in range(41):
        product = make_product(
            manufacturer_a, category=shoes if n % 3 else phones,
            name=f"{'Boot' if n % 2 else 'Phone'} {n % 7}", price=f"{100 + n % 9 * 5}.00",
        )
        Product.objects.filter(pk=product.pk).update(
            created_at=now - timedelta(minutes=n // 3),  # three products a minute
            rating=Decimal(n % 5), rating_count=n % 5,
            approval_status=ApprovalStatus.PENDING if n % 11 == 10 else ApprovalStatus.APPROVED,
        )


def _offset_ids(params: dict, offset: int, size: int) -> list[str]:
    """The plain query: the filtered, ordered list with LIMIT/OFFSET."""
    queryset = ProductFilter(
        params, queryset=products_public().order_by(*PRODUCT_DEFAULT_ORDERING)
    ).qs
    return [str(pk) for pk in queryset.values_list("pk", flat=True)[offset : offset + size]]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_every_page_is_the_offset_page(api_client, catalogue, ordering):
    for filters in FILTERS:
        params = {**filters, **({"ordering": ordering} if ordering else {})}
        size = 3
        count = api_client.get("/products/list/", {**params, "page_size": size}).json()["count"]
        assert count == len(_offset_ids(params, 0, 1000)) > 0
        pages = -(-count // size)
        # Deepest first (checkpoints found from the start), then every page in order.
        for page in [pages, *range(1, pages + 2)]:  # and the empty page past the end
            body = api_client.get("/products/list/", {**params, "page_size": size,
                                                      "page": page}).json()
            offset = (page - 1) * size
            assert [p["id"] for p in body["results"]] == _offset_ids(params, offset, size), (
                params, page)
            assert body["count"] == count
            assert (body["next"] is None) == (page >= pages)
            assert (body["previous"] is None) == (page == 1)


def _sql(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"catalog_product"."id"' in q["sql"]
            and "LIMIT" in q["sql"] and "COUNT" not in q["sql"]]


def _numbers_rows(sql: str) -> bool:
    """The checkpoints' query (the reviews' window is partitioned by product)."""
    return "ROW_NUMBER() OVER (ORDER BY" in sql


def test_a_deep_page_starts_at_its_checkpoint_not_with_a_long_offset(api_client, catalogue):
    api_client.get("/products/list/", {"page_size": 2})  # the count kept
    with CaptureQueriesContext(connection) as first:
        deep = api_client.get("/products/list/", {"page_size": 2, "page": 15}).json()
    with CaptureQueriesContext(connection) as again:
        api_client.get("/products/list/", {"page_size": 2, "page": 18})
    assert [p["id"] for p in deep["results"]] == _offset_ids({}, 28, 2)
    # The first deep page reads the checkpoints (one query, numbering the rows), the next not.
    assert sum(_numbers_rows(q["sql"]) for q in first.captured_queries) == 1
    assert not any(_numbers_rows(q["sql"]) for q in again.captured_queries)
    assert len(again) == len(first) - 1
    # Page 18 starts at row 34: checkpoint 8 (row 31), two rows skipped, not 34.
    assert [sql[sql.rindex("LIMIT"):] for sql in _sql(again)] == ["LIMIT 2 OFFSET 2"]


def test_checkpoints_follow_the_listing_version(api_client, catalogue, manufacturer_a, staff_user,
                                                 django_capture_on_commit_callbacks):
    from catalog.services import product_update

    before = api_client.get("/products/list/", {"page_size": 2, "page": 10}).json()
    newest = Product.objects.filter(approval_status=ApprovalStatus.APPROVED).order_by(
        "-created_at", "-pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=newest, actor=manufacturer_a, is_active=False)

    after = api_client.get("/products/list/", {"page_size": 2, "page": 10}).json()
    assert after["count"] == before["count"] - 1
    assert [p["id"] for p in after["results"]] == _offset_ids({}, 18, 2)
    assert after["results"][0]["id"] == before["results"][1]["id"]  # one row moved up
