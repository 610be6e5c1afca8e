"""The product API within bounds (catalog.limits): every list, size and number a write accepts
is bounded with a clear 400 (``detail``), and a refused write changes nothing. The inputs are
the ones that were accepted, or crashed with a 500, when the site was probed."""

import json

import pytest

from catalog import limits
from catalog.models import Category, Product, StockMovement, Variation
from catalog.tests.conftest import image_file
from notifications.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db

ADD = "/products/add-product/"
ADD_REST = "/api/products/"


def _shoes(**changes) -> dict:
    return {
        "name": "Shoes",
        "price": 50,
        "category": {"name": "Footwear", "parent": {"name": "Men"}},
        "stock": 12,
        **changes,
    }


def _nothing_written():
    assert Product.objects.count() == 0
    assert Variation.objects.count() == 0
    assert StockMovement.objects.count() == 0
    assert Notification.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def _post(client, body, path=ADD):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_ten_thousand_variations_are_refused_at_once(jwt_client, manufacturer_a):
    variations = [{"size": str(n), "stock": 1} for n in range(10_000)]

    response = _post(jwt_client(manufacturer_a), _shoes(variations=variations, stock=None))

    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"variations: Ensure this field has no more than {limits.PRODUCT_VARIATIONS_MAX} "
        "elements."
    )
    _nothing_written()
    assert Category.objects.count() == 0


def test_the_most_variations_allowed_are_accepted(jwt_client, manufacturer_a):
    variations = [{"size": str(n), "stock": 100} for n in range(limits.PRODUCT_VARIATIONS_MAX)]

    response = _post(jwt_client(manufacturer_a), _shoes(variations=variations, stock=None))

    assert response.status_code == 201
    assert Variation.objects.count() == limits.PRODUCT_VARIATIONS_MAX


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (_shoes(stock=2**63), f"stock: Ensure this value is less than or equal to "
                              f"{limits.STOCK_MAX}."),
        (_shoes(stock=2**31), f"stock: Ensure this value is less than or equal to "
                              f"{limits.STOCK_MAX}."),
        (_shoes(stock=None, variations=[{"size": "M", "stock": 10**20}]),
         f"variations[0].stock: Ensure this value is less than or equal to {limits.STOCK_MAX}."),
        (_shoes(stock=None, variations=[{"size": "M", "stock": 1, "low_stock_threshold": 2**31}]),
         "variations[0].low_stock_threshold: Ensure this value is less than or equal to "
         f"{limits.STOCK_MAX}."),
    ],
    ids=["stock 2**63", "stock 2**31", "variation stock 10**20", "threshold 2**31"],
)
def test_numbers_beyond_the_bounds_are_a_400(jwt_client, manufacturer_a, body, detail):
    response = _post(jwt_client(manufacturer_a), body)

    assert response.status_code == 400
    assert response.json()["detail"] == detail
    _nothing_written()


INVALID_CATEGORY = (
    'category: Give a category as {"name": ..., "parent": {...}}, an id or a path.'
)


@pytest.mark.parametrize("category", [True, 1.5, [], ["Men"]], ids=repr)
def test_a_category_of_the_wrong_json_type_is_a_400(jwt_client, manufacturer_a, category):
    response = _post(jwt_client(manufacturer_a), _shoes(category=category))

    assert response.status_code == 400
    assert response.json()["detail"] == INVALID_CATEGORY
    _nothing_written()


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('"shoes"', "Invalid data. Expected a dictionary, but got str."),
        ("[1, 2]", "Invalid data. Expected a dictionary, but got list."),
        ("42", "Invalid data. Expected a dictionary, but got int."),
        ("[]", "Invalid data. Expected a dictionary, but got list."),
        ("null", "No data provided"),
    ],
)
@pytest.mark.parametrize("path", [ADD, ADD_REST])
def test_a_json_body_that_is_not_an_object_is_a_400(
    jwt_client, manufacturer_a, body, detail, path
):
    response = jwt_client(manufacturer_a).post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == detail
    _nothing_written()


def test_a_json_body_that_is_not_an_object_is_a_400_on_update_too(
    jwt_client, manufacturer_a, make_product, shoes
):
    product = make_product(manufacturer_a, category=shoes, name="Boot", stock=3)

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{product.pk}/", "[1]", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid data. Expected a dictionary, but got list."
    product.refresh_from_db()
    assert (product.name, product.inventory) == ("Boot", 3)


def test_an_80_level_category_path_string_is_a_400(jwt_client, manufacturer_a):
    path = " > ".join(f"Level {n}" for n in range(80))

    response = _post(jwt_client(manufacturer_a), _shoes(category=path))

    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"category: A category path can have at most {limits.CATEGORY_DEPTH_MAX} levels."
    )
    _nothing_written()
    assert Category.objects.count() == 0


def test_a_40_level_nested_category_is_a_400(jwt_client, manufacturer_a):
    category: dict | None = None
    for n in range(40):
        category = {"name": f"Level {n}", "parent": category}

    response = _post(jwt_client(manufacturer_a), _shoes(category=category))

    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"category: A category path can have at most {limits.CATEGORY_DEPTH_MAX} levels."
    )
    assert Category.objects.count() == 0


@pytest.mark.parametrize("category", [2**63, "99999999999999999999", 0, -3])
def test_a_category_id_out_of_range_is_a_400(jwt_client, manufacturer_a, category):
    response = _post(jwt_client(manufacturer_a), _shoes(category=category))

    assert response.status_code == 400
    assert response.json()["detail"] == "category: There is no category with this id."
    _nothing_written()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "Sho\x00es"}, "name"),
        ({"name": "Shoes\x07"}, "name"),
        ({"name": "Shoes\nNew"}, "name"),
        ({"category": "Men > Foot\x1bwear"}, "category"),
        ({"stock": None, "variations": [{"size": "M\x00", "stock": 1}]}, "variations[0].size"),
        ({"stock": None, "variations": [{"size": "M", "color": "Red\x7f", "stock": 1}]},
         "variations[0].color"),
        ({"description": "Good\x00shoes"}, "description"),
        # C1 controls like C0: U+0085 (NEL) is a line break to some readers, U+009B a CSI
        ({"name": "Sho\x85es"}, "name"),
        ({"description": "Good\x85shoes"}, "description"),
        ({"category": "Men > Foot\x9bwear"}, "category"),
        ({"stock": None, "variations": [{"size": "M\x80", "stock": 1}]}, "variations[0].size"),
    ],
    ids=["NUL in name", "BEL in name", "newline in name", "ESC in category", "NUL in size",
         "DEL in colour", "NUL in description", "NEL in name", "NEL in description",
         "CSI in category", "PAD in size"],
)
def test_control_characters_are_refused(jwt_client, manufacturer_a, changes, field):
    response = _post(jwt_client(manufacturer_a), _shoes(**changes))

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith(f"{field}: ")
    assert "control character" in detail or "Null characters are not allowed." in detail
    _nothing_written()
    assert Category.objects.count() == 0


def test_a_description_may_have_line_breaks_and_tabs(jwt_client, manufacturer_a):
    response = _post(jwt_client(manufacturer_a), _shoes(description="Light.\r\n\tWaterproof."))

    assert response.status_code == 201
    assert Product.objects.get().description == "Light.\r\n\tWaterproof."


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"name": "x" * (limits.PRODUCT_NAME_MAX + 1)},
         f"name: Ensure this field has no more than {limits.PRODUCT_NAME_MAX} characters."),
        ({"description": "x" * (limits.PRODUCT_DESCRIPTION_MAX + 1)},
         f"description: Ensure this field has no more than {limits.PRODUCT_DESCRIPTION_MAX} "
         "characters."),
        ({"category": "Men > " + "x" * (limits.CATEGORY_NAME_MAX + 1)},
         f"category: A category name can have at most {limits.CATEGORY_NAME_MAX} characters."),
        ({"stock": None, "variations": [{"size": "x" * 51, "stock": 1}]},
         "variations[0].size: Ensure this field has no more than 50 characters."),
    ],
    ids=["name", "description", "category name", "size"],
)
def test_strings_beyond_their_length_are_a_400(jwt_client, manufacturer_a, changes, detail):
    response = _post(jwt_client(manufacturer_a), _shoes(**changes))

    assert response.status_code == 400
    assert response.json()["detail"] == detail
    _nothing_written()


def test_more_images_than_allowed_are_refused(jwt_client, manufacturer_a):
    files = [image_file(f"p{n}.png", size=(20, 20)) for n in range(limits.PRODUCT_IMAGES_MAX + 1)]

    response = jwt_client(manufacturer_a).post(
        ADD,
        {"name": "Shoes", "price": "50", "category": "Men > Footwear", "stock": "3",
         "images": files},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"images: Ensure this field has no more than {limits.PRODUCT_IMAGES_MAX} elements."
    )
    _nothing_written()


def test_one_write_of_many_low_variations_alerts_once_and_queues_one_task_per_email(
    jwt_client, manufacturer_a, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications.services import outbox

    queued = []
    monkeypatch.setattr(outbox, "async_task", lambda *args, **kwargs: queued.append(args))
    variations = [{"size": str(n), "stock": 1} for n in range(150)]

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(jwt_client(manufacturer_a), _shoes(variations=variations, stock=None))

    assert response.status_code == 201
    alerts = Notification.objects.filter(user=manufacturer_a, event="low_stock")
    assert [a.title for a in alerts] == ["Low stock: 150 variations"]
    emails = OutboundMessage.objects.values_list("recipient", "subject")
    assert list(emails) == [(manufacturer_a.email, "Low stock: 150 variations")]
    assert len(queued) == 1  # one task for the one email (no staff users exist here)


def test_a_new_products_variations_take_the_same_queries_whatever_their_number(
    jwt_client, manufacturer_a, django_assert_max_num_queries
):
    client = jwt_client(manufacturer_a)
    few = [{"size": str(n), "stock": 9} for n in range(2)]
    many = [{"size": str(n), "stock": 9} for n in range(limits.PRODUCT_VARIATIONS_MAX)]
    _post(client, _shoes(name="Warm-up", variations=few, stock=None))  # categories, caches

    with django_assert_max_num_queries(60) as few_queries:
        assert _post(client, _shoes(name="Few", variations=few, stock=None)).status_code == 201
    # A few more for 200 rows (bulk statements in batches), not ~10 per row as before.
    with django_assert_max_num_queries(len(few_queries.captured_queries) + 5):
        assert _post(client, _shoes(name="Many", variations=many, stock=None)).status_code == 201

    product = Product.objects.get(name="Many")
    assert (product.inventory, product.variations.count()) == (9 * len(many), len(many))
    assert StockMovement.objects.filter(product=product, note="Initial stock").count() == len(many)


@pytest.mark.parametrize("taken_by", ["the same request", "another product"])
def test_a_sku_already_used_is_refused_on_its_row(
    jwt_client, manufacturer_a, make_product, shoes, taken_by
):
    if taken_by == "another product":
        make_product(manufacturer_a, category=shoes, variations=[{"size": "X", "sku": "SKU-1"}])
    before = (Product.objects.count(), Variation.objects.count())
    variations = [{"size": "S", "sku": "SKU-0"}, {"size": "M", "sku": "SKU-1"}]
    if taken_by == "the same request":
        variations.append({"size": "L", "sku": "SKU-1"})

    response = _post(jwt_client(manufacturer_a), _shoes(variations=variations, stock=None))

    assert response.status_code == 400
    assert response.json()["detail"] == "sku: You already use this SKU on another variation."
    assert (Product.objects.count(), Variation.objects.count()) == before


@pytest.mark.parametrize(
    "query", ["search=shoe%00s", "name=sh%00oe", "category=m%00en", "is_active=true%00"]
)
def test_a_nul_in_a_list_filter_is_a_400(client, query):
    response = client.get(f"/products/list/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.json() == {"detail": f"{name}: Null characters are not allowed.",
                               name: ["Null characters are not allowed."]}


def test_a_nul_in_a_product_slug_is_a_404(client):
    response = client.get("/api/products/sh%00oe/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
