"""Who acts next on an order, over every status × payment × viewer (no database)."""

from datetime import UTC, datetime
from decimal import Decimal
from itertools import product

import pytest

from core.roles import BackofficeRole
from orders.models import (
    Checkout,
    CheckoutPayment,
    CheckoutPaymentStatus,
    Order,
    OrderStatus,
    PaymentMethod,
)
from orders.next_step import Actor, OrderFacts, Payment, next_step, order_facts, order_payment

S, P, A = OrderStatus, Payment, Actor
STAFF, SELLER = BackofficeRole.STAFF, BackofficeRole.MANUFACTURER

# (status, payment) -> ((staff's actor, staff's button), (a seller's actor, a seller's button)),
# the seller having a line left to ship, no cash collected and no refund recorded.
EXPECTED = {
    (S.PENDING, P.AWAITING): ((A.BUYER, None), (A.BUYER, None)),
    (S.PENDING, P.PAID_ONLINE): ((A.STAFF, "change_status"), (A.STAFF, None)),
    (S.PENDING, P.ON_DELIVERY): ((A.STAFF, "change_status"), (A.STAFF, None)),
    (S.PENDING, P.EXPIRED): ((A.STAFF, "change_status"), (A.STAFF, None)),
    (S.PENDING, P.DIRECT): ((A.STAFF, "change_status"), (A.STAFF, None)),
    **{
        (S.PROCESSING, payment): ((A.MANUFACTURER, "change_status"), (A.MANUFACTURER, "ship_lines"))
        for payment in Payment
    },
    (S.SHIPPED, P.AWAITING): ((A.COURIER, "change_status"), (A.COURIER, None)),
    (S.SHIPPED, P.PAID_ONLINE): ((A.COURIER, "change_status"), (A.COURIER, None)),
    (S.SHIPPED, P.ON_DELIVERY): ((A.COURIER, "cash_collected"), (A.COURIER, "cash_collected")),
    (S.SHIPPED, P.EXPIRED): ((A.COURIER, "change_status"), (A.COURIER, None)),
    (S.SHIPPED, P.DIRECT): ((A.COURIER, "change_status"), (A.COURIER, None)),
    **{(S.DELIVERED, payment): ((A.NOBODY, None), (A.NOBODY, None)) for payment in Payment},
    (S.DELIVERED, P.ON_DELIVERY): (
        (A.MANUFACTURER, "cash_collected"),
        (A.MANUFACTURER, "cash_collected"),
    ),
    **{(S.CANCELLED, payment): ((A.NOBODY, None), (A.NOBODY, None)) for payment in Payment},
}


def test_the_table_covers_every_status_and_payment():
    assert set(EXPECTED) == set(product(OrderStatus, Payment))


@pytest.mark.parametrize("status, payment", sorted(EXPECTED))
@pytest.mark.parametrize("viewer", [STAFF, SELLER])
def test_who_acts_next(status, payment, viewer):
    facts = OrderFacts(status=status, payment=payment, lines_left=1)

    step = next_step(facts, viewer)

    staff_expected, seller_expected = EXPECTED[(status, payment)]
    assert (step.actor, step.action) == (staff_expected if viewer == STAFF else seller_expected)
    assert str(step.text).strip()
    assert bool(step.action) == bool(str(step.action_label))
    if viewer == SELLER:  # never a staff-only move
        assert step.action not in ("change_status", "refund")


def test_pending_unpaid_waits_for_the_buyer_to_pay_with_paystack():
    step = next_step(OrderFacts(status=S.PENDING, payment=P.AWAITING), SELLER)
    assert str(step.text) == "Waiting for the buyer to pay (Paystack)."


@pytest.mark.parametrize("payment", list(Payment))
def test_a_seller_whose_lines_are_all_shipped_waits_for_the_others(payment):
    step = next_step(OrderFacts(status=S.PROCESSING, payment=payment, lines_left=0), SELLER)
    assert (step.actor, step.action) == (A.MANUFACTURER, None)
    assert "other sellers" in str(step.text)


def test_staff_see_how_many_lines_are_left_to_ship():
    step = next_step(OrderFacts(status=S.PROCESSING, payment=P.PAID_ONLINE, lines_left=3), STAFF)
    assert "3 lines left to ship" in str(step.text)


@pytest.mark.parametrize("status", [S.SHIPPED, S.DELIVERED])
@pytest.mark.parametrize("viewer", [STAFF, SELLER])
def test_cash_once_collected_is_not_asked_again(status, viewer):
    facts = OrderFacts(status=status, payment=P.ON_DELIVERY, cash_collected=True)
    step = next_step(facts, viewer)
    assert step.action != "cash_collected"
    if status == S.DELIVERED:
        assert (step.actor, str(step.text)) == (A.NOBODY, "Delivered: nothing to do.")


@pytest.mark.parametrize("payment", [P.PAID_ONLINE, P.EXPIRED])
def test_a_cancelled_order_paid_online_waits_for_staffs_refund(payment):
    facts = OrderFacts(
        status=S.CANCELLED, payment=payment, refund_due=Decimal("230.00"), refund_recorded=True
    )

    staff, seller = next_step(facts, STAFF), next_step(facts, SELLER)

    assert (staff.actor, staff.action) == (A.STAFF, "refund")
    assert "₦230.00" in str(staff.text)
    # The seller learns who acts, not the whole order's amount.
    assert (seller.actor, seller.action) == (A.STAFF, None)
    assert "₦" not in str(seller.text)


@pytest.mark.parametrize("viewer", [STAFF, SELLER])
def test_a_cancelled_order_refunded_is_finished(viewer):
    facts = OrderFacts(status=S.CANCELLED, payment=P.PAID_ONLINE, refund_recorded=True)
    step = next_step(facts, viewer)
    assert (step.actor, step.action) == (A.NOBODY, None)
    assert "refunded" in str(step.text)


@pytest.mark.parametrize(
    "payment, words", [(P.EXPIRED, "not paid in time"), (P.AWAITING, "before it was paid")]
)
def test_a_cancelled_unpaid_order_is_explained(payment, words):
    assert words in str(next_step(OrderFacts(status=S.CANCELLED, payment=payment), SELLER).text)


@pytest.mark.parametrize(
    "checkout, method, expected",
    [
        (None, PaymentMethod.CASH, P.ON_DELIVERY),
        (None, PaymentMethod.CARD, P.DIRECT),
        (None, PaymentMethod.MOBILE, P.DIRECT),
        ((CheckoutPayment.ON_DELIVERY, CheckoutPaymentStatus.ON_DELIVERY), "CASH", P.ON_DELIVERY),
        ((CheckoutPayment.PAYSTACK, CheckoutPaymentStatus.AWAITING), "CARD", P.AWAITING),
        ((CheckoutPayment.PAYSTACK, CheckoutPaymentStatus.PAID), "CARD", P.PAID_ONLINE),
        ((CheckoutPayment.PAYSTACK, CheckoutPaymentStatus.REFUND_DUE), "CARD", P.PAID_ONLINE),
        ((CheckoutPayment.PAYSTACK, CheckoutPaymentStatus.EXPIRED), "CARD", P.EXPIRED),
    ],
)
def test_how_an_order_is_paid_is_read_from_its_checkout_or_its_method(checkout, method, expected):
    order = Order(payment_method=method)
    if checkout is not None:
        order.checkout = Checkout(pk=1, payment_method=checkout[0], payment_status=checkout[1])
    assert order_payment(order) == expected


def test_an_orders_facts_are_read_without_a_query():
    cancelled = Order(
        status="cancelled",
        payment_method=PaymentMethod.CASH,
        refund_due=Decimal("50.00"),
        refund_due_at=datetime(2026, 12, 1, tzinfo=UTC),
        cash_collected_at=None,
    )
    assert order_facts(cancelled, lines_left=2) == OrderFacts(
        status=S.CANCELLED,
        payment=P.ON_DELIVERY,
        lines_left=2,
        refund_due=Decimal("50.00"),
        refund_recorded=True,
    )
    # A refund paid out leaves nothing due, but the record stays.
    cancelled.refund_due = Decimal("0")
    facts = order_facts(cancelled, lines_left=0)
    assert (facts.refund_due, facts.refund_recorded) == (Decimal("0"), True)
