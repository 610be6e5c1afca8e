"""Helpers of the money tests: paid orders (online through the fake Paystack, or cash on
delivery), and the earnings entries as docs/money.md's table specifies them, written here with
``ledger_entry_add`` under the same keys as the earnings receiver (so either writes them once)."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from money.models import EntryKind, Payout, PayoutMethod, PayoutStatus, Refund, RefundLine
from money.models import RefundStatus as Status
from money.services import ledger_entry_add
from orders.models import Order, OrderItem, OrderStatus
from orders.paystack import amount_in_kobo
from orders.services import checkout_payment_record, checkout_place, order_status_change
from shopping.services import cart_item_add

ZERO = Decimal("0.00")


def commission_capture(order: Order, *, percent: str = "10", flat: str = "0.50") -> None:
    """What placement captures on each line (set directly: the capture is built elsewhere)."""
    for item in order.items.all():
        commission = (item.line_total * Decimal(percent) / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        ) + Decimal(flat)
        OrderItem.objects.filter(pk=item.pk).update(
            commission_percent=Decimal(percent), commission_flat=Decimal(flat),
            commission=commission,
        )


def paid_online_order(buyer, fake, lines, *, shipping_method=None) -> Order:
    """``buyer`` checks out ``lines`` ((product, quantity, variation) of one manufacturer) with
    Paystack (the fake) and pays: one order, commission captured."""
    for product, quantity, variation in lines:
        cart_item_add(user=buyer, product_id=product.pk, quantity=quantity,
                      variation_id=variation.pk if variation else None)
    placed = checkout_place(
        buyer=buyer, shipping_method_id=shipping_method.pk if shipping_method else None
    )
    checkout = placed.checkout
    fake.pay(checkout.paystack_reference)
    assert checkout_payment_record(
        reference=checkout.paystack_reference,
        amount_kobo=amount_in_kobo(checkout.total_amount),
        currency=settings.CURRENCY,
    )
    (order,) = placed.orders
    commission_capture(order)
    return Order.objects.select_related("checkout").get(pk=order.pk)


def _refunded(order: Order) -> tuple[Decimal, Decimal]:
    refunds = Refund.objects.filter(order=order).exclude(status=Status.FAILED)
    amount = refunds.aggregate(s=Sum("amount"))["s"] or ZERO
    commission = RefundLine.objects.filter(
        refund__order=order
    ).exclude(refund__status=Status.FAILED).aggregate(s=Sum("commission"))["s"] or ZERO
    return amount, commission


def deliver(order: Order, staff) -> Order:
    """Staff move the order to delivered; its earning is written as the table says: + lines'
    total and shipping less refunds already made, - commission less refunded lines' (by the
    earnings receiver; ``earning_record`` writes the same under the same keys, so whichever
    runs first writes them)."""
    for to in (OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        order = order_status_change(order=order, to=to, actor=staff)
    earning_record(order)
    return Order.objects.select_related("checkout").get(pk=order.pk)


def earning_record(order: Order) -> None:
    items = list(order.items.all())
    manufacturer_id = items[0].manufacturer_id
    refunded, refunded_commission = _refunded(order)
    available_on = timezone.localdate() + timedelta(days=settings.PAYOUT_HOLD_DAYS)
    sold = sum((i.line_total for i in items), ZERO) + order.shipping_cost
    commission = sum((i.commission for i in items), ZERO)
    ledger_entry_add(
        manufacturer=manufacturer_id, kind=EntryKind.EARNING, amount=sold - refunded,
        key=f"earning:order:{order.pk}", order=order, available_on=available_on,
    )
    ledger_entry_add(
        manufacturer=manufacturer_id, kind=EntryKind.COMMISSION,
        amount=-(commission - refunded_commission), key=f"commission:order:{order.pk}",
        order=order, available_on=available_on,
    )


def cash_collect(order: Order, staff) -> Order:
    """The cash of a delivered cash-on-delivery order collected: CASH_COMMISSION at once, per
    seller (key suffix ":<manufacturer id>" when the order has several)."""
    Order.objects.filter(pk=order.pk).update(cash_collected_at=timezone.now(),
                                             cash_collected_by=staff)
    per_seller: dict[int, Decimal] = {}
    for item in order.items.all():
        per_seller[item.manufacturer_id] = per_seller.get(item.manufacturer_id, ZERO) + (
            item.commission
        )
    for seller, commission in per_seller.items():
        suffix = f":{seller}" if len(per_seller) > 1 else ""
        ledger_entry_add(
            manufacturer=seller, kind=EntryKind.CASH_COMMISSION, amount=-commission,
            key=f"cash-commission:order:{order.pk}{suffix}", order=order,
        )
    return Order.objects.select_related("checkout").get(pk=order.pk)


def payout_paid(manufacturer, amount: Decimal, reference: str) -> Payout:
    """A payout sent and its PAYOUT entry (what an approved payout run writes)."""
    payout = Payout.objects.create(
        manufacturer=manufacturer, amount=amount, method=PayoutMethod.MANUAL,
        status=PayoutStatus.PAID, reference=reference, sent_at=timezone.now(),
        settled_at=timezone.now(),
    )
    ledger_entry_add(manufacturer=manufacturer, kind=EntryKind.PAYOUT, amount=-amount,
                     key=f"payout:{payout.pk}", payout=payout)
    return payout
