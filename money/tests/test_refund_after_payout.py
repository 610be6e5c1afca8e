"""End to end: a manufacturer is paid out, then a paid order of theirs is refunded in full: their
balance goes negative (owed), and the next payout nets it from their next sale."""

import json

import pytest
from django.test import Client

from money.models import EntryKind, LedgerEntry, Payout, PayoutStatus, RefundStatus
from money.selectors import balance_of, order_split
from money.services.payouts import payout_run_approve, payout_run_create
from money.services.refund_paystack import refund_send
from money.services.refunds import refund_create
from money.tests.helpers import bank_account
from money.tests.refund_helpers import deliver, paid_online_order
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import post_webhook

pytestmark = pytest.mark.django_db


def test_a_refund_after_payout_is_owed_and_the_next_payout_nets_it(
    buyer, paystack, phone, case, staff_user, manufacturer_a, settings
):
    settings.PAYOUT_HOLD_DAYS = 0  # each sale is available for a payout once delivered
    settings.PAYOUT_MINIMUM = 1
    bank_account(manufacturer_a)

    def payout_run() -> Payout:
        """Staff make a payout run and approve it; the transfer goes to the fake Paystack."""
        run = payout_run_create(actor=staff_user)
        payout_run_approve(run=run, actor=staff_user)
        return run.payouts.get()
    first = deliver(paid_online_order(buyer, paystack, [(phone, 2, None)]), staff_user)
    # The hold passed: 200.00 less 20.50 commission available, paid out.
    balance = balance_of(manufacturer=manufacturer_a)
    assert balance.available == first.total - first.items.get().commission
    payout = payout_run()
    assert payout.amount == balance.available and payout.status == PayoutStatus.SENDING
    assert balance_of(manufacturer=manufacturer_a).settled == 0

    # The buyer sends the phones back: refunded in full through Paystack.
    refund = refund_create(order=first, actor=staff_user, reason="Returned",
                           returned_to_stock=True)
    assert refund_send(refund_id=refund.pk) == "sent"
    refund.refresh_from_db()
    body = json.dumps(paystack.refund_event(refund.paystack_refund_id, "processed")).encode()
    assert post_webhook(Client(), body, paystack_signature(body)).status_code == 200
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSED
    owed = first.total - first.items.get().commission
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.owed) == (0, owed)

    # The next sale: once its hold passes, the payout is the sale less what is owed.
    second = deliver(paid_online_order(buyer, paystack, [(phone, 3, None)]), staff_user)
    sale = second.total - second.items.get().commission
    balance = balance_of(manufacturer=manufacturer_a)
    assert balance.available == sale - owed and balance.owed == 0
    payout = payout_run()
    assert payout.amount == sale - owed
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.owed, balance.pending) == (0, 0, 0)
    assert balance.paid_out == first.total - first.items.get().commission + sale - owed
    for order in (first, second):
        assert order_split(order=order).balanced
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).get().available_on is None
