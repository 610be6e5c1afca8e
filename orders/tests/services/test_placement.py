"""Placing an order: stock taken or nothing, prices captured, each refusal; orders outlive
what they bought."""

from decimal import Decimal

import pytest

from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.pricing import unit_price
from catalog.services import product_update, variation_create
from catalog.services.stock import (
    InsufficientStockError,
    StockLine,
    stock_return_many,
    stock_take_many,
)
from notifications.models import Notification
from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderItem
from orders.services import (
    OrderLineRequest,
)
from orders.tests.helpers import assert_ledger_agrees, line, place, public_product, stock_of

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything placement may write: compared before and after a refused order."""
    return {
        "orders": Order.objects.count(),
        "items": OrderItem.objects.count(),
        "stock": sorted(Variation.objects.values_list("pk", "stock")),
        "inventory": sorted(Product.objects.values_list("name", "inventory")),
        "ledger": StockMovement.objects.count(),
        "notifications": Notification.objects.count(),
    }


def refused(buyer, *lines, payment_method="CASH") -> OrderError:
    before = snapshot()
    with pytest.raises(OrderError) as caught:
        place(buyer, *lines, payment_method=payment_method)
    assert snapshot() == before, "a refused order changed the database"
    return caught.value


# --- Placement -------------------------------------------------------------------------------


def test_place_takes_stock_captures_prices_and_records_the_ledger(
    customer, manufacturer_a, phone, shirt, shirt_m
):
    order = place(
        customer,
        line(phone, 2),
        line(shirt, 3, shirt_m),
        payment_method="MOBILE",
        shipping_address="12 Ring Road, Accra",
    )

    assert order.number.startswith("MT-") and len(order.number) == 14
    assert (order.status, order.payment_method, order.buyer) == ("pending", "MOBILE", customer)
    # 2 x 100.00 + 3 x 40.00 = 320.00; 25% off the shirts takes 3 x 10.00.
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("320.00"),
        Decimal("30.00"),
        Decimal("290.00"),
    )
    assert order.shipping_address == "12 Ring Road, Accra"
    items = list(order.items.order_by("pk"))
    assert [
        (
            i.product_name,
            i.variation_label,
            i.quantity,
            i.unit_price,
            i.discount_percent,
            i.unit_discount,
            i.line_total,
            i.manufacturer_id,
        )
        for i in items
    ] == [
        ("Phone", "", 2, Decimal("100.00"), Decimal("0.00"), Decimal("0.00"), Decimal("200.00"),
         phone.manufacturer_id),
        ("Shirt", "M", 3, Decimal("40.00"), Decimal("25.00"), Decimal("10.00"), Decimal("90.00"),
         shirt.manufacturer_id),
    ]
    assert stock_of(phone.variations.get()) == 8
    assert stock_of(shirt_m) == 2
    movements = StockMovement.objects.filter(reason=StockReason.ORDER).order_by("variation_id")
    assert [(m.variation_id, m.delta, m.stock_after, m.actor, m.note) for m in movements] == [
        (phone.variations.get().pk, -2, 8, customer, f"Order {order.number}"),
        (shirt_m.pk, -3, 2, customer, f"Order {order.number}"),
    ]
    assert_ledger_agrees(phone, shirt)


def test_prices_stay_as_bought_when_the_product_changes(customer, manufacturer_a, phone):
    order = place(customer, line(phone))

    product_update(product=phone, actor=manufacturer_a, price=Decimal("999.00"), name="Renamed")

    item = order.items.get()
    assert (item.product_name, item.unit_price, item.line_total) == (
        "Phone",
        Decimal("100.00"),
        Decimal("100.00"),
    )


def test_price_override_of_the_variation_is_discounted_too(staff_user, manufacturer_a):
    product = public_product(
        manufacturer_a,
        approver=staff_user,
        price="10.00",
        discount_percent="12.5",
        variations=[{"size": "XL", "stock": 3, "price_override": Decimal("19.99")}],
    )
    variation = product.variations.get()

    item = place(staff_user, line(product, 1, variation)).items.get()

    # 19.99 x 0.875 = 17.49125 -> 17.49 paid, 2.50 off.
    assert (item.unit_price, item.unit_discount) == (Decimal("19.99"), Decimal("2.50"))


@pytest.mark.parametrize(
    ("override", "percent", "paid", "off"),
    [
        ("0.99", "50", "0.50", "0.49"),  # 0.495: the half cent rounds up
        ("10.05", "10", "9.05", "1.00"),  # 9.045 -> 9.05
    ],
)
def test_order_line_captures_the_catalogue_pricing_rule(
    customer, staff_user, manufacturer_a, override, percent, paid, off
):
    """An order line's unit price and discount are ``catalog.pricing.unit_price``'s, for a
    variation's price override and a discount that lands on half a cent."""
    product = public_product(
        manufacturer_a,
        approver=staff_user,
        price="3.00",
        discount_percent=percent,
        variations=[{"size": "S", "stock": 4, "price_override": Decimal(override)}],
    )
    variation = product.variations.get()
    priced = unit_price(product=product, variation=variation)

    item = place(customer, line(product, 2, variation)).items.get()

    captured = (item.unit_price, item.discount_percent, item.unit_discount, item.unit_price_paid)
    assert captured == (priced.price, priced.discount_percent, priced.discount, priced.paid)
    assert captured == (Decimal(override), Decimal(percent), Decimal(off), Decimal(paid))
    assert item.line_total == priced.paid * 2


def test_shipping_contact_defaults_to_the_buyer(make_user, phone):
    buyer = make_user(
        "ama@martaf.test", is_customer=True, first_name="Ama", last_name="Owusu"
    )
    buyer.phone = "+233201234567"
    buyer.save(update_fields=["phone"])

    order = place(buyer, line(phone))

    assert (order.shipping_name, order.shipping_phone) == ("Ama Owusu", "+233201234567")


def test_order_numbers_are_unique(customer, phone):
    numbers = {place(customer, line(phone)).number for _ in range(5)}
    assert len(numbers) == 5


def test_buyer_and_each_manufacturer_are_told(
    customer, manufacturer_a, manufacturer_b, phone, shirt, shirt_l
):
    order = place(customer, line(phone), line(shirt, 2, shirt_l))

    placed = Notification.objects.filter(event="order_placed").order_by("user__email")
    assert [(n.user, n.title, n.body, n.link) for n in placed] == [
        (
            customer,
            f"Order {order.number} placed",
            f"Order {order.number} has been placed. Total: ₦160.00.",
            f"/orders/{order.pk}",
        ),
        (
            manufacturer_a,
            f"New order {order.number}",
            f"Order {order.number} includes 1 unit(s) of your products. Your total: ₦100.00.",
            f"/admin/orders/order/{order.pk}/change/",
        ),
        (
            manufacturer_b,
            f"New order {order.number}",
            f"Order {order.number} includes 2 unit(s) of your products. Your total: ₦60.00.",
            f"/admin/orders/order/{order.pk}/change/",
        ),
    ]


def test_a_product_with_sizes_needs_a_variation(customer, phone, shirt):
    error = refused(customer, line(phone), line(shirt, 1))

    assert error.code == OrderErrorCode.VARIATION_REQUIRED
    m, l_ = shirt.variations.get(size="M"), shirt.variations.get(size="L")
    assert error.message == (
        f"products[1]: “Shirt” comes in several sizes or colours: choose a variation "
        f"({m.pk} (M), {l_.pk} (L))."
    )
    assert error.lines == [
        {
            "index": 1,
            "product": str(shirt.pk),
            "variation": None,
            "code": "variation_required",
            "message": error.message,
        }
    ]


def test_a_product_with_one_sized_variation_still_needs_it(customer, staff_user, manufacturer_a):
    product = public_product(manufacturer_a, approver=staff_user, variations=[{"size": "One"}])

    error = refused(customer, line(product))

    assert error.code == OrderErrorCode.VARIATION_REQUIRED


def test_the_blank_variation_may_also_be_named(customer, phone):
    order = place(customer, line(phone, 1, phone.variations.get()))
    assert order.items.get().variation == phone.variations.get()


def test_a_variation_of_another_product_is_refused(customer, phone, shirt_m):
    error = refused(customer, OrderLineRequest(product_id=phone.pk, quantity=1,
                                               variation_id=shirt_m.pk))

    assert error.code == OrderErrorCode.VARIATION_UNKNOWN
    assert error.message == f"products[0]: variation {shirt_m.pk} is not a variation of “Phone”."


@pytest.mark.parametrize(
    "change",
    [
        {"approval_status": "pending"},
        {"approval_status": "draft"},
        {"approval_status": "rejected"},
        {"is_active": False},
    ],
)
def test_only_public_products_can_be_ordered(customer, phone, change):
    Product.objects.filter(pk=phone.pk).update(**change)

    error = refused(customer, line(phone))

    assert error.code == OrderErrorCode.PRODUCT_UNAVAILABLE
    assert error.message == f"products[0]: product {phone.pk} is not available."


def test_a_product_in_an_inactive_category_cannot_be_ordered(customer, phone):
    type(phone.category).objects.filter(pk=phone.category_id).update(is_active=False)

    assert refused(customer, line(phone)).code == OrderErrorCode.PRODUCT_UNAVAILABLE


def test_an_unknown_product_is_refused(customer, phone):
    error = refused(
        customer,
        line(phone),
        OrderLineRequest(product_id="00000000-0000-0000-0000-000000000000", quantity=1),
    )
    assert error.code == OrderErrorCode.PRODUCT_UNAVAILABLE
    assert [ref["index"] for ref in error.lines] == [1]


def test_every_bad_line_is_named_at_once(customer, phone, shirt, shirt_m):
    error = refused(
        customer,
        line(shirt),  # needs a variation
        line(phone, 0),  # bad quantity
        line(shirt, 1, shirt_m),
        line(shirt, 2, shirt_m),  # duplicate of line 2
    )

    assert [(ref["index"], ref["code"]) for ref in error.lines] == [
        (0, "variation_required"),
        (1, "invalid_quantity"),
        (3, "duplicate_line"),
    ]
    assert error.message.startswith("3 lines cannot be ordered: products[0]:")


def test_an_empty_order_is_refused(customer, phone):
    assert refused(customer).code == OrderErrorCode.EMPTY_ORDER


def test_an_unknown_payment_method_is_refused(customer, phone):
    error = refused(customer, line(phone), payment_method="BITCOIN")
    assert error.code == OrderErrorCode.INVALID_PAYMENT_METHOD


def test_short_lines_fail_the_whole_order_and_are_all_named(
    customer, phone, shirt, shirt_m, shirt_l
):
    # Phone has 10, shirt M 5, shirt L 2: the phone line would fit, the two shirt lines do not.
    error = refused(customer, line(phone, 3), line(shirt, 6, shirt_m), line(shirt, 3, shirt_l))

    assert error.code == OrderErrorCode.INSUFFICIENT_STOCK
    assert error.lines == [
        {
            "index": 1,
            "product": str(shirt.pk),
            "variation": shirt_m.pk,
            "product_name": "Shirt",
            "variation_label": "M",
            "requested": 6,
            "available": 5,
        },
        {
            "index": 2,
            "product": str(shirt.pk),
            "variation": shirt_l.pk,
            "product_name": "Shirt",
            "variation_label": "L",
            "requested": 3,
            "available": 2,
        },
    ]
    assert error.message == (
        "Not enough stock for Shirt / M: 6 requested, 5 available; "
        "Shirt / L: 3 requested, 2 available. Nothing was ordered."
    )
    assert_ledger_agrees(phone, shirt)


def test_exactly_the_last_units_can_be_ordered(customer, other_customer, shirt, shirt_l):
    place(customer, line(shirt, 2, shirt_l))

    error = refused(other_customer, line(shirt, 1, shirt_l))

    assert error.lines[0]["available"] == 0
    assert stock_of(shirt_l) == 0
    assert_ledger_agrees(shirt)


def test_low_stock_alert_is_sent_by_the_order_that_crosses_the_threshold(
    customer, manufacturer_a, phone
):
    place(customer, line(phone, 5))  # 10 -> 5: at the default threshold of 5

    alert = Notification.objects.get(event="low_stock")
    assert (alert.user, alert.title) == (manufacturer_a, "Low stock: Phone")


# --- The multi-line stock service ------------------------------------------------------------


def test_stock_take_many_adds_up_lines_of_one_variation_and_goes_in_pk_order(
    customer, shirt, shirt_m, shirt_l
):
    movements = stock_take_many(
        lines=[StockLine(shirt_l.pk, 1), StockLine(shirt_m.pk, 2), StockLine(shirt_l.pk, 1)],
        reason=StockReason.ORDER,
        actor=customer,
        note="test",
    )

    assert [(m.variation_id, m.delta) for m in movements] == sorted(
        [(shirt_m.pk, -2), (shirt_l.pk, -2)]
    )
    assert (stock_of(shirt_m), stock_of(shirt_l)) == (3, 0)


def test_stock_take_many_takes_nothing_when_a_variation_is_gone(customer, shirt, shirt_m):
    with pytest.raises(InsufficientStockError) as caught:
        stock_take_many(
            lines=[StockLine(shirt_m.pk, 1), StockLine(987654, 1)],
            reason=StockReason.ORDER,
            actor=customer,
        )

    assert [(s.variation_id, s.requested, s.available) for s in caught.value.shortages] == [
        (987654, 1, 0)
    ]
    assert stock_of(shirt_m) == 5
    assert_ledger_agrees(shirt)


def test_stock_return_many_skips_deleted_variations(customer, shirt, shirt_m):
    movements = stock_return_many(
        lines=[StockLine(shirt_m.pk, 2), StockLine(987654, 1)],
        reason=StockReason.RETURN,
        actor=customer,
    )

    assert [(m.variation_id, m.delta, m.reason) for m in movements] == [
        (shirt_m.pk, 2, StockReason.RETURN)
    ]
    assert stock_of(shirt_m) == 7


# --- Accounts and catalogue changes ----------------------------------------------------------


def test_orders_outlive_the_buyer_product_and_variation(customer, manufacturer_a, shirt, shirt_m):
    order = place(customer, line(shirt, 1, shirt_m))

    customer.delete()
    shirt.delete()

    order.refresh_from_db()
    item = order.items.get()
    assert (order.buyer, item.product, item.variation) == (None, None, None)
    assert (item.product_name, item.variation_label, item.line_total) == (
        "Shirt",
        "M",
        Decimal("30.00"),
    )


def test_once_the_product_gets_sizes_a_line_must_name_one(customer, manufacturer_a, phone):
    # The stock holder of a product without sizes becomes its first size.
    variation_create(product=phone, actor=manufacturer_a, size="128GB", stock=4)

    assert refused(customer, line(phone)).code == OrderErrorCode.VARIATION_REQUIRED
    order = place(customer, line(phone, 1, phone.variations.get(size="128GB")))
    assert order.total == Decimal("100.00")
