"""Demo money: the demo orders' earnings in the ledger, so the Earnings page, the statements
and the commission report have something to show.

The demo shop has no Paystack key, so its checkouts are paid on delivery. Here some delivered
checkouts become paid online (as if the buyer had paid by card at checkout) and their orders'
earnings are recorded as at their delivery (``order_earning_record`` with that day: pending
for the hold if delivered in the last days, available if earlier); the other delivered orders'
cash is recorded as collected by their seller (``order_cash_collect``: the commission owed).
Entries are dated back to the delivery. And one shipped order of each seller, paid online,
arrives today (its buyer confirms it): money pending for the hold. Then the manufacturers give
bank details, staff pay them in one payout run (recorded as manual transfers), and one line of
a paid order is refunded. Skipped once the ledger has entries.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import Category
from core.roles import ManufacturerStatus
from money.errors import MoneyError
from money.models import LedgerEntry, PayoutStatus
from money.services import order_cash_collect, order_earning_record
from money.services.bank_accounts import bank_account_change, bank_account_current
from money.services.payouts import payout_manual_record, payout_run_approve, payout_run_create
from money.services.refund_plan import RefundLineRequest
from money.services.refunds import refund_create
from orders.models import (
    Checkout,
    CheckoutPayment,
    CheckoutPaymentStatus,
    CommissionRule,
    Order,
    OrderStatus,
    OrderStatusChange,
    PaymentMethod,
)
from orders.services import order_mark_delivered
from users.models import User

PAID_ONLINE_SHARE = 0.6


def _delivered_at(order: Order):
    change = (
        OrderStatusChange.objects.filter(order=order, to_status=OrderStatus.DELIVERED)
        .order_by("-pk")
        .first()
    )
    return change.created_at if change else order.updated_at


@transaction.atomic
def seed(stdout=None) -> int:
    if LedgerEntry.objects.exists():
        return 0
    rng = random.Random(2026)
    delivered = list(
        Order.objects.filter(status=OrderStatus.DELIVERED, checkout__isnull=False)
        .select_related("checkout")
        .order_by("created_at", "pk")
    )
    checkouts = sorted({order.checkout_id for order in delivered})
    online = {pk for pk in checkouts if rng.random() < PAID_ONLINE_SHARE}
    # One shipped order per seller, paid online and delivered today: money still pending.
    arriving = {}
    for order in Order.objects.filter(
        status=OrderStatus.SHIPPED, checkout__isnull=False
    ).order_by("-created_at", "-pk"):
        seller = order.items.values_list("manufacturer_id", flat=True).first()
        arriving.setdefault(seller, order)
    online |= {order.checkout_id for order in arriving.values()}
    for pk in online:
        Checkout.objects.filter(pk=pk).update(
            payment_method=CheckoutPayment.PAYSTACK,
            payment_status=CheckoutPaymentStatus.PAID,
            paystack_reference=f"MTCK-DEMO-{pk:06d}",
        )
        Order.objects.filter(checkout_id=pk).update(payment_method=PaymentMethod.CARD)
    written = 0
    for order in delivered:
        order = Order.objects.select_related("checkout").get(pk=order.pk)
        when = _delivered_at(order)
        if order.checkout_id in online:
            written += order_earning_record(order=order, today=timezone.localdate(when))
        else:
            seller = User.objects.get(pk=order.items.values_list("manufacturer_id", flat=True)[0])
            order_cash_collect(order=order, actor=seller)
            collected = when + timedelta(hours=rng.randint(1, 6))
            Order.objects.filter(pk=order.pk).update(cash_collected_at=collected)
            when = collected
            written += 1
        LedgerEntry.objects.filter(order=order).update(created_at=when)
    # Their checkouts' shipped orders arrive together (paid, so none waits undelivered).
    for order in Order.objects.filter(
        status=OrderStatus.SHIPPED, checkout_id__in={o.checkout_id for o in arriving.values()}
    ).select_related("buyer"):
        order_mark_delivered(order=order, actor=order.buyer)  # the receiver records it
        written += 2
    _rules()
    paid, refund = _payout_run_and_refund()
    if stdout:
        stdout.write(
            f"  recorded {written} ledger entries: {len(online)} checkouts paid online, "
            f"the others' cash collected; a payout run paid {paid} manufacturers"
            + (f"; refund {refund.reference}" if refund else "")
        )
    return written


#: The demo manufacturers' bank accounts (bank code, NUBAN): made-up numbers at real banks.
DEMO_ACCOUNTS = [("058", "0123456789"), ("044", "1111111111"), ("057", "2222222222")]


def _payout_run_and_refund():
    """One payout run, approved and paid by manual transfer (the demo has no Paystack key),
    after each active manufacturer gives bank details; then one refund of a line of an order
    paid online (after the payout: the seller's balance takes it back). Returns (manufacturers
    paid, the refund)."""
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    makers = User.objects.filter(
        is_manufacturer=True, is_active=True, manufacturer_status=ManufacturerStatus.ACTIVE
    ).order_by("pk")
    if staff is None:
        return 0, None
    for maker, (bank_code, number) in zip(makers, DEMO_ACCOUNTS, strict=False):
        if bank_account_current(manufacturer=maker) is None:
            bank_account_change(
                manufacturer=maker, bank_code=bank_code, account_number=number, password=None,
                actor=maker,
            )
    paid = 0
    try:
        run = payout_run_create(actor=staff)
    except MoneyError:  # nobody has enough available
        run = None
    if run is not None:
        payout_run_approve(run=run, actor=staff)
        for payout in run.payouts.filter(status=PayoutStatus.SENDING).order_by("pk"):
            payout_manual_record(
                payout=payout, bank_reference=f"DEMO-TRF-{payout.pk:04d}", actor=staff
            )
            paid += 1
    order = (
        Order.objects.filter(
            status=OrderStatus.DELIVERED, checkout__payment_status=CheckoutPaymentStatus.PAID
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    refund = None
    if order is not None:
        item = order.items.order_by("pk").first()
        refund = refund_create(
            order=order,
            actor=staff,
            reason="Arrived damaged (demo)",
            lines=[RefundLineRequest(order_item_id=item.pk, quantity=1)],
            bank_reference="DEMO-REFUND-1",
        )
    return paid, refund


def _rules() -> None:
    """A category with its own commission, for the rules page (orders placed from now on)."""
    category = Category.objects.filter(depth=1).order_by("path").first()
    if category is not None:
        CommissionRule.objects.get_or_create(
            category=category, manufacturer=None, defaults={"percent": 8}
        )
