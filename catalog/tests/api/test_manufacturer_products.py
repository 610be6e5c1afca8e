"""The manufacturer product API (docs/api.md#manufacturer-product-api): add-product,
update-product, put-product, delete-product (JWT), with nested categories, variations, stock
through the ledger and images."""

import importlib
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import (
    ApprovalStatus,
    Category,
    Product,
    ProductImage,
    StockMovement,
    StockReason,
    Variation,
)
from catalog.services import product_approve, stock_adjust
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db

STOCK_OR_VARIATIONS = "You must provide either a stock value or at least one variation."

SHOES = {
    "name": "Shoes",
    "description": "Running shoes",
    "price": 5000,
    "discount_percent": 20,
    "category": {"name": "Footwear", "parent": {"name": "Men"}},
    "stock": 12,
}
T_SHIRT = {
    "name": "T-Shirt",
    "description": "Comfortable cotton T-shirt",
    "price": 2000,
    "category": {"name": "Tops"},
    "variations": [
        {"size": "S", "color": "Black", "stock": 5},
        {"size": "M", "color": "White", "stock": 10},
    ],
}


def _variations(product) -> list[tuple]:
    return list(
        Variation.objects.filter(product=product)
        .order_by("size", "color")
        .values_list("size", "color", "stock")
    )


def _ledger(product) -> list[tuple]:
    return list(
        StockMovement.objects.filter(product=product)
        .order_by("id")
        .values_list("label", "delta", "stock_after", "reason")
    )


def _snapshot(product) -> tuple:
    fresh = Product.objects.get(pk=product.pk)
    return (
        fresh.name, fresh.price, fresh.discount_percent, fresh.category_id, fresh.inventory,
        fresh.approval_status, _variations(product), list(fresh.images.values_list("id")),
        StockMovement.objects.filter(product=product).count(),
    )


# --- add-product --------------------------------------------------------------------------------


def test_add_a_product_with_stock_and_a_new_category_path(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post("/products/add-product/", SHOES, format="json")

    assert response.status_code == 201
    body = response.json()
    product = Product.objects.get(pk=body["id"])
    assert product.manufacturer == manufacturer_a
    assert body["name"] == "Shoes" and body["price"] == "5000.00"
    assert body["discount_price"] == "4000.00" and body["discount_percent"] == 20.0
    assert body["inventory"] == 12 and body["variations_data"] == []
    assert body["approval_status"] == "pending"  # submitted for approval at once
    men = Category.objects.get(name="Men", depth=1)
    footwear = Category.objects.get(name="Footwear")
    assert Category.objects.get_parent(footwear) == men
    assert body["category"]["id"] == footwear.pk
    assert body["category"]["parent"] == {"id": men.pk, "name": "Men", "slug": "men",
                                          "parent": None}
    assert _variations(product) == [("", "", 12)]
    assert _ledger(product) == [("Shoes", 12, 12, StockReason.MANUAL)]


def test_add_a_product_with_variations_reuses_an_existing_category(
    jwt_client, manufacturer_a, shoes
):
    existing = Category.objects.get(name="Fashion")

    response = jwt_client(manufacturer_a).post(
        "/products/add-product", {**T_SHIRT, "category": {"name": "fashion"}}, format="json"
    )

    assert response.status_code == 201
    product = Product.objects.get(pk=response.json()["id"])
    assert product.category == existing  # matched case-insensitively, not created
    assert product.inventory == 15
    assert _variations(product) == [("M", "White", 10), ("S", "Black", 5)]
    assert [(v["size"], v["color"], v["stock"]) for v in response.json()["variations_data"]] == [
        ("S", "Black", 5), ("M", "White", 10)
    ]


def test_a_deep_category_chain_is_created_in_order(jwt_client, manufacturer_a):
    category = {"name": "JBL HiFi speaker", "parent": {"name": "Bluetooth Speaker", "parent": {
        "name": "Home Appliances", "parent": {"name": "Electronics"}}}}

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**SHOES, "category": category}, format="json"
    )

    assert response.status_code == 201
    leaf = Category.objects.get(name="JBL HiFi speaker")
    assert [c.name for c in Category.objects.get_ancestors(leaf)] == [
        "Electronics", "Home Appliances", "Bluetooth Speaker"
    ]


def test_variations_may_be_a_json_string_in_multipart_with_images(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {
            "name": "T-Shirt",
            "price": "2000",
            "category": json.dumps({"name": "Tops", "parent": {"name": "Clothing"}}),
            "variations": json.dumps(T_SHIRT["variations"]),
            "images": [image_file("front.png"), image_file("back.jpg", image_format="JPEG")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    product = Product.objects.get(pk=response.json()["id"])
    assert _variations(product) == [("M", "White", 10), ("S", "Black", 5)]
    assert Category.objects.get_parent(product.category).name == "Clothing"
    images = response.json()["images_data"]
    assert [i["position"] for i in images] == [0, 1]
    assert all(i["image_urls"]["original"].startswith("http://testserver/media/") for i in images)
    assert ProductImage.objects.filter(product=product).count() == 2


def test_multipart_category_as_bracketed_fields_and_plain_stock(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "Cap", "price": "15", "stock": "3", "category[name]": "Hats",
         "category[parent][name]": "Accessories"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    product = Product.objects.get(pk=response.json()["id"])
    assert [c.name for c in Category.objects.get_ancestors(product.category)] == ["Accessories"]
    assert product.category.name == "Hats" and product.inventory == 3


def test_category_by_id_or_path_string(jwt_client, manufacturer_a, phones):
    client = jwt_client(manufacturer_a)

    by_id = client.post("/products/add-product/", {**SHOES, "category": phones.pk},
                        format="json")
    by_path = client.post("/products/add-product/",
                          {**SHOES, "name": "Other", "category": "Electronics > Phones > Android"},
                          format="json")

    assert by_id.status_code == by_path.status_code == 201
    assert Product.objects.filter(category=phones).count() == 2


def test_an_unknown_category_id_is_a_400(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**SHOES, "category": 999}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["category"] == ["There is no category with id 999."]
    assert not Product.objects.exists()


def test_discount_price_becomes_the_discount_percent(jwt_client, manufacturer_a):
    body = {k: v for k, v in SHOES.items() if k != "discount_percent"}
    body["discount_price"] = "3750.00"

    response = jwt_client(manufacturer_a).post("/products/add-product/", body, format="json")

    assert response.status_code == 201
    assert Product.objects.get().discount_percent == Decimal("25.00")
    assert response.json()["discount_price"] == "3750.00"


def test_a_discount_price_above_the_price_is_a_400(jwt_client, manufacturer_a):
    body = {k: v for k, v in SHOES.items() if k != "discount_percent"}

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**body, "discount_price": 6000}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["discount_price"] == [
        "The discount price must be between 0 and the price."
    ]


# --- the seed's errors --------------------------------------------------------------------------


def test_bad_variations_json_is_the_seeds_400(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "T-Shirt", "price": "10", "category": "Tops", "variations": "[{size: 'S'"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "variations: Invalid JSON format",
        "variations": "Invalid JSON format",
    }
    assert not Product.objects.exists() and not Category.objects.exists()


def test_neither_stock_nor_variations_is_the_seeds_non_field_error(jwt_client, manufacturer_a):
    body = {k: v for k, v in SHOES.items() if k != "stock"}

    response = jwt_client(manufacturer_a).post("/products/add-product/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": STOCK_OR_VARIATIONS,
        "code": "stock_or_variations_required",
        "non_field_errors": [STOCK_OR_VARIATIONS],
    }
    assert not Product.objects.exists() and not Category.objects.exists()


def test_an_empty_variations_list_without_stock_is_the_same_error(jwt_client, manufacturer_a):
    body = {k: v for k, v in T_SHIRT.items()}
    body["variations"] = []

    response = jwt_client(manufacturer_a).post("/products/add-product/", body, format="json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [STOCK_OR_VARIATIONS]


def test_a_text_file_renamed_jpg_is_a_400_naming_images(jwt_client, manufacturer_a):
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "Cap", "price": "15", "stock": "3", "category": "Hats", "images": [fake]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["images"] == [
        "photo.jpg: This file is not an image we can read. Upload a JPEG, PNG, WEBP, GIF file."
    ]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"price": -1}, "price"),
        ({"discount_percent": 120}, "discount_percent"),
        ({"stock": -3}, "stock"),
        ({"name": ""}, "name"),
        ({"category": {"parent": {"name": "Men"}}}, "category"),
        ({"variations": [{"size": "S", "stock": -1}]}, "variations"),
    ],
)
def test_invalid_fields_are_400s_naming_the_field(jwt_client, manufacturer_a, change, field):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**SHOES, **change}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    # The detail says where the first error is: "stock: ..." or "variations[0].stock: ...".
    assert re.match(rf"{field}(\[\d+\]\.\w+)?: ", response.json()["detail"])
    assert not Product.objects.exists()


def test_duplicate_variations_are_a_400(jwt_client, manufacturer_a):
    variations = [{"size": "S", "color": "Black", "stock": 1},
                  {"size": "s", "color": "black", "stock": 2}]

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**T_SHIRT, "variations": variations}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["variations"] == [
        "Each size and colour combination may appear only once."
    ]


# --- who may do what ----------------------------------------------------------------------------


def test_anonymous_gets_401_and_a_customer_403(api_client, jwt_client, customer):
    anonymous = api_client.post("/products/add-product/", SHOES, format="json")
    as_customer = jwt_client(customer).post("/products/add-product/", SHOES, format="json")

    assert anonymous.status_code == 401
    assert anonymous.json()["detail"]
    assert as_customer.status_code == 403
    assert as_customer.json()["detail"] == "Only manufacturers and staff can manage products."
    assert not Product.objects.exists()


def test_an_expired_token_on_a_write_is_a_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    assert api_client.post("/products/add-product/", SHOES, format="json").status_code == 401


def test_staff_add_a_product_for_a_manufacturer_and_it_is_approved(
    jwt_client, staff_user, manufacturer_b
):
    response = jwt_client(staff_user).post(
        "/products/add-product/", {**SHOES, "manufacturer": manufacturer_b.pk}, format="json"
    )

    assert response.status_code == 201
    product = Product.objects.get()
    assert product.manufacturer == manufacturer_b
    assert product.approval_status == ApprovalStatus.APPROVED


def test_a_manufacturer_cannot_add_for_someone_else(jwt_client, manufacturer_a, manufacturer_b):
    response = jwt_client(manufacturer_a).post(
        "/products/add-product/", {**SHOES, "manufacturer": manufacturer_b.pk}, format="json"
    )

    assert response.status_code == 201
    assert Product.objects.get().manufacturer == manufacturer_a


# --- update-product (PATCH) and put-product (PUT) ------------------------------------------------


@pytest.fixture
def t_shirt(manufacturer_a, shoes, make_product, staff_user):
    product = make_product(
        manufacturer_a,
        category=shoes,
        name="T-Shirt",
        price="2000.00",
        variations=[{"size": "S", "color": "Black", "stock": 5},
                    {"size": "M", "color": "White", "stock": 10}],
        images=[image_file("old.png", size=(40, 30))],
    )
    product_approve(product=product, actor=staff_user)
    return Product.objects.get(pk=product.pk)


def test_patch_changes_only_the_fields_given(jwt_client, manufacturer_a, t_shirt):
    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/", {"price": "1800.50"}, format="json"
    )

    assert response.status_code == 200
    product = Product.objects.get(pk=t_shirt.pk)
    assert product.price == Decimal("1800.50")
    assert product.name == "T-Shirt" and product.category_id == t_shirt.category_id
    assert _variations(product) == [("M", "White", 10), ("S", "Black", 5)]
    assert product.images.count() == 1
    assert product.approval_status == ApprovalStatus.APPROVED
    assert response.json()["price"] == "1800.50"


def test_patch_replaces_variations_through_the_ledger(jwt_client, manufacturer_a, t_shirt):
    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}",
        {"variations": [{"size": "M", "color": "White", "stock": 7},
                        {"size": "L", "color": "Red", "stock": 4}]},
        format="json",
    )

    assert response.status_code == 200
    product = Product.objects.get(pk=t_shirt.pk)
    assert _variations(product) == [("L", "Red", 4), ("M", "White", 7)]
    assert product.inventory == 11
    assert _ledger(product)[2:] == [
        ("T-Shirt / M / White", -3, 7, StockReason.MANUAL),
        ("T-Shirt / L / Red", 4, 4, StockReason.MANUAL),
        ("T-Shirt / S / Black", -5, 0, StockReason.MANUAL),
    ]
    assert sum(StockMovement.objects.filter(product=product).values_list("delta", flat=True)) == 11


def test_sending_stock_makes_it_a_product_without_variations(
    jwt_client, manufacturer_a, t_shirt
):
    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/", {"stock": 30}, format="json"
    )

    assert response.status_code == 200
    product = Product.objects.get(pk=t_shirt.pk)
    assert _variations(product) == [("", "", 30)]
    assert product.inventory == 30
    assert response.json()["variations_data"] == []
    assert sum(StockMovement.objects.filter(product=product).values_list("delta", flat=True)) == 30


def test_stock_of_a_product_without_variations_is_set_not_added(
    jwt_client, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, name="Radio", stock=10)
    client = jwt_client(manufacturer_a)

    client.patch(f"/products/update-product/{product.pk}/", {"stock": 4}, format="json")
    client.patch(f"/products/update-product/{product.pk}/", {"stock": 4}, format="json")

    assert Product.objects.get(pk=product.pk).inventory == 4
    assert _ledger(product) == [("Radio", 10, 10, "manual"), ("Radio", -6, 4, "manual")]


def test_new_images_replace_the_old_ones(jwt_client, manufacturer_a, t_shirt):
    old = list(t_shirt.images.values_list("pk", flat=True))

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/",
        {"images": [image_file("new1.png", size=(40, 30)), image_file("new2.png", size=(40, 30))]},
        format="multipart",
    )

    assert response.status_code == 200
    images = list(ProductImage.objects.filter(product=t_shirt).order_by("position"))
    assert len(images) == 2 and not set(old) & {i.pk for i in images}
    assert images[0].original.name.startswith("products/original/new1")
    # Fields a multipart form leaves out stay as they were (no "absent checkbox = false").
    assert Product.objects.get(pk=t_shirt.pk).is_active is True
    assert _variations(t_shirt) == [("M", "White", 10), ("S", "Black", 5)]


def test_a_bad_image_on_update_changes_nothing(jwt_client, manufacturer_a, t_shirt):
    before = _snapshot(t_shirt)
    fake = SimpleUploadedFile("x.jpg", b"text", content_type="image/jpeg")

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/",
        {"price": "1", "stock": "1", "images": [fake]},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "images"]
    assert _snapshot(t_shirt) == before


def test_patch_moves_the_product_to_a_new_category_path(jwt_client, manufacturer_a, t_shirt):
    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/",
        {"category": {"name": "Tops", "parent": {"name": "Men"}}},
        format="json",
    )

    assert response.status_code == 200
    category = Product.objects.get(pk=t_shirt.pk).category
    assert category.name == "Tops"
    assert Category.objects.get_parent(category).name == "Men"


def test_put_needs_the_whole_product(jwt_client, manufacturer_a, t_shirt):
    before = _snapshot(t_shirt)

    missing = jwt_client(manufacturer_a).put(
        f"/products/put-product/{t_shirt.pk}/", {"price": "10"}, format="json"
    )
    no_stock = jwt_client(manufacturer_a).put(
        f"/products/put-product/{t_shirt.pk}/",
        {"name": "T", "price": "10", "category": {"name": "Tops"}},
        format="json",
    )

    assert missing.status_code == 400
    assert set(missing.json()) == {"detail", "name", "category"}
    assert no_stock.status_code == 400
    assert no_stock.json()["non_field_errors"] == [STOCK_OR_VARIATIONS]
    assert _snapshot(t_shirt) == before
    assert not Category.objects.filter(name="Tops").exists()  # rolled back with the rest


def test_put_replaces_the_product(jwt_client, manufacturer_a, t_shirt):
    response = jwt_client(manufacturer_a).put(
        f"/products/put-product/{t_shirt.pk}/",
        {**T_SHIRT, "name": "Tee", "variations": [{"size": "XL", "color": "Blue", "stock": 2}]},
        format="json",
    )

    assert response.status_code == 200
    product = Product.objects.get(pk=t_shirt.pk)
    assert (product.name, product.price, product.category.name) == ("Tee", Decimal("2000"), "Tops")
    assert _variations(product) == [("XL", "Blue", 2)]
    assert product.inventory == 2


def test_a_manufacturer_edit_of_a_rejected_product_resubmits_it(
    jwt_client, manufacturer_a, staff_user, phones, make_product
):
    from catalog.services import product_reject

    product = make_product(manufacturer_a, category=phones, submit=True)
    product_reject(product=product, actor=staff_user, reason="Blurry photos")

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{product.pk}/", {"description": "Sharper"}, format="json"
    )

    assert response.json()["approval_status"] == "pending"


def test_low_stock_through_the_api_emails_the_manufacturer_once(
    jwt_client, manufacturer_a, t_shirt, django_capture_on_commit_callbacks
):
    client = jwt_client(manufacturer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(f"/products/update-product/{t_shirt.pk}/", {"stock": 2}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(f"/products/update-product/{t_shirt.pk}/", {"stock": 1}, format="json")

    alerts = [m for m in mail.outbox if m.subject.startswith("Low Stock Alert")]
    assert [m.subject for m in alerts] == ["Low Stock Alert: T-Shirt"]
    assert alerts[0].to == [manufacturer_a.email]


def test_a_sale_between_reading_and_setting_the_stock_is_a_409(
    jwt_client, manufacturer_a, t_shirt, monkeypatch
):
    """The stock is set only if it is still what the request read (no lost sale)."""
    module = importlib.import_module("catalog.services.product_edit")

    real = module.stock_set

    def sale_first(*, variation, **kwargs):
        stock_adjust(variation=variation, delta=-1, reason=StockReason.ORDER, actor=None)
        return real(variation=variation, **kwargs)

    monkeypatch.setattr(module, "stock_set", sale_first)

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{t_shirt.pk}/",
        {"variations": [{"size": "S", "color": "Black", "stock": 50}]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "stock_changed"
    assert _variations(t_shirt) == [("M", "White", 10), ("S", "Black", 5)]


# --- ownership ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("patch", "/products/update-product/{pk}/"),
        ("put", "/products/put-product/{pk}/"),
        ("delete", "/products/delete-product/{pk}/"),
        ("patch", "/api/products/{pk}/"),
        ("put", "/api/products/{pk}/"),
        ("delete", "/api/products/{pk}/"),
    ],
)
def test_another_manufacturers_product_is_a_404_and_nothing_changes(
    jwt_client, manufacturer_b, t_shirt, method, url
):
    before = _snapshot(t_shirt)

    response = getattr(jwt_client(manufacturer_b), method)(
        url.format(pk=t_shirt.pk), {**T_SHIRT, "price": "1", "stock": 1}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["detail"]
    assert _snapshot(t_shirt) == before


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_customer_gets_403_and_nothing_changes(jwt_client, customer, t_shirt, method):
    before = _snapshot(t_shirt)
    url = {"patch": "/products/update-product/{pk}/", "put": "/products/put-product/{pk}/",
           "delete": "/products/delete-product/{pk}/"}[method].format(pk=t_shirt.pk)

    response = getattr(jwt_client(customer), method)(url, {"price": "1"}, format="json")

    assert response.status_code == 403
    assert _snapshot(t_shirt) == before


def test_staff_may_edit_any_product_without_sending_it_back_to_approval(
    jwt_client, staff_user, t_shirt
):
    response = jwt_client(staff_user).patch(
        f"/products/update-product/{t_shirt.pk}/", {"name": "Staff edit"}, format="json"
    )

    assert response.status_code == 200
    product = Product.objects.get(pk=t_shirt.pk)
    assert product.name == "Staff edit"
    assert product.approval_status == ApprovalStatus.APPROVED


# --- delete-product -----------------------------------------------------------------------------


def test_delete_product_keeps_the_ledger(jwt_client, manufacturer_a, t_shirt):
    response = jwt_client(manufacturer_a).delete(f"/products/delete-product/{t_shirt.pk}/")

    assert response.status_code == 204
    assert not Product.objects.filter(pk=t_shirt.pk).exists()
    assert StockMovement.objects.filter(label__startswith="T-Shirt").count() == 2


def test_staff_delete_any_product_through_the_rest_route(jwt_client, staff_user, t_shirt):
    assert jwt_client(staff_user).delete(f"/api/products/{t_shirt.pk}").status_code == 204
    assert not Product.objects.exists()


def test_rest_create_takes_seed_twos_category_id_and_single_image(
    jwt_client, manufacturer_a, phones
):
    response = jwt_client(manufacturer_a).post(
        "/api/products/",
        {"name": "Phone", "price": "99", "category": phones.pk, "stock": "1",
         "image": image_file("p.png", size=(40, 30))},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    product = Product.objects.get()
    assert product.category == phones and product.images.count() == 1
