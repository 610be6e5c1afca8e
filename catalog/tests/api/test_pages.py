"""The list's page read without a FilterSet (``catalog.api.pages``) answers byte for byte what
the FilterSet path answers, for every filter and ordering the list accepts, over a catalogue of
varied products; the anonymous product page equals the serializer's rendering; their query
counts are pinned."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from catalog.api import pages, products
from catalog.api.products import render_products
from catalog.models import ApprovalStatus, Product
from catalog.selectors import products_in_order
from catalog.services import category_create, product_approve
from catalog.tests.api.listing_queries import LIST_QUERIES
from catalog.tests.api.test_cards import varied  # noqa: F401 (a fixture)
from core.roles import ManufacturerStatus
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(
    varied,  # noqa: F811 (the fixture of test_cards)
    manufacturer_a,
    manufacturer_b,
    staff_user,
    make_product,
    phones,
    shoes,
    settings,
):
    """``varied`` (discounts, no images, variations, reviews) and more: out of stock, equal
    prices and names, a pending product, a suspended seller's, an inactive category's."""
    settings.CATALOG_API_CACHE_SECONDS = 0
    made = [
        make_product(manufacturer_b, category=shoes, name="Boot 50%_off", price="10.00", stock=0),
        make_product(
            manufacturer_b,
            category=shoes,
            name="Boot",
            price="10.00",
            stock=3,
            discount_percent=Decimal("50"),
        ),
        make_product(
            manufacturer_a,
            category=phones,
            name="Pixel case",
            price="25.50",
            variations=[
                {"size": "M", "stock": 0},
                {"size": "L", "stock": 1},
                {"color": "Blue", "stock": 7},
            ],
        ),
    ]
    for product in made:
        product_approve(product=product, actor=staff_user)
    make_product(manufacturer_a, category=phones, name="Pixel pending", price="1.00")
    hidden = category_create(name="Hidden", is_active=False)
    product_approve(
        product=make_product(manufacturer_a, category=hidden, name="Pixel hidden"), actor=staff_user
    )
    suspended = User.objects.create(
        email="gone.seller@example.com",
        is_manufacturer=True,
        manufacturer_status=ManufacturerStatus.SUSPENDED,
    )
    Product.objects.create(
        manufacturer=suspended,
        category=phones,
        name="Pixel suspended",
        slug="pixel-suspended",
        price=Decimal("3.00"),
        approval_status=ApprovalStatus.APPROVED,
    )
    return Product.objects.filter(manufacturer__in=[manufacturer_a, manufacturer_b])


def _queries(manufacturer_a, manufacturer_b, phones) -> list[str]:
    orderings = [
        "price",
        "-price",
        "rating",
        "-rating",
        "name",
        "-name",
        "created_at",
        "-created_at",
        "price,-rating",
        "name,price",
        "-rating,name",
    ]
    return [
        "",
        "page=2&page_size=2",
        "page_size=2&page=last",
        "page=99",
        "page_size=1000",
        "format=json",
        "unknown=1",
        *(f"ordering={ordering}" for ordering in orderings),
        *(f"ordering={ordering}&page=2&page_size=3" for ordering in orderings),
        "search=pix",
        "search=PIXEL case",
        "search=rake cleaver",
        "search=!!!",
        "search=",
        "search=pix&ordering=price",
        "name=ixe",
        "name=50%_",
        "name=%",
        "name=  boot  ",
        "category=electronics",
        f"category={phones.pk}",
        "category=fashion&ordering=-price",
        "category=nope",
        "category=hidden",
        "is_active=true",
        "is_active=0",
        "is_active=",
        "price_min=5&price_max=500",
        "price_min=10",
        "price_max=10.00",
        "price_min=1000",
        f"manufacturer={manufacturer_a.pk}",
        f"seller={manufacturer_b.pk}",
        f"manufacturer={manufacturer_a.pk}&seller={manufacturer_b.pk}",
        f"manufacturer={manufacturer_b.pk}&search=boot&price_max=20&ordering=name",
    ]


def test_every_list_answer_equals_the_filtersets(
    api_client, shop, manufacturer_a, manufacturer_b, phones, monkeypatch
):
    for query in _queries(manufacturer_a, manufacturer_b, phones):
        url = f"/products/list/?{query}"
        cache.clear()
        fast = api_client.get(url)
        with monkeypatch.context() as patch:
            patch.setattr(products, "listing_page", lambda *args, **kwargs: None)
            cache.clear()  # the count is computed again, by the FilterSet path
            want = api_client.get(url)
        assert fast.status_code == want.status_code == 200, query
        assert fast.content == want.content, query
        assert fast["ETag"] == want["ETag"] and fast["Cache-Control"] == want["Cache-Control"]
    names = [p["name"] for p in api_client.get("/products/list/?page_size=50").json()["results"]]
    assert "Pixel pending" not in names and "Pixel hidden" not in names
    assert "Pixel suspended" not in names and len(names) == 6


def test_a_value_the_fast_path_does_not_judge_is_the_filtersets_400(api_client, shop):
    for query, field in [
        ("page=0", "page"),
        ("page=x", "page"),
        ("page_size=0", "page_size"),
        ("ordering=colour", "ordering"),
        ("is_active=yes", "is_active"),
        ("price_min=abc", "price_min"),
        ("manufacturer=1.5x", "manufacturer"),
        ("name=" + "x" * 201, "name"),
        ("search=a%00b", "search"),
    ]:
        response = api_client.get(f"/products/list/?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), query
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True)[:1])
    by_id = api_client.get(f"/products/list/?id={ids[0]}").json()  # the FilterSet's own filter
    assert by_id["count"] <= 1


def test_the_anonymous_product_page_equals_the_serializers(api_client, rf, shop):
    request = rf.get("/")
    public = list(
        shop.filter(approval_status=ApprovalStatus.APPROVED)
        .exclude(name="Pixel hidden")
        .values_list("pk", flat=True)
    )
    for product, want in zip(
        products_in_order(ids=public),
        render_products(products_in_order(ids=public), request=request),
        strict=True,
    ):
        assert api_client.get(f"/products/{product.pk}/").json() == want
        assert api_client.get(f"/products/slug/{product.slug}/").json() == want
    for name in ("Pixel pending", "Pixel hidden", "Pixel suspended"):
        product = Product.objects.get(name=name)
        assert api_client.get(f"/products/{product.pk}/").status_code == 404
        assert api_client.get(f"/products/slug/{product.slug}/").status_code == 404


@pytest.mark.parametrize("query", ["", "search=pix", "ordering=-rating&page=2&page_size=2"])
def test_list_and_search_query_counts(api_client, shop, django_assert_num_queries, query):
    cache.clear()
    with django_assert_num_queries(LIST_QUERIES):
        api_client.get(f"/products/list/?{query}")
    with django_assert_num_queries(LIST_QUERIES - 1):  # the count is kept
        api_client.get(f"/products/list/?{query}")


def test_the_detail_query_count(api_client, shop, django_assert_num_queries):
    product = shop.get(name="Pixel case")
    # version, the product, category ancestors, images, variations, reviews
    with django_assert_num_queries(6):
        assert api_client.get(f"/products/{product.pk}/").status_code == 200
    with django_assert_num_queries(6):
        assert api_client.get(f"/products/slug/{product.slug}/").status_code == 200


def test_the_fast_path_reads_what_the_storefront_sends(rf):
    params = rf.get(
        "/products/list/?search=Red+shoes&ordering=-price,name&price_min=2.5&is_active=1&seller=7"
    ).GET
    filters = pages.listing_filters(params)
    assert filters.search == ("red", "shoes") and filters.ordering == ("-price", "name")
    assert filters.price_min == Decimal("2.5") and filters.is_active is True
    assert filters.seller == 7 and filters.categories is None
