"""THE INVARIANT: for every order, on every path its money takes, ``order_split(order)`` is
balanced (paid = what the manufacturer keeps + the marketplace's commission + what went back to
the buyer). Property-style: each path runs with several seeded random choices of lines, units
and shipping to refund; runs on SQLite and, with ``DATABASE_URL``, PostgreSQL."""

import json
import random
from decimal import Decimal

import pytest
from django.test import Client

from money.models import EntryKind, LedgerEntry, Refund, RefundSource, RefundStatus
from money.selectors import order_split
from money.services.refund_paystack import paystack_refund_event, refund_send
from money.services.refunds import RefundLineRequest, refund_create, refundable_of
from money.tests.refund_helpers import (
    cash_collect,
    commission_capture,
    deliver,
    paid_online_order,
    payout_paid,
)
from orders.models import Checkout, CheckoutPaymentStatus, Order
from orders.paystack import amount_in_kobo
from orders.services import (
    checkout_expire,
    checkout_payment_record,
    checkout_place,
    order_cancel,
    order_status_change,
)
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import line, place, post_webhook
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

SEEDS = range(4)


def _split_ok(order: Order):
    order = Order.objects.select_related("checkout").get(pk=order.pk)
    split = order_split(order=order)
    assert split.balanced, (order.number, split)
    return split


def _random_lines(order: Order, rng: random.Random) -> list[RefundLineRequest]:
    left = refundable_of(order=order).units
    chosen = [
        RefundLineRequest(pk, rng.randint(1, units)) for pk, units in left.items()
        if units and rng.random() < 0.7
    ]
    return chosen or [RefundLineRequest(*next((pk, 1) for pk, u in left.items() if u))]


def _order(buyer, paystack, phone, case, standard_shipping, rng) -> Order:
    lines = [(phone, rng.randint(1, 3), None), (case, rng.randint(1, 4), None)]
    return paid_online_order(buyer, paystack, lines, shipping_method=standard_shipping)


def _send(refund: Refund):
    """What the worker runs for a Paystack refund (the task, outside the transaction)."""
    return refund_send(refund_id=refund.pk)


@pytest.fixture
def standard_shipping(db):
    from shopping.models import ShippingMethod

    return ShippingMethod.objects.create(name="Standard", cost=Decimal("10.00"),
                                         estimated_days=3)


@pytest.mark.parametrize("seed", SEEDS)
def test_delivered(buyer, paystack, phone, case, standard_shipping, staff_user, seed):
    order = _order(buyer, paystack, phone, case, standard_shipping, random.Random(seed))
    order = deliver(order, staff_user)
    split = _split_ok(order)
    assert split.refunded == 0 and split.paid == order.total


@pytest.mark.parametrize("seed", SEEDS)
def test_partial_refund_before_delivery(
    buyer, paystack, phone, case, standard_shipping, staff_user, seed
):
    rng = random.Random(seed)
    order = _order(buyer, paystack, phone, case, standard_shipping, rng)
    refund = refund_create(order=order, actor=staff_user, reason="Out of one item",
                           lines=_random_lines(order, rng), shipping=rng.random() < 0.5)
    _send(refund)
    assert not LedgerEntry.objects.filter(order=order).exists()  # no earning yet: no entries
    order = deliver(order, staff_user)
    split = _split_ok(order)
    assert split.refunded == refund.amount
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()


@pytest.mark.parametrize("seed", SEEDS)
def test_partial_refunds_after_delivery(
    buyer, paystack, phone, case, standard_shipping, staff_user, seed
):
    rng = random.Random(seed)
    order = deliver(_order(buyer, paystack, phone, case, standard_shipping, rng), staff_user)
    while any(refundable_of(order=order).units.values()) and rng.random() < 0.8:
        refund = refund_create(order=order, actor=staff_user, reason="Damaged",
                               lines=_random_lines(order, rng), shipping=rng.random() < 0.3,
                               returned_to_stock=rng.random() < 0.5)
        _send(refund)
        _split_ok(order)
        entry = LedgerEntry.objects.get(key=f"refund:{refund.pk}")
        assert entry.amount == -refund.amount
        assert entry.available_on == LedgerEntry.objects.get(
            key=f"earning:order:{order.pk}").available_on  # the hold is still running
    if refundable_of(order=order).shipping > 0:  # the shipping on its own
        _send(refund_create(order=order, actor=staff_user, reason="Late", lines=[],
                            shipping=True))
    _split_ok(order)


@pytest.mark.parametrize("seed", SEEDS)
def test_full_refund_after_payout(
    buyer, paystack, phone, case, standard_shipping, staff_user, manufacturer_a, seed, settings
):
    rng = random.Random(seed)
    settings.PAYOUT_HOLD_DAYS = 0  # the sale is available at once: paid out before the refund
    order = deliver(_order(buyer, paystack, phone, case, standard_shipping, rng), staff_user)
    earned = sum(LedgerEntry.objects.filter(order=order).values_list("amount", flat=True))
    payout_paid(manufacturer_a, earned, f"PO-{seed}")
    refund = refund_create(order=order, actor=staff_user, reason="Returned")  # all of it
    _send(refund)
    split = _split_ok(order)
    assert split.refunded == order.total and split.net == 0 and split.commission == 0
    # The hold had passed: the refund counts at once.
    assert LedgerEntry.objects.get(key=f"refund:{refund.pk}").available_on is None


@pytest.mark.parametrize("seed", SEEDS)
def test_cash_collected_then_refund(buyer, phone, case, staff_user, seed):
    rng = random.Random(seed)
    order = place(buyer, line(phone, rng.randint(1, 3)), line(case, rng.randint(1, 4)))
    commission_capture(order)
    for to in ("processing", "shipped", "delivered"):
        order = order_status_change(order=order, to=to, actor=staff_user)
    order = cash_collect(order, staff_user)
    refund = refund_create(order=order, actor=staff_user, reason="Faulty",
                           lines=_random_lines(order, rng), bank_reference="CASH-1")
    assert refund.status == RefundStatus.PROCESSED  # cash: staff paid it back themselves
    split = _split_ok(order)
    assert split.refunded == refund.amount


@pytest.mark.parametrize("seed", SEEDS)
def test_cash_order_of_two_sellers_refunded_in_parts(
    buyer, phone, shirt, shirt_m, staff_user, manufacturer_a, manufacturer_b, seed
):
    """An order of two sellers (the order API places one order for several): each seller's
    ledger takes back their own lines' refund, the first the shipping too."""
    rng = random.Random(seed)
    order = place(buyer, line(phone, rng.randint(1, 3)), line(shirt, 2, shirt_m),
                  shipping_cost=Decimal("8.00"))
    commission_capture(order)
    for to in ("processing", "shipped", "delivered"):
        order = order_status_change(order=order, to=to, actor=staff_user)
    order = cash_collect(order, staff_user)
    while any(refundable_of(order=order).units.values()):
        refund = refund_create(order=order, actor=staff_user, reason="Part",
                               lines=_random_lines(order, rng), shipping=rng.random() < 0.5)
        split = _split_ok(order)
        for seller in (manufacturer_a, manufacturer_b):
            taken = -sum(LedgerEntry.objects.filter(
                refund=refund, manufacturer=seller, kind=EntryKind.REFUND
            ).values_list("amount", flat=True))
            own = sum(line.amount for line in refund.lines.filter(
                order_item__manufacturer=seller))
            first = seller == min((manufacturer_a, manufacturer_b), key=lambda u: u.pk)
            assert taken == own + (refund.shipping_amount if first else 0)
    assert split.refunded == order.total - refundable_of(order=order).shipping


@pytest.mark.parametrize("seed", SEEDS)
def test_buyer_cancels_a_paid_order(buyer, paystack, phone, case, standard_shipping, seed,
                                    django_capture_on_commit_callbacks):
    order = _order(buyer, paystack, phone, case, standard_shipping, random.Random(seed))
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=buyer)
    refund = Refund.objects.get(order=order)
    assert refund.source == RefundSource.CANCELLED and refund.amount == order.total
    assert paystack.refunds  # the task asked Paystack
    _split_ok(order)
    event = paystack.refund_event(next(iter(paystack.refunds)), "processed")
    body = json.dumps(event).encode()
    assert post_webhook(Client(), body, paystack_signature(body)).status_code == 200
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSED and order.refund_due == 0
    _split_ok(order)


def test_paid_late(buyer, paystack, phone, django_capture_on_commit_callbacks):
    cart_item_add(user=buyer, product_id=phone.pk, quantity=2)
    checkout = checkout_place(buyer=buyer).checkout
    checkout_expire(checkout=checkout, now=checkout.expires_at)
    paystack.pay(checkout.paystack_reference)
    with django_capture_on_commit_callbacks(execute=True):
        checkout_payment_record(reference=checkout.paystack_reference,
                                amount_kobo=amount_in_kobo(checkout.total_amount),
                                currency="NGN")
    assert Checkout.objects.get(pk=checkout.pk).payment_status == CheckoutPaymentStatus.REFUND_DUE
    (order,) = checkout.orders.all()
    refund = Refund.objects.get(order=order)
    assert refund.amount == order.total and refund.paystack_refund_id
    _split_ok(order)


@pytest.mark.parametrize("seed", SEEDS)
def test_refunds_that_fail(buyer, paystack, phone, case, standard_shipping, staff_user, seed):
    """A refund made before delivery that fails after it, and one after delivery that Paystack
    refuses: the ledger is put back both times."""
    rng = random.Random(seed)
    order = _order(buyer, paystack, phone, case, standard_shipping, rng)
    early = refund_create(order=order, actor=staff_user, reason="Early",
                          lines=_random_lines(order, rng))
    _send(early)
    order = deliver(order, staff_user)
    event = paystack.refund_event(early.paystack_refund_id or next(iter(paystack.refunds)),
                                  "failed")
    assert paystack_refund_event(event=event["event"], data=event["data"])
    _split_ok(order)
    paystack.fail("POST", "/refund", 400, "Refund amount cannot be greater")
    late = refund_create(order=order, actor=staff_user, reason="Late",
                         lines=_random_lines(order, rng))
    assert _send(late) == "failed"
    late.refresh_from_db()
    assert late.status == RefundStatus.FAILED
    split = _split_ok(order)
    assert split.refunded == 0
