"""The public catalogue API: /products/list/, product detail, categories, and their /api/ twins."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ApprovalStatus, Category, Product
from catalog.services import category_update, product_approve, product_submit
from catalog.tests.api.listing_queries import LIST_QUERIES
from catalog.tests.conftest import image_file
from reviews.services import review_create

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id", "slug", "name", "description", "price", "discount_price", "discount_percent",
    "category", "images_data", "variations_data", "reviews_data", "inventory", "is_active",
    "manufacturer", "created_at", "updated_at", "rating_average", "review_count",
}


@pytest.fixture
def publish(staff_user):
    def publish(product: Product) -> Product:
        product_approve(product=product, actor=staff_user)
        return Product.objects.get(pk=product.pk)

    return publish


@pytest.fixture
def catalogue(manufacturer_a, manufacturer_b, phones, shoes, make_product, publish):
    """Four public products, plus a draft, an inactive one and one in an inactive category."""
    electronics = Category.objects.get(slug="electronics")
    products = {
        "pixel": publish(make_product(manufacturer_a, category=phones, name="Pixel 9",
                                      price="500.00", description="An Android phone")),
        "galaxy": publish(make_product(manufacturer_b, category=phones, name="Galaxy S",
                                       price="800.00", description="Big screen")),
        "radio": publish(make_product(manufacturer_a, category=electronics, name="Radio",
                                      price="40.00", description="FM and DAB")),
        "boots": publish(make_product(manufacturer_b, category=shoes, name="Boots",
                                      price="120.00", description="Leather, waterproof")),
    }
    make_product(manufacturer_a, category=phones, name="Draft phone")
    publish(make_product(manufacturer_a, category=phones, name="Old phone", is_active=False))
    hidden = Category.objects.create(name="x", slug="x", depth=1, path="9999")
    publish(make_product(manufacturer_a, category=hidden, name="Hidden category item"))
    category_update(category=hidden, name="Hidden", description="", is_active=False)
    return products


def _names(response) -> list[str]:
    return [p["name"] for p in response.json()["results"]]


# --- The list ------------------------------------------------------------------------------------


def test_list_is_public_and_shows_only_approved_active_products(api_client, catalogue):
    response = api_client.get("/products/list/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert body["next"] is None and body["previous"] is None
    # Newest first by default.
    assert _names(response) == ["Boots", "Radio", "Galaxy S", "Pixel 9"]


def test_list_answers_without_the_trailing_slash_and_ignores_a_stale_token(api_client, catalogue):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    response = api_client.get("/products/list")

    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_the_product_json_is_the_storefront_contract(
    api_client, manufacturer_a, customer, phones, make_product, publish
):
    pixel = publish(
        make_product(
            manufacturer_a,
            category=phones,
            name="Pixel 9",
            price="5000.00",
            discount_percent=Decimal("20"),
            variations=[{"size": "128GB", "color": "Black", "stock": 3},
                        {"size": "256GB", "color": "White", "stock": 4}],
            images=[image_file()],
        )
    )
    review_create(product=pixel, author=customer, rating=4, comment="Good")

    response = api_client.get("/products/list/", {"id": str(pixel.pk)})

    item = response.json()["results"][0]
    assert set(item) >= CONTRACT_FIELDS
    assert item["id"] == str(pixel.pk) and isinstance(item["id"], str)
    assert item["slug"] == "pixel-9"
    assert item["price"] == "5000.00"
    assert item["discount_price"] == "4000.00"
    assert item["discount_percent"] == 20.0
    assert item["inventory"] == 7
    assert item["is_active"] is True
    electronics, phones_parent = Category.objects.get(slug="electronics"), Category.objects.get_parent(phones)
    assert item["category"] == {
        "id": phones.pk,
        "name": "Android",
        "slug": "android",
        "parent_id": phones_parent.pk,
        "parent": {
            "id": phones_parent.pk,
            "name": "Phones",
            "slug": "phones",
            "parent": {"id": electronics.pk, "name": "Electronics", "slug": "electronics",
                       "parent": None},
        },
    }
    assert item["manufacturer"] == {"id": manufacturer_a.pk, "name": "Maker A"}
    [image] = item["images_data"]
    assert set(image) == {"id", "alt_text", "position", "image_urls"}
    assert image["alt_text"] == "Pixel 9"
    for rendition in ("thumbnail", "medium", "original"):
        assert image["image_urls"][rendition].startswith("http://testserver/media/products/")
    assert image["image_urls"]["thumbnail"].endswith("-thumbnail.jpg")
    assert [(v["size"], v["color"], v["stock"], v["low_stock_threshold"])
            for v in item["variations_data"]] == [("128GB", "Black", 3, 5), ("256GB", "White", 4, 5)]
    [review] = item["reviews_data"]
    assert review["rating"] == 4 and review["comment"] == "Good"
    assert item["rating_average"] == 4.0
    assert item["review_count"] == 1


def test_no_discount_is_null_and_a_stock_only_product_lists_no_variations(
    api_client, catalogue
):
    item = api_client.get("/products/list/", {"id": str(catalogue["radio"].pk)}).json()[
        "results"
    ][0]

    assert item["discount_price"] is None
    assert item["discount_percent"] == 0.0
    assert item["variations_data"] == []  # the blank stock holder is not a variation
    assert item["inventory"] == 10
    assert item["category"]["parent"] is None and item["category"]["parent_id"] is None
    assert item["images_data"] == [] and item["reviews_data"] == []
    assert item["rating_average"] is None and item["review_count"] == 0


def test_only_published_reviews_count_in_the_rating(
    api_client, catalogue, customer, make_user, settings
):
    settings.REVIEW_BLOCKED_WORDS = ["scam"]
    pixel = catalogue["pixel"]
    review_create(product=pixel, author=customer, rating=5, comment="Great")
    review_create(product=pixel, author=make_user("b@x.test"), rating=2, comment="Meh")
    review_create(product=pixel, author=make_user("c@x.test"), rating=1, comment="A scam")

    item = api_client.get("/products/list/", {"id": str(pixel.pk)}).json()["results"][0]

    assert item["review_count"] == 2
    assert item["rating_average"] == 3.5
    assert sorted(r["rating"] for r in item["reviews_data"]) == [2, 5]


def test_reviews_data_holds_the_latest_reviews_up_to_the_setting(
    api_client, catalogue, make_user, settings
):
    settings.CATALOG_API_PRODUCT_REVIEWS = 2
    pixel = catalogue["pixel"]
    for n in range(3):
        review_create(product=pixel, author=make_user(f"r{n}@x.test"), rating=n + 1)

    item = api_client.get("/products/list/", {"id": str(pixel.pk)}).json()["results"][0]

    assert [r["rating"] for r in item["reviews_data"]] == [3, 2]
    assert item["review_count"] == 3


# --- Filters ------------------------------------------------------------------------------------


def test_filter_by_id(api_client, catalogue):
    response = api_client.get("/products/list/", {"id": str(catalogue["galaxy"].pk)})

    assert _names(response) == ["Galaxy S"]
    assert api_client.get("/products/list/", {"id": str(uuid.uuid4())}).json()["count"] == 0


def test_a_malformed_id_is_a_400_naming_it(api_client, catalogue):
    response = api_client.get("/products/list/", {"id": "not-a-uuid"})

    assert response.status_code == 400
    assert response.json()["id"] == ["Enter a valid UUID."]
    assert response.json()["detail"] == "id: Enter a valid UUID."


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("electronics", ["Radio", "Galaxy S", "Pixel 9"]),  # the category and its descendants
        ("phones", ["Galaxy S", "Pixel 9"]),
        ("android", ["Galaxy S", "Pixel 9"]),
        ("fashion", ["Boots"]),
        ("no-such-category", []),
    ],
)
def test_filter_by_category_slug_includes_descendants(api_client, catalogue, slug, expected):
    assert _names(api_client.get("/products/list/", {"category": slug})) == expected


def test_filter_by_category_id(api_client, catalogue):
    electronics = Category.objects.get(slug="electronics")

    response = api_client.get("/products/list/", {"category": str(electronics.pk)})

    assert _names(response) == ["Radio", "Galaxy S", "Pixel 9"]


def test_search_looks_in_name_and_description_all_words(api_client, catalogue):
    assert _names(api_client.get("/products/list/", {"search": "pixel"})) == ["Pixel 9"]
    assert _names(api_client.get("/products/list/", {"search": "WATERPROOF"})) == ["Boots"]
    assert _names(api_client.get("/products/list/", {"search": "android phone"})) == ["Pixel 9"]
    assert _names(api_client.get("/products/list/", {"search": "android boots"})) == []


def test_is_active_filter(api_client, catalogue):
    assert api_client.get("/products/list/", {"is_active": "true"}).json()["count"] == 4
    # Inactive products are never public.
    assert api_client.get("/products/list/", {"is_active": "false"}).json()["count"] == 0


def test_price_bounds_are_inclusive(api_client, catalogue):
    assert _names(api_client.get("/products/list/", {"price_min": "120", "price_max": "500"})) == [
        "Boots",
        "Pixel 9",
    ]
    assert _names(api_client.get("/products/list/", {"price_min": "500.01"})) == ["Galaxy S"]
    assert _names(api_client.get("/products/list/", {"price_max": "40"})) == ["Radio"]
    assert _names(api_client.get("/products/list/", {"price_min": "900"})) == []


def test_a_bad_price_bound_is_a_400(api_client, catalogue):
    response = api_client.get("/products/list/", {"price_min": "cheap"})

    assert response.status_code == 400
    assert response.json()["price_min"] == ["Enter a number."]


def test_filter_by_manufacturer_or_seller(api_client, catalogue, manufacturer_a, manufacturer_b):
    expected_a = ["Radio", "Pixel 9"]
    assert _names(api_client.get("/products/list/", {"manufacturer": manufacturer_a.pk})) == (
        expected_a
    )
    assert _names(api_client.get("/products/list/", {"seller": manufacturer_b.pk})) == [
        "Boots",
        "Galaxy S",
    ]
    assert api_client.get("/products/list/", {"seller": "abc"}).status_code == 400


def test_filters_combine(api_client, catalogue, manufacturer_a):
    response = api_client.get(
        "/products/list/",
        {"category": "electronics", "manufacturer": manufacturer_a.pk, "price_min": "100"},
    )

    assert _names(response) == ["Pixel 9"]


# --- Ordering -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("price", ["Radio", "Boots", "Pixel 9", "Galaxy S"]),
        ("-price", ["Galaxy S", "Pixel 9", "Boots", "Radio"]),
        ("name", ["Boots", "Galaxy S", "Pixel 9", "Radio"]),
        ("-name", ["Radio", "Pixel 9", "Galaxy S", "Boots"]),
        ("created_at", ["Pixel 9", "Galaxy S", "Radio", "Boots"]),
        ("-created_at", ["Boots", "Radio", "Galaxy S", "Pixel 9"]),
    ],
)
def test_ordering(api_client, catalogue, ordering, expected):
    assert _names(api_client.get("/products/list/", {"ordering": ordering})) == expected


def test_ordering_by_rating_puts_unrated_products_last(
    api_client, catalogue, customer, make_user
):
    review_create(product=catalogue["radio"], author=customer, rating=5)
    review_create(product=catalogue["pixel"], author=customer, rating=2)
    review_create(product=catalogue["pixel"], author=make_user("b@x.test"), rating=4)

    best = _names(api_client.get("/products/list/", {"ordering": "-rating"}))
    worst = _names(api_client.get("/products/list/", {"ordering": "rating"}))

    # Unrated (Boots, Galaxy S) last either way, newest first among them.
    assert best == ["Radio", "Pixel 9", "Boots", "Galaxy S"]
    assert worst == ["Pixel 9", "Radio", "Boots", "Galaxy S"]


def test_an_unknown_ordering_is_a_400(api_client, catalogue):
    response = api_client.get("/products/list/", {"ordering": "inventory"})

    assert response.status_code == 400
    assert "ordering" in response.json()


# --- Pagination ---------------------------------------------------------------------------------


@pytest.fixture
def many_products(manufacturer_a, phones):
    """105 public products, cheaper first by creation (bulk: pagination needs rows, not stock)."""
    Product.objects.bulk_create(
        Product(
            manufacturer=manufacturer_a,
            name=f"Item {n:03d}",
            slug=f"item-{n:03d}",
            handle=f"item-{n:03d}",
            price=Decimal(n + 1),
            category=phones,
            approval_status=ApprovalStatus.APPROVED,
        )
        for n in range(105)
    )


def test_default_page_size_is_10_with_links(api_client, many_products):
    body = api_client.get("/products/list/", {"ordering": "price"}).json()

    assert body["count"] == 105
    assert len(body["results"]) == 10
    assert body["results"][0]["name"] == "Item 000"
    assert body["next"] == "http://testserver/products/list/?ordering=price&page=2"
    assert body["previous"] is None


def test_a_middle_page(api_client, many_products):
    body = api_client.get("/products/list/", {"ordering": "price", "page": 3}).json()

    assert [p["name"] for p in body["results"]] == [f"Item {n:03d}" for n in range(20, 30)]
    assert body["next"].endswith("page=4")
    assert body["previous"].endswith("page=2")


def test_page_size_is_capped_at_100(api_client, many_products):
    body = api_client.get("/products/list/", {"page_size": 500}).json()

    assert len(body["results"]) == 100
    assert body["next"].endswith("page=2&page_size=500")


def test_the_last_page_and_a_page_past_the_end(api_client, many_products):
    last = api_client.get("/products/list/", {"page": 11, "ordering": "price"}).json()
    past = api_client.get("/products/list/", {"page": 12})

    assert [p["name"] for p in last["results"]] == ["Item 100", "Item 101", "Item 102",
                                                     "Item 103", "Item 104"]
    assert last["next"] is None
    assert past.status_code == 200
    assert past.json() == {
        "count": 105,
        "next": None,
        "previous": "http://testserver/products/list/?page=11",
        "results": [],
    }


def test_a_page_past_the_end_of_an_empty_list(api_client, db):
    response = api_client.get("/products/list/", {"page": 2})

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_a_page_that_is_not_a_page_number_is_a_400(api_client, many_products, page):
    response = api_client.get("/products/list/", {"page": page})

    assert response.status_code == 400
    assert response.json()["page"] == ["A page is a whole number from 1."]


def test_page_last(api_client, many_products):
    body = api_client.get("/products/list/", {"page": "last", "page_size": 50}).json()

    assert len(body["results"]) == 5


# --- Query counts -------------------------------------------------------------------------------


@pytest.fixture
def rich_catalogue(manufacturer_a, manufacturer_b, customer, phones, shoes, make_product,
                   publish):
    """60 public products, each with two variations, an image and a review."""
    image = image_file(size=(40, 30))
    for n in range(60):
        product = publish(
            make_product(
                manufacturer_a if n % 2 else manufacturer_b,
                category=phones if n % 3 else shoes,
                name=f"Product {n}",
                variations=[{"size": "S", "stock": 3}, {"size": "M", "stock": 4}],
                images=[image],
            )
        )
        review_create(product=product, author=customer, rating=1 + n % 5)



@pytest.mark.parametrize("page_size", [5, 50])
def test_the_list_runs_the_same_queries_whatever_the_page_size(
    api_client, rich_catalogue, django_assert_num_queries, page_size
):
    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get("/products/list/", {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


def test_filtering_by_category_adds_one_query(api_client, rich_catalogue,
                                              django_assert_num_queries):
    with django_assert_num_queries(LIST_QUERIES + 1):  # the category lookup by slug or id
        response = api_client.get(
            "/products/list/", {"page_size": 50, "category": "electronics", "ordering": "-rating"}
        )

    assert response.json()["count"] == 40


def test_the_count_query_leaves_out_the_rating_subqueries(api_client, rich_catalogue):
    with CaptureQueriesContext(connection) as queries:
        api_client.get("/products/list/", {"page_size": 5})

    count_sql = queries.captured_queries[1]["sql"]
    assert "COUNT(" in count_sql.upper()
    assert "catalog_review" not in count_sql


# --- Detail -------------------------------------------------------------------------------------


def test_detail_by_id_and_by_slug(api_client, catalogue):
    pixel = catalogue["pixel"]

    by_id = api_client.get(f"/products/{pixel.pk}/")
    by_slug = api_client.get("/products/slug/pixel-9")
    rest = api_client.get(f"/api/products/{pixel.pk}/")
    rest_slug = api_client.get("/api/products/pixel-9/")

    assert by_id.status_code == by_slug.status_code == rest.status_code == 200
    assert by_id.json() == by_slug.json() == rest.json() == rest_slug.json()
    assert by_id.json()["id"] == str(pixel.pk)
    assert set(by_id.json()) >= CONTRACT_FIELDS


def test_a_product_that_is_not_public_is_a_json_404_for_the_public(
    api_client, manufacturer_a, phones, make_product
):
    draft = make_product(manufacturer_a, category=phones, name="Secret")

    for url in (f"/products/{draft.pk}/", "/products/slug/secret/", f"/api/products/{draft.pk}/",
                f"/products/{uuid.uuid4()}/"):
        response = api_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]


def test_its_manufacturer_and_staff_can_read_a_product_awaiting_approval(
    jwt_client, manufacturer_a, manufacturer_b, staff_user, phones, make_product
):
    pending = make_product(manufacturer_a, category=phones, name="Awaiting", submit=True)
    url = f"/api/products/{pending.pk}/"

    assert jwt_client(manufacturer_a).get(url).status_code == 200
    assert jwt_client(staff_user).get(url).status_code == 200
    assert jwt_client(manufacturer_b).get(url).status_code == 404


def test_rest_list_is_the_same_catalogue(api_client, catalogue):
    rest = api_client.get("/api/products/", {"category": "phones", "ordering": "price"})

    assert rest.status_code == 200
    assert _names(rest) == ["Pixel 9", "Galaxy S"]


# --- Approve (staff) ----------------------------------------------------------------------------


def test_staff_approve_a_product_through_the_rest_route(
    jwt_client, api_client, staff_user, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, name="New phone", submit=True)

    response = jwt_client(staff_user).post(f"/api/products/{product.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["approval_status"] == "approved"
    assert _names(api_client.get("/products/list/")) == ["New phone"]


def test_approving_an_approved_product_is_a_409(jwt_client, staff_user, catalogue):
    response = jwt_client(staff_user).post(f"/api/products/{catalogue['pixel'].pk}/approve/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_a_manufacturer_cannot_approve_and_nothing_changes(
    jwt_client, api_client, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones)
    product_submit(product=product, actor=manufacturer_a)

    response = jwt_client(manufacturer_a).post(f"/api/products/{product.pk}/approve/")
    anonymous = api_client.post(f"/api/products/{product.pk}/approve/")

    assert response.status_code == 403
    assert anonymous.status_code == 401
    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.PENDING


# --- Categories ---------------------------------------------------------------------------------


def test_categories_nested_lists_every_active_category_flat_with_children(
    api_client, catalogue, phones, shoes
):
    response = api_client.get("/products/categories-nested/", {"format": "json"})

    assert response.status_code == 200
    body = response.json()
    by_slug = {c["slug"]: c for c in body["results"]}
    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    assert list(by_slug) == ["electronics", "phones", "android", "fashion", "shoes"]
    electronics = by_slug["electronics"]
    assert electronics["parent_id"] is None
    assert electronics["children"] == [
        {"id": by_slug["phones"]["id"], "name": "Phones", "slug": "phones"}
    ]
    assert by_slug["android"]["parent_id"] == by_slug["phones"]["id"]
    assert by_slug["android"]["children"] == []
    assert by_slug["shoes"]["parent_id"] == by_slug["fashion"]["id"]
    assert set(electronics) == {"id", "name", "slug", "description", "is_active", "depth",
                                "parent_id", "children"}


def test_categories_nested_is_one_query(api_client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        api_client.get("/products/categories-nested")


def test_staff_see_inactive_categories_on_the_rest_route_only(
    api_client, jwt_client, staff_user, catalogue
):
    staff = jwt_client(staff_user)

    assert staff.get("/api/categories/").json()["count"] == 6
    assert staff.get("/products/categories-nested/").json()["count"] == 5
    assert api_client.get("/api/categories/").json()["count"] == 5


def test_staff_create_a_sub_category(jwt_client, staff_user, phones):
    electronics = Category.objects.get(slug="electronics")

    response = jwt_client(staff_user).post(
        "/api/categories/", {"name": "Tablets", "parent": electronics.pk}, format="json"
    )

    assert response.status_code == 201
    created = Category.objects.get(slug="tablets")
    assert Category.objects.get_parent(created) == electronics
    assert response.json() == {
        "id": created.pk, "name": "Tablets", "slug": "tablets", "description": "",
        "is_active": True, "depth": 2, "parent_id": electronics.pk, "children": [],
    }


def test_a_duplicate_category_name_among_siblings_is_a_400(jwt_client, staff_user, phones):
    electronics = Category.objects.get(slug="electronics")

    response = jwt_client(staff_user).post(
        "/api/categories/", {"name": "phones", "parent": electronics.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "category_name_taken"
    assert response.json()["name"] == ["A category named “phones” already exists in “Electronics”."]
    assert Category.objects.count() == 3


def test_staff_rename_and_move_a_category(jwt_client, staff_user, phones, shoes):
    fashion = Category.objects.get(slug="fashion")

    response = jwt_client(staff_user).patch(
        f"/api/categories/{phones.pk}/", {"name": "Smartphones", "parent": fashion.pk},
        format="json",
    )

    assert response.status_code == 200
    moved = Category.objects.get(pk=phones.pk)
    assert moved.name == "Smartphones"
    assert Category.objects.get_parent(moved) == fashion
    assert response.json()["parent_id"] == fashion.pk


def test_a_category_with_products_in_its_subtree_cannot_be_deleted(
    jwt_client, staff_user, catalogue
):
    electronics = Category.objects.get(slug="electronics")

    response = jwt_client(staff_user).delete(f"/api/categories/{electronics.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "category_has_products"
    assert response.json()["detail"].startswith("“Electronics” cannot be deleted: 5 products")
    assert Category.objects.filter(path__startswith=electronics.path).count() == 3


def test_staff_delete_an_empty_category_with_its_subtree(jwt_client, staff_user, phones):
    electronics = Category.objects.get(slug="electronics")

    response = jwt_client(staff_user).delete(f"/api/categories/{electronics.pk}")

    assert response.status_code == 204
    assert not Category.objects.exists()


def test_only_staff_write_categories(api_client, jwt_client, customer, manufacturer_a, phones):
    for client, expected in ((api_client, 401), (jwt_client(customer), 403),
                             (jwt_client(manufacturer_a), 403)):
        assert client.post("/api/categories/", {"name": "X"}, format="json").status_code == (
            expected
        )
        assert client.patch(f"/api/categories/{phones.pk}/", {"name": "X"},
                            format="json").status_code == expected
        assert client.delete(f"/api/categories/{phones.pk}/").status_code == expected
    assert Category.objects.get(pk=phones.pk).name == "Android"
    assert Category.objects.count() == 3


# --- The direct rendering equals DRF's generic one ------------------------------------------------


def test_the_fast_product_rendering_equals_drfs_generic_rendering(
    rf, manufacturer_a, customer, phones, make_product, publish
):
    """The list serializers build their dicts by hand for speed; the declared fields (and so
    the OpenAPI schema) must say exactly the same thing."""
    from rest_framework import serializers

    from catalog.api.products import render_products
    from catalog.api.serializers import (
        ManufacturerProductSerializer,
        ProductCategorySerializer,
        ProductImageSerializer,
        ProductSerializer,
        VariationSerializer,
    )
    from catalog.selectors import category_ancestors, products_in_order

    product = publish(make_product(
        manufacturer_a, category=phones, name="Pixel", price="999.99",
        discount_percent=Decimal("12.5"), images=[image_file(size=(40, 30))],
        variations=[{"size": "S", "stock": 2, "price_override": Decimal("5.50")},
                    {"size": "M", "stock": 0}],
    ))
    review_create(product=product, author=customer, rating=3, comment="Ok")
    [product] = products_in_order(ids=[product.pk])
    request = rf.get("/products/list/")
    context = {"request": request, "ancestors": category_ancestors(categories=[product.category])}

    def generic(serializer_class, instance):
        serializer = serializer_class(context=context)
        for field in serializer.fields.values():
            # Nested serializers render generically too.
            child = getattr(field, "child", field)
            if isinstance(child, serializers.ModelSerializer):
                child.to_representation = (
                    lambda obj, c=child: serializers.ModelSerializer.to_representation(c, obj))
        return serializers.ModelSerializer.to_representation(serializer, instance)

    for serializer_class, instance in [
        (ProductSerializer, product),
        (ManufacturerProductSerializer, product),
        (ProductCategorySerializer, product.category),
        (ProductImageSerializer, product.images.all()[0]),
        (VariationSerializer, product.listed_variations[0]),
        (VariationSerializer, product.listed_variations[1]),
    ]:
        fast = serializer_class(instance, context=context).data
        assert dict(fast) == dict(generic(serializer_class, instance)), serializer_class
    assert render_products([product], request=request)[0] == dict(
        generic(ProductSerializer, product))
    assert [r["comment"] for r in product.sections["reviews_data"]] == ["Ok"]
