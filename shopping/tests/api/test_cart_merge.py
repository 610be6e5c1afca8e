"""``POST /cart/merge``, the guest cart merged at sign-in (docs/api.md#cart): every line that can
be kept is kept and reported on its own; a line without its size or colour waits in the cart,
unticked and flagged, until one is chosen; checkout takes the ticked lines and leaves it."""

import pytest

from catalog.models import Variation
from orders.models import Order
from shopping.models import CartItem
from shopping.services import shipping_address_create
from shopping.tests.helpers import assert_json, cart_body

pytestmark = pytest.mark.django_db

WAITING = "Choose a size or colour for this product."


def snapshot(user) -> list[tuple]:
    return list(
        CartItem.objects.filter(user=user)
        .order_by("pk")
        .values_list("pk", "variation_id", "quantity", "checked")
    )


def test_the_merge_keeps_every_item_it_can_and_reports_each_line(
    buyer, customer, phone, shirt, shirt_l
):
    lost = "00000000-0000-0000-0000-000000000000"
    body = assert_json(
        buyer.post(
            "/cart/merge",
            [
                cart_body(phone, 2),
                cart_body(shirt, 1),  # no size chosen as a guest
                cart_body(shirt, 5, shirt_l),  # only 2 left
                {"product_id": lost, "quantity": 1},
                cart_body(shirt, 2, 999999),  # a size no longer sold
            ],
            format="json",
        ),
        200,
    )
    assert set(body) == {"detail", "message", "results", "cart"}
    assert body["detail"] == "4 of 5 items merged into your cart."
    phone_id, waiting_id, large_id = (item.pk for item in CartItem.objects.order_by("pk"))
    results = body["results"]
    assert results[0] == {
        "index": 0, "product_id": str(phone.pk), "variation": None, "status": "added",
        "cart_item": phone_id, "quantity": 2, "code": None, "detail": None,
    }
    assert results[1] == {
        "index": 1, "product_id": str(shirt.pk), "variation": None, "status": "added",
        "cart_item": waiting_id, "quantity": 1, "code": "variation_required",
        "detail": "Choose a size or colour for “Shirt”: it waits in your cart, unticked.",
    }
    assert (results[2]["status"], results[2]["code"], results[2]["quantity"]) == (
        "added", "insufficient_stock", 2
    )
    assert results[2]["detail"] == "Only 2 of “Shirt / L” left in stock: your cart has 2."
    assert (results[3]["status"], results[3]["code"], results[3]["cart_item"]) == (
        "skipped", "product_unavailable", None
    )
    # The unknown size joins the line that waits for one.
    assert (results[4]["status"], results[4]["code"], results[4]["cart_item"]) == (
        "merged", "variation_unknown", waiting_id
    )
    assert results[4]["quantity"] == 3

    # The answer's cart is GET /cart/'s.
    assert body["cart"] == assert_json(buyer.get("/cart/"), 200)
    phone_line, waiting, large = body["cart"]["items"]
    assert (phone_line["available"], phone_line["checked"]) == (True, True)
    assert waiting["id"] == waiting_id
    assert (waiting["variation"], waiting["quantity"], waiting["checked"]) == (None, 3, False)
    assert (waiting["available"], waiting["issue"]) == (False, WAITING)
    assert (large["variation"]["id"], large["quantity"], large["available"]) == (
        shirt_l.pk, 2, True
    )
    assert body["cart"]["checked_total"] == 260.0  # 2 x 100 + 2 x 30: the waiting line left out


def test_the_merge_takes_an_items_envelope_and_adds_to_what_is_there(
    buyer, customer, phone
):
    assert_json(buyer.post("/cart/add", cart_body(phone, 1), format="json"), 201)
    body = assert_json(
        buyer.post("/cart/merge/", {"items": [cart_body(phone, 2)]}, format="json"), 200
    )
    assert body["results"][0]["status"] == "merged"
    assert body["cart"]["total_items"] == 3


@pytest.mark.parametrize(
    "sent",
    [
        {"product_id": "PHONE", "quantity": 1},  # one line, not a cart
        {"items": "PHONE"},
        "PHONE",
    ],
)
def test_only_a_body_that_is_not_a_cart_is_refused(buyer, customer, phone, sent):
    assert_json(buyer.post("/cart/add", cart_body(phone, 1), format="json"), 201)
    before = snapshot(customer)
    error = assert_json(buyer.post("/cart/merge", sent, format="json"), 400)
    assert error["detail"].startswith("Send the guest cart as a JSON array")
    assert snapshot(customer) == before


def test_too_many_lines_at_once_are_refused_whole(buyer, customer, phone, monkeypatch):
    from shopping.services import guest_cart

    monkeypatch.setattr(guest_cart, "MAX_GUEST_LINES", 2)
    error = assert_json(buyer.post("/cart/merge", [cart_body(phone)] * 3, format="json"), 400)
    assert error["code"] == "cart_too_large"
    assert snapshot(customer) == []
    assert assert_json(buyer.post("/cart/merge", [], format="json"), 200)["results"] == []


def test_adding_one_item_without_its_size_keeps_it_waiting(buyer, customer, shirt):
    """The storefront's login merge sends each guest line to ``/cart/add`` as the guest left
    it: a line without its size is kept (unticked, flagged), never refused."""
    body = assert_json(buyer.post("/cart/add", cart_body(shirt, 1), format="json"), 201)
    assert body["detail"] == "Added to cart: choose a size or colour before checking out."
    body = assert_json(buyer.post("/cart/add", cart_body(shirt, 2), format="json"), 200)
    [line] = assert_json(buyer.get("/cart/"), 200)["items"]
    assert (line["quantity"], line["checked"], line["available"], line["variation"]) == (
        3, False, False, None
    )
    assert line["issue"] == "Choose a size or colour for this product."
    assert [row[1:] for row in snapshot(customer)] == [(None, 3, False)]


def _waiting_line(buyer, shirt, quantity=1) -> int:
    body = assert_json(buyer.post("/cart/merge", [cart_body(shirt, quantity)], format="json"), 200)
    return body["results"][0]["cart_item"]


def test_a_waiting_line_cannot_be_ticked(buyer, customer, shirt):
    item_id = _waiting_line(buyer, shirt)
    before = snapshot(customer)
    error = assert_json(
        buyer.patch(f"/cart/items/{item_id}/set-checked/", {"checked": True}, format="json"),
        400,
    )
    assert error["code"] == "variation_required"
    assert error["detail"] == "Choose a size or colour for “Shirt” before ticking it."
    assert snapshot(customer) == before
    # Unticking (the storefront's "select none") and changing its quantity work.
    assert assert_json(
        buyer.patch(f"/cart/items/{item_id}/set-checked/", {"checked": False}, format="json"),
        200,
    ) == {"checked": False, "item_id": item_id}
    body = assert_json(
        buyer.patch(f"/cart/item/{item_id}/update_quantity/", {"quantity": 4}, format="json"),
        200,
    )
    assert (body["cart_item"]["quantity"], body["cart_item"]["issue"]) == (4, WAITING)


def test_choosing_a_size_fixes_the_line_and_ticks_it(buyer, customer, shirt, shirt_m):
    item_id = _waiting_line(buyer, shirt, 2)
    body = assert_json(
        buyer.put(f"/cart/item/{item_id}/", {"quantity": 2, "variation": shirt_m.pk}, "json"),
        200,
    )
    assert body["detail"] == "Cart item updated."
    line_body = body["cart_item"]
    assert (line_body["id"], line_body["variation"]["id"], line_body["quantity"]) == (
        item_id, shirt_m.pk, 2
    )
    assert (line_body["available"], line_body["issue"], line_body["checked"]) == (
        True, None, True
    )


def test_choosing_a_size_already_in_the_cart_joins_it_up_to_the_stock(
    buyer, customer, shirt, shirt_l
):
    l_id = assert_json(buyer.post("/cart/add", cart_body(shirt, 1, shirt_l), format="json"), 201)[
        "cart_item"
    ]["id"]
    item_id = _waiting_line(buyer, shirt, 3)
    body = assert_json(
        buyer.put(f"/cart/item/{item_id}/", {"quantity": 3, "variation": shirt_l.pk}, "json"),
        200,
    )
    assert body["detail"] == (
        "Merged with the same item already in your cart. Only 2 left in stock: your cart has 2."
    )
    assert (body["cart_item"]["id"], body["cart_item"]["quantity"]) == (l_id, 2)
    assert snapshot(customer) == [(l_id, shirt_l.pk, 2, True)]


def test_choosing_a_size_out_of_stock_is_refused(buyer, customer, shirt, shirt_l):
    assert_json(buyer.post("/cart/add", cart_body(shirt, 1, shirt_l), format="json"), 201)
    item_id = _waiting_line(buyer, shirt, 1)
    Variation.objects.filter(pk=shirt_l.pk).update(stock=0)
    before = snapshot(customer)
    error = assert_json(
        buyer.put(f"/cart/item/{item_id}/", {"quantity": 1, "variation": shirt_l.pk}, "json"),
        409,
    )
    assert error["code"] == "insufficient_stock"
    assert snapshot(customer) == before


def test_checkout_takes_the_ticked_lines_and_leaves_the_waiting_one(
    buyer, customer, phone, shirt
):
    shipping_address_create(
        user=customer, full_name="Ama Mensah", phone="+233201234567",
        address="12 Oxford Street", city="Accra", state="", country="GH", postal_code="",
    )
    body = assert_json(
        buyer.post("/cart/merge", [cart_body(phone, 1), cart_body(shirt, 2)], format="json"), 200
    )
    waiting_id = body["results"][1]["cart_item"]

    review = assert_json(buyer.get("/checkout/review/"), 200)
    assert [item["product_name"] for item in review["items"]] == ["Phone"]
    placed = assert_json(buyer.post("/checkout/", {}, format="json"), 201)
    order = Order.objects.get(pk=placed["order_ids"][0])
    assert [(i.product_id, i.quantity) for i in order.items.all()] == [(phone.pk, 1)]
    assert snapshot(customer) == [(waiting_id, None, 2, False)]
