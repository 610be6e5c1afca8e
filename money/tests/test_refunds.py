"""Refund rules: what may be refunded and by whom, what a refund writes (lines, commission,
stock, ledger, refund due), and its trip through Paystack (retried safely, settled by webhooks,
replays change nothing). Refusals change nothing."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import StockMovement
from money.errors import RefundError, RefundErrorCode
from money.models import LedgerEntry, Refund, RefundLine, RefundMethod, RefundStatus
from money.services.refund_paystack import refund_send, refunds_send_due
from money.services.refunds import (
    RefundLineRequest,
    refund_create,
    refund_plan,
    refund_settle,
    refundable_of,
)
from money.tests.refund_helpers import deliver, paid_online_order
from orders.models import Order, OrderItem
from orders.services import order_cancel, order_status_change
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import line, place, post_webhook, stock_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer, paystack, phone, case):
    """3 phones (300.00) and 4 cases (90.00), paid online; 10% + 0.50 a line captured."""
    return paid_online_order(buyer, paystack, [(phone, 3, None), (case, 4, None)])


def _items(order):
    return {i.product_name: i for i in order.items.all()}


def _snapshot():
    return (
        list(Refund.objects.values_list("pk", "status")),
        RefundLine.objects.count(),
        LedgerEntry.objects.count(),
        StockMovement.objects.count(),
    )


def test_a_line_refunded_unit_by_unit_returns_exactly_its_commission(order, staff_user):
    case = _items(order)["Case"]
    assert case.commission == Decimal("9.50")  # 9.00 + 0.50
    parts = []
    for _ in range(4):
        refund = refund_create(order=order, actor=staff_user, reason="One case",
                               lines=[RefundLineRequest(case.pk, 1)])
        parts.append(refund.lines.get().commission)
    assert sum(parts) == case.commission
    assert refundable_of(order=order).units[case.pk] == 0


def test_more_units_than_are_left_are_refused_and_change_nothing(order, staff_user):
    phone = _items(order)["Phone"]
    refund_create(order=order, actor=staff_user, reason="Two",
                  lines=[RefundLineRequest(phone.pk, 2)])
    before = _snapshot()
    with pytest.raises(RefundError) as refused:
        refund_create(order=order, actor=staff_user, reason="Two more",
                      lines=[RefundLineRequest(phone.pk, 2)])
    assert refused.value.code == RefundErrorCode.TOO_MUCH and refused.value.status == 409
    assert _snapshot() == before


def test_a_manufacturer_or_a_buyer_cannot_refund(order, manufacturer_a, buyer):
    before = _snapshot()
    for who in (manufacturer_a, buyer):
        with pytest.raises(RefundError) as refused:
            refund_create(order=order, actor=who, reason="Mine")
        assert refused.value.code == RefundErrorCode.STAFF_ONLY and refused.value.status == 403
    assert _snapshot() == before


def test_an_unpaid_order_cannot_be_refunded(buyer, phone, staff_user):
    order = place(buyer, line(phone, 1))  # cash on delivery, not collected
    with pytest.raises(RefundError) as refused:
        refund_create(order=order, actor=staff_user, reason="?")
    assert refused.value.code == RefundErrorCode.NOT_PAID
    assert not Refund.objects.exists()


def test_a_line_of_another_order_or_no_reason_is_refused(order, staff_user, buyer, phone):
    other = place(buyer, line(phone, 1))
    with pytest.raises(RefundError) as refused:
        refund_create(order=order, actor=staff_user, reason="x",
                      lines=[RefundLineRequest(other.items.get().pk, 1)])
    assert refused.value.code == RefundErrorCode.UNKNOWN_LINE
    with pytest.raises(RefundError) as refused:
        refund_create(order=order, actor=staff_user, reason=" ")
    assert refused.value.code == RefundErrorCode.REASON_REQUIRED
    assert not Refund.objects.exists()


def test_stock_comes_back_for_lines_not_shipped_and_for_shipped_ones_only_when_ticked(
    order, staff_user, phone, case
):
    items = _items(order)
    phone_v, case_v = phone.variations.get(), case.variations.get()
    before = stock_of(phone_v)
    refund_create(order=order, actor=staff_user, reason="Not sent",
                  lines=[RefundLineRequest(items["Phone"].pk, 1)])
    assert stock_of(phone_v) == before + 1  # not shipped: the unit stays here
    order = order_status_change(order=order, to="processing", actor=staff_user)
    order = order_status_change(order=order, to="shipped", actor=staff_user)
    case_before = stock_of(case_v)
    refund_create(order=order, actor=staff_user, reason="Lost in the post",
                  lines=[RefundLineRequest(items["Case"].pk, 1)])
    assert stock_of(case_v) == case_before  # shipped, not returned
    refund_create(order=order, actor=staff_user, reason="Sent back", returned_to_stock=True,
                  lines=[RefundLineRequest(items["Case"].pk, 2)])
    assert stock_of(case_v) == case_before + 2


def test_a_cancelled_paid_order_is_refunded_once_and_its_stock_is_not_returned_twice(
    order, buyer, phone, django_capture_on_commit_callbacks
):
    phone_v = phone.variations.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=buyer)
    after_cancel = stock_of(phone_v)
    refund = Refund.objects.get(order=order)
    assert refund.amount == order.total and refund.method == RefundMethod.PAYSTACK
    assert not refund.lines.filter(restocked__gt=0).exists()
    assert stock_of(phone_v) == after_cancel
    order.refresh_from_db()
    assert order.refund_due == order.total  # until Paystack says it is processed


def test_without_a_key_a_staff_refund_is_recorded_processed_and_an_automatic_one_waits(
    order, buyer, staff_user, settings
):
    settings.PAYSTACK_SECRET_KEY = ""
    phone = _items(order)["Phone"]
    staff = refund_create(order=order, actor=staff_user, reason="Paid back by transfer",
                          lines=[RefundLineRequest(phone.pk, 1)], bank_reference="GTB-991")
    assert (staff.status, staff.method, staff.bank_reference) == (
        RefundStatus.PROCESSED, RefundMethod.MANUAL, "GTB-991")
    order_cancel(order=order, actor=buyer)
    automatic = Refund.objects.exclude(pk=staff.pk).get()
    assert automatic.status == RefundStatus.PENDING
    assert automatic.amount == order.total - staff.amount
    order.refresh_from_db()
    assert order.refund_due == automatic.amount
    assert refund_settle(refund=automatic, bank_reference="GTB-992", actor=staff_user)
    assert not refund_settle(refund=automatic, actor=staff_user)  # once
    order.refresh_from_db()
    assert order.refund_due == 0


def test_a_retried_task_never_refunds_twice(order, staff_user, paystack):
    refund = refund_create(order=order, actor=staff_user, reason="Broken")
    assert refund_send(refund_id=refund.pk) == "sent"
    assert refund_send(refund_id=refund.pk) == "skipped"
    # The answer was lost (the id never stored): the retry finds our reference at Paystack.
    Refund.objects.filter(pk=refund.pk).update(paystack_refund_id="")
    assert refund_send(refund_id=refund.pk) == "sent"
    assert len(paystack.refunds) == 1
    assert [c["method"] for c in paystack.calls if c["path"] == "/refund"].count("POST") == 1


def test_paystack_unreachable_leaves_it_pending_for_the_sweep(order, staff_user, paystack):
    paystack.down = True
    refund = refund_create(order=order, actor=staff_user, reason="Broken")
    assert refund_send(refund_id=refund.pk) == "unavailable"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING and not refund.paystack_refund_id
    paystack.down = False
    assert refunds_send_due() == 0  # too recent: its own task may still be on it
    assert refunds_send_due(now=timezone.now() + timedelta(minutes=11)) == 1
    refund.refresh_from_db()
    assert refund.paystack_refund_id


def test_webhooks_settle_once_and_a_bad_signature_changes_nothing(order, staff_user, paystack):
    order = deliver(order, staff_user)
    refund = refund_create(order=order, actor=staff_user, reason="Broken")
    refund_send(refund_id=refund.pk)
    refund.refresh_from_db()
    body = json.dumps(paystack.refund_event(refund.paystack_refund_id, "processed")).encode()
    client = Client()
    assert post_webhook(client, body, paystack_signature(body, key="sk_wrong")).status_code == 400
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.PENDING
    entries = LedgerEntry.objects.count()
    for _ in range(2):
        assert post_webhook(client, body, paystack_signature(body)).status_code == 200
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSED and refund.settled_at
    failed = json.dumps(paystack.refund_event(refund.paystack_refund_id, "failed")).encode()
    assert post_webhook(client, failed, paystack_signature(failed)).status_code == 200
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.PROCESSED  # final
    assert LedgerEntry.objects.count() == entries


def test_the_preview_says_what_a_refund_would_do(order, staff_user):
    items = _items(order)
    plan = refund_plan(order=order, lines=[RefundLineRequest(items["Case"].pk, 2)],
                       shipping=True)
    assert plan.amount == Decimal("45.00") + order.shipping_cost
    assert plan.commission == Decimal("4.75")
    assert not plan.ledger_now  # not delivered: the earning will be reduced instead
    assert not Refund.objects.exists()
    assert OrderItem.objects.filter(order=order).count() == 2
    assert Order.objects.get(pk=order.pk).refund_due == 0
