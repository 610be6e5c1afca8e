"""The guest cart merged at sign-in (``cart_merge``): every line that can be kept is kept, each
line is reported on its own, and one bad line never refuses the others."""

import pytest

from catalog.models import ApprovalStatus, Product, Variation
from shopping.errors import ShoppingError, ShoppingErrorCode
from shopping.models import CartItem
from shopping.selectors import cart_of
from shopping.services import MergeStatus, cart_item_add, cart_merge
from shopping.tests.helpers import cart_body

pytestmark = pytest.mark.django_db


def lines_of(user) -> list[tuple]:
    return list(
        CartItem.objects.filter(user=user)
        .order_by("pk")
        .values_list("product_id", "variation_id", "quantity", "checked")
    )


def test_a_line_without_its_size_is_kept_unticked_and_flagged(customer, phone, shirt):
    results = cart_merge(user=customer, lines=[cart_body(phone, 2), cart_body(shirt, 3)])

    assert [r.status for r in results] == [MergeStatus.ADDED, MergeStatus.ADDED]
    assert (results[0].code, results[0].message) == (None, "")
    assert results[1].code == ShoppingErrorCode.VARIATION_REQUIRED
    assert "Choose a size or colour for “Shirt”" in results[1].message
    assert lines_of(customer) == [(phone.pk, None, 2, True), (shirt.pk, None, 3, False)]
    phone_line, shirt_line = cart_of(user=customer).lines
    assert phone_line.available
    assert not shirt_line.available
    assert shirt_line.issue.code == ShoppingErrorCode.VARIATION_REQUIRED
    assert shirt_line.issue.message == "Choose a size or colour for this product."


def test_lines_without_a_size_of_one_product_join_one_line(customer, shirt):
    results = cart_merge(user=customer, lines=[cart_body(shirt, 1), cart_body(shirt, 2)])
    assert [r.status for r in results] == [MergeStatus.ADDED, MergeStatus.MERGED]
    assert results[0].item.pk == results[1].item.pk
    assert lines_of(customer) == [(shirt.pk, None, 3, False)]


def test_an_unknown_variation_is_kept_without_one(customer, phone, shirt):
    results = cart_merge(
        user=customer, lines=[cart_body(shirt, 1, 999999), cart_body(phone, 1, 999999)]
    )

    shirt_result, phone_result = results
    assert shirt_result.status == MergeStatus.ADDED
    assert shirt_result.code == ShoppingErrorCode.VARIATION_UNKNOWN
    assert "not sold any more" in shirt_result.message
    # A product sold in one form: the stray variation id is ignored, the line is buyable.
    assert phone_result.status == MergeStatus.ADDED
    assert phone_result.code == ShoppingErrorCode.VARIATION_UNKNOWN
    assert "comes in one form" in phone_result.message
    assert lines_of(customer) == [(shirt.pk, None, 1, False), (phone.pk, None, 1, True)]


def test_another_products_variation_is_unknown(customer, phone, shirt_m):
    (result,) = cart_merge(user=customer, lines=[cart_body(phone, 1, shirt_m)])
    assert result.code == ShoppingErrorCode.VARIATION_UNKNOWN
    assert lines_of(customer) == [(phone.pk, None, 1, True)]


def test_a_quantity_over_the_stock_is_lowered_to_it(customer, shirt, shirt_l):
    (result,) = cart_merge(user=customer, lines=[cart_body(shirt, 5, shirt_l)])
    assert result.status == MergeStatus.ADDED
    assert result.code == ShoppingErrorCode.INSUFFICIENT_STOCK
    assert result.message == "Only 2 of “Shirt / L” left in stock: your cart has 2."
    assert lines_of(customer) == [(shirt.pk, shirt_l.pk, 2, True)]


def test_joining_a_line_already_there_is_capped_by_the_stock(customer, shirt, shirt_m):
    cart_item_add(user=customer, product_id=shirt.pk, quantity=3, variation_id=shirt_m.pk)
    (result,) = cart_merge(user=customer, lines=[cart_body(shirt, 4, shirt_m)])
    assert result.status == MergeStatus.MERGED
    assert result.code == ShoppingErrorCode.INSUFFICIENT_STOCK
    assert lines_of(customer) == [(shirt.pk, shirt_m.pk, 5, True)]


def test_a_line_already_there_is_never_lowered(customer, shirt, shirt_m, staff_user):
    item, _ = cart_item_add(user=customer, product_id=shirt.pk, quantity=4, variation_id=shirt_m.pk)
    CartItem.objects.filter(pk=item.pk).update(checked=False)
    Variation.objects.filter(pk=shirt_m.pk).update(stock=1)  # sold meanwhile
    (result,) = cart_merge(user=customer, lines=[cart_body(shirt, 1, shirt_m)])
    assert result.status == MergeStatus.MERGED
    assert result.message == "Only 1 of “Shirt / M” left in stock: your cart keeps 4."
    assert lines_of(customer) == [(shirt.pk, shirt_m.pk, 4, False)]  # as it was


def test_an_item_out_of_stock_is_kept_unticked(customer, shirt, shirt_l):
    Variation.objects.filter(pk=shirt_l.pk).update(stock=0)
    (result,) = cart_merge(user=customer, lines=[cart_body(shirt, 2, shirt_l)])
    assert result.status == MergeStatus.ADDED
    assert result.message == "“Shirt / L” is out of stock: it waits in your cart, unticked."
    assert lines_of(customer) == [(shirt.pk, shirt_l.pk, 2, False)]
    assert cart_of(user=customer).lines[0].issue.message == "Out of stock."


def test_adds_to_the_lines_already_in_the_cart(customer, phone, shirt, shirt_m):
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    guest = [cart_body(phone, 3), cart_body(shirt, 1, shirt_m), cart_body(shirt, 1, shirt_m)]
    results = cart_merge(user=customer, lines=guest)
    assert [r.status for r in results] == [
        MergeStatus.MERGED, MergeStatus.ADDED, MergeStatus.MERGED
    ]
    assert all(r.code is None for r in results)
    assert lines_of(customer) == [(phone.pk, None, 5, True), (shirt.pk, shirt_m.pk, 2, True)]


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ({"product_id": "not-a-uuid", "quantity": 1}, ShoppingErrorCode.PRODUCT_UNAVAILABLE),
        ({"quantity": 1}, ShoppingErrorCode.PRODUCT_UNAVAILABLE),
        ("junk", ShoppingErrorCode.PRODUCT_UNAVAILABLE),
        ({"product_id": "PHONE", "quantity": 0}, ShoppingErrorCode.INVALID_QUANTITY),
        ({"product_id": "PHONE", "quantity": "many"}, ShoppingErrorCode.INVALID_QUANTITY),
        ({"product_id": "PHONE", "quantity": 1.5}, ShoppingErrorCode.INVALID_QUANTITY),
        ({"product_id": "PHONE", "quantity": True}, ShoppingErrorCode.INVALID_QUANTITY),
    ],
)
def test_a_line_that_cannot_be_kept_is_skipped_and_the_others_merge(
    customer, phone, shirt, shirt_m, sent, code
):
    if isinstance(sent, dict) and sent.get("product_id") == "PHONE":
        sent = {**sent, "product_id": str(phone.pk)}
    results = cart_merge(user=customer, lines=[sent, cart_body(shirt, 1, shirt_m)])
    assert results[0].status == MergeStatus.SKIPPED
    assert (results[0].item, results[0].code) == (None, code)
    assert results[0].message
    assert results[1].status == MergeStatus.ADDED
    assert lines_of(customer) == [(shirt.pk, shirt_m.pk, 1, True)]


def test_a_product_no_longer_public_is_skipped(customer, phone, shirt, shirt_m):
    Product.objects.filter(pk=phone.pk).update(approval_status=ApprovalStatus.PENDING)
    results = cart_merge(user=customer, lines=[cart_body(phone, 1), cart_body(shirt, 1, shirt_m)])
    assert [r.status for r in results] == [MergeStatus.SKIPPED, MergeStatus.ADDED]
    assert results[0].code == ShoppingErrorCode.PRODUCT_UNAVAILABLE
    assert lines_of(customer) == [(shirt.pk, shirt_m.pk, 1, True)]


def test_quantities_as_text_and_objects_as_ids_are_read(customer, phone, shirt, shirt_m):
    results = cart_merge(
        user=customer,
        lines=[
            {"product": {"id": str(phone.pk)}, "quantity": "2"},
            {"product_id": str(shirt.pk), "variation_id": {"id": shirt_m.pk}},  # quantity 1
        ],
    )
    assert all(r.code is None for r in results)
    assert lines_of(customer) == [(phone.pk, None, 2, True), (shirt.pk, shirt_m.pk, 1, True)]


def test_a_full_cart_skips_new_lines_but_grows_its_own(
    customer, phone, shirt, shirt_m, shirt_l, monkeypatch
):
    from shopping.services import guest_cart

    monkeypatch.setattr(guest_cart, "MAX_LINES", 2)
    monkeypatch.setattr(guest_cart, "MAX_GUEST_LINES", 3)
    cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    results = cart_merge(
        user=customer,
        lines=[cart_body(shirt, 1, shirt_m), cart_body(shirt, 1, shirt_l), cart_body(phone, 1)],
    )
    assert [r.status for r in results] == [
        MergeStatus.ADDED, MergeStatus.SKIPPED, MergeStatus.MERGED
    ]
    assert results[1].code == ShoppingErrorCode.CART_TOO_LARGE
    assert lines_of(customer) == [(phone.pk, None, 2, True), (shirt.pk, shirt_m.pk, 1, True)]
    with pytest.raises(ShoppingError) as refused:
        cart_merge(user=customer, lines=[cart_body(phone)] * 4)
    assert refused.value.code == ShoppingErrorCode.CART_TOO_LARGE
    assert lines_of(customer) == [(phone.pk, None, 2, True), (shirt.pk, shirt_m.pk, 1, True)]


def test_a_quantity_over_the_cap_is_lowered_to_it(customer, phone, shirt, monkeypatch):
    from shopping.services import guest_cart

    monkeypatch.setattr(guest_cart, "MAX_QUANTITY", 4)
    results = cart_merge(user=customer, lines=[cart_body(phone, 9), cart_body(shirt, 9)])
    assert results[0].code == ShoppingErrorCode.INVALID_QUANTITY
    assert results[0].message == "At most 4 of one item: your cart has 4."
    assert results[1].code == ShoppingErrorCode.VARIATION_REQUIRED
    assert results[1].message.endswith("At most 4 of one item: your cart has 4.")
    assert lines_of(customer) == [(phone.pk, None, 4, True), (shirt.pk, None, 4, False)]


def test_a_line_made_meanwhile_is_merged_into(customer, phone, monkeypatch):
    """An add racing the merge inserts the line after the merge read the cart: the merge's
    insert hits the unique constraint and adds to that line instead."""
    from shopping.services import guest_cart

    CartItem.objects.create(user=customer, product=phone, quantity=2)  # the rival's line
    monkeypatch.setattr(guest_cart, "_cart_lines", lambda user: {})  # read before it
    (result,) = cart_merge(user=customer, lines=[cart_body(phone, 3)])
    assert result.status == MergeStatus.MERGED
    assert result.item.quantity == 5
    assert lines_of(customer) == [(phone.pk, None, 5, True)]


def test_only_the_users_own_cart_changes(customer, other_customer, phone):
    theirs, _ = cart_item_add(user=other_customer, product_id=phone.pk, quantity=1)
    cart_merge(user=customer, lines=[cart_body(phone, 2)])
    assert lines_of(other_customer) == [(phone.pk, None, 1, True)]
    assert lines_of(customer) == [(phone.pk, None, 2, True)]
