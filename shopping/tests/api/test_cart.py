"""The cart API as the storefront calls it (docs/api.md#cart): shapes, the merge at
login, the pricing rule, lines that went stale, and another user's lines."""

from decimal import Decimal

import pytest

from catalog.models import ApprovalStatus, Product
from catalog.services import stock_adjust
from shopping.models import CartItem
from shopping.tests.helpers import assert_json

pytestmark = pytest.mark.django_db

LINE_FIELDS = {
    "id", "product", "product_name", "variation", "quantity", "unit_price", "subtotal",
    "formatted_subtotal", "checked", "available", "issue", "stock", "created_at",
}


def add(client, product, quantity=1, variation=None, path="/cart/add"):
    body = {"product_id": str(product.pk), "quantity": quantity}
    if variation is not None:
        body["variation"] = variation.pk
    return client.post(path, body, format="json")


def test_empty_cart_shape(buyer, customer):
    cart = assert_json(buyer.get("/cart/"), 200)
    assert cart == {
        "id": customer.pk,
        "user": customer.pk,
        "items": [],
        "total": 0.0,
        "formatted_total": "₦0.00",
        "subtotal": 0.0,
        "checked_total": 0.0,
        "total_items": 0,
        "created_at": None,
    }


def test_add_then_read_the_cart(buyer, customer, phone, shirt, shirt_m):
    body = assert_json(add(buyer, phone, 2), 201)
    assert body["detail"] == "Added to cart."
    assert body["cart_item"]["quantity"] == 2
    assert_json(add(buyer, shirt, 1, shirt_m), 201)

    cart = assert_json(buyer.get("/cart"), 200)  # both slash forms
    assert cart["total_items"] == 3  # quantities, not lines
    assert cart["total"] == 230.0 and isinstance(cart["total"], float)
    assert cart["formatted_total"] == "₦230.00"
    first, second = cart["items"]
    assert set(first) == LINE_FIELDS
    assert first["product"]["id"] == str(phone.pk)
    assert first["product"]["images_data"] == []
    assert {"id", "name", "price", "discount_price", "images_data"} <= set(first["product"])
    assert first["product_name"] == "Phone"
    assert first["variation"] is None
    assert (first["quantity"], first["subtotal"], first["formatted_subtotal"]) == (
        2, 200.0, "₦200.00"
    )
    assert first["checked"] is True and first["available"] is True and first["issue"] is None
    # The product's 25 % discount comes from catalog.pricing: 40.00 -> 30.00.
    assert second["variation"] == {"id": shirt_m.pk, "size": "M", "color": "", "stock": 5}
    assert (second["unit_price"], second["subtotal"]) == (30.0, 30.0)


def test_adding_what_is_there_raises_the_quantity_as_the_login_merge_does(
    buyer, customer, phone
):
    assert_json(add(buyer, phone, 2), 201)
    body = assert_json(add(buyer, phone, 3, path="/cart/add/"), 200)
    assert body["cart_item"]["quantity"] == 5
    assert list(CartItem.objects.filter(user=customer).values_list("quantity", flat=True)) == [5]


def test_a_default_variation_sent_by_id_is_the_same_line(buyer, customer, phone):
    holder = phone.variations.get()
    assert_json(add(buyer, phone, 1), 201)
    assert_json(add(buyer, phone, 1, holder), 200)
    assert CartItem.objects.get(user=customer).quantity == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"product_id": "not-a-uuid", "quantity": 1}, 404, "product_unavailable"),
        ({"quantity": 1}, 400, None),
        ({"product_id": "PHONE", "quantity": 0}, 400, None),
        ({"product_id": "PHONE", "quantity": "many"}, 400, None),
        ({"product_id": "PHONE", "quantity": 11}, 409, "insufficient_stock"),
        ({"product_id": "SHIRT", "quantity": 1, "variation": 999999}, 400, "variation_unknown"),
    ],
)
def test_add_refusals_change_nothing(buyer, customer, phone, shirt, body, status, code):
    body = {**body}
    if body.get("product_id") == "PHONE":
        body["product_id"] = str(phone.pk)
    elif body.get("product_id") == "SHIRT":
        body["product_id"] = str(shirt.pk)
    error = assert_json(buyer.post("/cart/add", body, format="json"), status)
    assert error["detail"]
    if code:
        assert error["code"] == code
    assert not CartItem.objects.filter(user=customer).exists()


def test_a_product_that_is_not_public_cannot_be_added(buyer, customer, phone):
    Product.objects.filter(pk=phone.pk).update(approval_status=ApprovalStatus.PENDING)
    error = assert_json(add(buyer, phone), 404)
    assert error == {"detail": "Product not found.", "code": "product_unavailable"}
    assert not CartItem.objects.exists()


def test_adding_beyond_the_stock_with_what_is_there_is_refused(buyer, customer, shirt, shirt_l):
    assert_json(add(buyer, shirt, 2, shirt_l), 201)
    error = assert_json(add(buyer, shirt, 1, shirt_l), 409)
    assert error["code"] == "insufficient_stock"
    assert (error["available"], error["requested"]) == (2, 3)
    assert CartItem.objects.get(user=customer).quantity == 2


def test_stale_lines_say_so_in_the_cart(buyer, customer, phone, shirt, shirt_m, staff_user):
    assert_json(add(buyer, phone, 3), 201)
    assert_json(add(buyer, shirt, 4, shirt_m), 201)
    Product.objects.filter(pk=phone.pk).update(is_active=False)
    stock_adjust(variation=shirt_m, delta=-3, actor=staff_user, reason="manual", note="damaged")

    phone_line, shirt_line = assert_json(buyer.get("/cart/"), 200)["items"]
    assert phone_line["available"] is False
    assert phone_line["issue"] == "This product is no longer available."
    assert shirt_line["available"] is False
    assert shirt_line["stock"] == 2
    assert shirt_line["issue"] == "Only 2 left in stock: lower the quantity."

    stock_adjust(variation=shirt_m, delta=-2, actor=staff_user, reason="manual", note="sold")
    shirt_line = assert_json(buyer.get("/cart/"), 200)["items"][1]
    assert shirt_line["issue"] == "Out of stock."


def test_a_line_without_size_after_the_product_got_sizes_asks_for_one(
    buyer, customer, phone, manufacturer_a
):
    assert_json(add(buyer, phone, 1), 201)
    from catalog.models import Variation

    Variation.objects.create(product=phone, manufacturer=manufacturer_a, size="XL", stock=3)
    line = assert_json(buyer.get("/cart/"), 200)["items"][0]
    assert line["available"] is False
    assert line["issue"] == "Choose a size or colour for this product."


def test_update_quantity(buyer, customer, phone):
    item_id = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    body = assert_json(
        buyer.patch(f"/cart/item/{item_id}/update_quantity/", {"quantity": 4}, format="json"),
        200,
    )
    assert body["message"] == "Quantity updated."
    assert body["cart_item"]["quantity"] == 4 and body["cart_item"]["subtotal"] == 400.0
    assert CartItem.objects.get(pk=item_id).quantity == 4

    for bad in ({"quantity": 0}, {"quantity": 11}, {}):
        error = assert_json(
            buyer.patch(f"/cart/item/{item_id}/update_quantity", bad, format="json"),
            409 if bad.get("quantity") == 11 else 400,
        )
        assert error["detail"]
    assert CartItem.objects.get(pk=item_id).quantity == 4


def test_put_item_changes_quantity_and_variation(buyer, customer, shirt, shirt_m, shirt_l):
    item_id = assert_json(add(buyer, shirt, 1, shirt_m), 201)["cart_item"]["id"]
    body = assert_json(
        buyer.put(f"/cart/item/{item_id}/", {"quantity": 2, "variation": shirt_l.pk}, "json"),
        200,
    )
    assert set(body) == {"detail", "message", "cart_item"}
    assert body["cart_item"]["variation"]["id"] == shirt_l.pk
    assert body["cart_item"]["quantity"] == 2
    item = CartItem.objects.get(pk=item_id)
    assert (item.variation_id, item.quantity) == (shirt_l.pk, 2)


def test_set_checked(buyer, customer, phone):
    item_id = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    body = assert_json(
        buyer.patch(f"/cart/items/{item_id}/set-checked/", {"checked": False}, format="json"),
        200,
    )
    assert body == {"checked": False, "item_id": item_id}
    assert CartItem.objects.get(pk=item_id).checked is False
    cart = assert_json(buyer.get("/cart/"), 200)
    assert cart["items"][0]["checked"] is False
    assert (cart["total"], cart["checked_total"]) == (100.0, 0.0)

    error = assert_json(
        buyer.patch(f"/cart/items/{item_id}/set-checked", {"checked": "maybe"}, format="json"),
        400,
    )
    assert error["detail"]
    assert CartItem.objects.get(pk=item_id).checked is False


def test_remove_and_remove_all(buyer, customer, phone, shirt, shirt_m):
    first = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    assert_json(add(buyer, shirt, 1, shirt_m), 201)
    body = assert_json(buyer.delete(f"/cart/item/{first}/remove/"), 200)
    assert body["detail"] == "Removed from cart."
    assert CartItem.objects.filter(user=customer).count() == 1
    assert_json(buyer.delete(f"/cart/item/{first}/remove"), 404)

    body = assert_json(buyer.delete("/cart/item/remove_all/"), 200)
    assert body["removed"] == 1
    assert not CartItem.objects.filter(user=customer).exists()


def test_batch_update(buyer, customer, phone, shirt, shirt_m, shirt_l):
    a = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    b = assert_json(add(buyer, shirt, 1, shirt_m), 201)["cart_item"]["id"]
    c = assert_json(add(buyer, shirt, 1, shirt_l), 201)["cart_item"]["id"]
    body = assert_json(
        buyer.patch(
            "/cart/item/batch_update/",
            [{"id": a, "quantity": 3}, {"id": b, "quantity": 0}, {"id": c, "quantity": 9},
             {"id": 999999, "quantity": 1}],
            format="json",
        ),
        200,
    )
    assert body["updated_items"][:2] == [
        {"id": a, "status": "updated", "quantity": 3},
        {"id": b, "status": "removed", "quantity": 0},
    ]
    assert [e["id"] for e in body["errors"]] == [c, 999999]
    assert all(isinstance(e["error"], str) and e["error"] for e in body["errors"])
    quantities = dict(CartItem.objects.filter(user=customer).values_list("id", "quantity"))
    assert quantities == {a: 3, c: 1}


def test_batch_update_needs_a_bare_array(buyer, customer, phone):
    item_id = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    error = assert_json(
        buyer.patch("/cart/item/batch_update", {"id": item_id, "quantity": 5}, format="json"),
        400,
    )
    assert error["detail"]
    assert CartItem.objects.get(pk=item_id).quantity == 1


def test_another_users_line_is_unknown_and_stays_as_it_was(
    buyer, jwt_client, other_customer, phone
):
    theirs = jwt_client(other_customer)
    item_id = assert_json(add(theirs, phone, 2), 201)["cart_item"]["id"]
    calls = [
        buyer.patch(f"/cart/item/{item_id}/update_quantity/", {"quantity": 5}, format="json"),
        buyer.put(f"/cart/item/{item_id}/", {"quantity": 5}, format="json"),
        buyer.patch(f"/cart/items/{item_id}/set-checked/", {"checked": False}, format="json"),
        buyer.delete(f"/cart/item/{item_id}/remove/"),
    ]
    for response in calls:
        error = assert_json(response, 404)
        assert error == {"detail": "This item is not in your cart.", "code": "cart_item_unknown"}
    body = assert_json(
        buyer.patch("/cart/item/batch_update/", [{"id": item_id, "quantity": 1}], format="json"),
        200,
    )
    assert body["errors"] == [{"id": item_id, "error": "This item is not in your cart."}]
    assert_json(buyer.delete("/cart/item/remove_all/"), 200)
    item = CartItem.objects.get(pk=item_id)
    assert (item.user_id, item.quantity, item.checked) == (other_customer.pk, 2, True)
    assert assert_json(buyer.get("/cart/"), 200)["items"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/cart/"),
        ("post", "/cart/add"),
        ("post", "/cart/merge"),
        ("patch", "/cart/item/1/update_quantity/"),
        ("put", "/cart/item/1/"),
        ("patch", "/cart/items/1/set-checked/"),
        ("delete", "/cart/item/1/remove/"),
        ("delete", "/cart/item/remove_all/"),
        ("patch", "/cart/item/batch_update/"),
    ],
)
def test_anonymous_is_401_json(api_client, method, path):
    response = getattr(api_client, method)(path, {}, format="json")
    assert assert_json(response, 401)["detail"]


def test_prices_follow_the_pricing_rule(buyer, customer, shirt, shirt_l):
    shirt_l.price_override = Decimal("50.00")
    shirt_l.save(update_fields=["price_override"])
    assert_json(add(buyer, shirt, 2, shirt_l), 201)
    line = assert_json(buyer.get("/cart/"), 200)["items"][0]
    # 50.00 less 25 % = 37.50 a unit.
    assert (line["unit_price"], line["subtotal"]) == (37.5, 75.0)


def test_a_cart_is_bounded(buyer, customer, phone, shirt, shirt_m, shirt_l, monkeypatch):
    from shopping.services import cart as cart_services

    monkeypatch.setattr(cart_services, "MAX_LINES", 2)
    assert_json(add(buyer, phone, 1), 201)
    assert_json(add(buyer, shirt, 1, shirt_m), 201)
    error = assert_json(add(buyer, shirt, 1, shirt_l), 400)
    assert error["code"] == "cart_too_large"
    assert_json(add(buyer, phone, 1), 200)  # a line already there still grows
    assert CartItem.objects.filter(user=customer).count() == 2
    too_many = [{"id": 1, "quantity": 1}] * 3
    assert_json(buyer.patch("/cart/item/batch_update/", too_many, format="json"), 400)


def test_put_onto_a_variation_already_in_the_cart_joins_it(
    buyer, customer, shirt, shirt_m, shirt_l
):
    m_id = assert_json(add(buyer, shirt, 1, shirt_m), 201)["cart_item"]["id"]
    l_id = assert_json(add(buyer, shirt, 1, shirt_l), 201)["cart_item"]["id"]
    body = assert_json(
        buyer.put(f"/cart/item/{m_id}/", {"quantity": 1, "variation": shirt_l.pk}, "json"), 200
    )
    assert body["detail"] == "Merged with the same item already in your cart."
    assert (body["cart_item"]["id"], body["cart_item"]["quantity"]) == (l_id, 2)
    assert list(CartItem.objects.values_list("pk", "variation_id", "quantity")) == [
        (l_id, shirt_l.pk, 2)
    ]


def test_a_withdrawn_products_line_cannot_change_but_can_go(buyer, customer, phone):
    item_id = assert_json(add(buyer, phone, 1), 201)["cart_item"]["id"]
    Product.objects.filter(pk=phone.pk).update(is_active=False)
    error = assert_json(
        buyer.patch(f"/cart/item/{item_id}/update_quantity/", {"quantity": 2}, format="json"),
        409,
    )
    assert error == {
        "detail": "This product is no longer available: remove it from your cart.",
        "code": "product_withdrawn",
    }
    assert CartItem.objects.get(pk=item_id).quantity == 1
    assert_json(buyer.delete(f"/cart/item/{item_id}/remove/"), 200)
    assert not CartItem.objects.exists()
