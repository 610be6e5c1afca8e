"""A sale's money in the ledger: a paid-online order delivered earns its seller the sale less
the commission (pending for the hold), cash collected on delivery records the commission owed,
and every order stays balanced (paid = net + commission + refunded)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import ManufacturerStatus
from money.errors import MoneyError, MoneyErrorCode
from money.models import EntryKind, LedgerEntry, Refund, RefundLine, RefundStatus
from money.selectors import balance_of, order_split
from money.services import order_cash_collect, order_earning_record
from money.tests.earnings import D, deliver, move
from orders.models import CommissionRule, Order, OrderStatus

pytestmark = pytest.mark.django_db


def split_of(order: Order):
    return order_split(order=Order.objects.select_related("checkout").get(pk=order.pk))


def entries_of(order: Order) -> dict:
    return {
        entry.key: (entry.kind, entry.manufacturer_id, entry.amount, entry.available_on)
        for entry in LedgerEntry.objects.filter(order=order)
    }


def ledger_state() -> list:
    return sorted(LedgerEntry.objects.values_list("key", "amount"))


def test_a_paid_order_delivered_earns_its_sale_less_commission_after_the_hold(
    settings, paid_orders, manufacturer_a, manufacturer_b, staff_user
):
    settings.PAYOUT_HOLD_DAYS = 7
    phone, shirt = paid_orders["Phone"], paid_orders["Shirt"]
    move(phone, OrderStatus.PROCESSING, OrderStatus.SHIPPED, actor=staff_user)
    assert not LedgerEntry.objects.exists()  # nothing until delivered

    move(phone, OrderStatus.DELIVERED, actor=staff_user)

    today = timezone.localdate()
    release = today + timedelta(days=7)
    assert entries_of(phone) == {
        # 2 x 100.00 + the order's 5.00 of shipping; 10 % of the lines only.
        f"earning:order:{phone.pk}": (EntryKind.EARNING, manufacturer_a.pk, D("205.00"), release),
        f"commission:order:{phone.pk}": (
            EntryKind.COMMISSION, manufacturer_a.pk, D("-20.00"), release
        ),
    }
    now = balance_of(manufacturer=manufacturer_a)
    assert (now.available, now.pending, now.owed) == (D("0"), D("185.00"), D("0"))
    later = balance_of(manufacturer=manufacturer_a, today=release)
    assert (later.available, later.pending) == (D("185.00"), D("0.00"))
    assert balance_of(manufacturer=manufacturer_b).pending == D("0.00")  # not delivered yet
    split = split_of(phone)
    assert (split.paid, split.net, split.commission, split.refunded) == (
        D("205.00"), D("185.00"), D("20.00"), D("0.00")
    )
    assert split.balanced

    deliver(shirt, actor=staff_user)
    assert balance_of(manufacturer=manufacturer_b).pending == D("32.00")  # 35.00 - 3.00
    assert split_of(shirt).balanced


def test_recording_a_delivery_again_writes_nothing(paid_orders, staff_user):
    phone = deliver(paid_orders["Phone"], actor=staff_user)
    before = ledger_state()
    assert order_earning_record(order=phone) == 0
    assert ledger_state() == before


def test_the_captured_commission_is_what_the_ledger_takes(
    customer, paystack, two_maker_cart, manufacturer_a, staff_user
):
    from money.tests.earnings import by_product, pay
    from orders.services import checkout_place

    CommissionRule.objects.create(manufacturer=manufacturer_a, percent=D("5"), flat=D("1.50"))
    placed = checkout_place(buyer=customer)
    pay(placed.checkout)
    # The rule changes after the order was placed: the captured terms still hold.
    CommissionRule.objects.filter(manufacturer=manufacturer_a).update(percent=D("50"))
    phone = deliver(by_product(placed.orders)["Phone"], actor=staff_user)
    assert LedgerEntry.objects.get(kind=EntryKind.COMMISSION, order=phone).amount == D("-11.50")


def test_an_order_paid_on_delivery_earns_nothing_when_delivered(cash_orders, staff_user):
    deliver(cash_orders["Phone"], actor=staff_user)
    assert not LedgerEntry.objects.exists()


def test_a_refund_before_delivery_reduces_the_earning_and_its_commission(
    paid_orders, staff_user, manufacturer_b
):
    shirt = paid_orders["Shirt"]
    line = shirt.items.get()
    refund = Refund.objects.create(
        order=shirt, amount=D("35.00"), shipping_amount=D("5.00"), reason="Wrong size",
        source="staff", status=RefundStatus.PROCESSED, reference="R-1",
    )
    RefundLine.objects.create(
        refund=refund, order_item=line, quantity=1, amount=D("30.00"), commission=D("3.00")
    )
    deliver(shirt, actor=staff_user)
    # Everything was refunded before delivery: nothing to earn, no commission.
    assert not LedgerEntry.objects.filter(order=shirt).exists()
    assert split_of(shirt).balanced


def test_a_failed_refund_does_not_reduce_the_earning(paid_orders, staff_user):
    shirt = paid_orders["Shirt"]
    Refund.objects.create(
        order=shirt, amount=D("35.00"), reason="Wrong size", source="staff",
        status=RefundStatus.FAILED, reference="R-2",
    )
    deliver(shirt, actor=staff_user)
    assert sorted(LedgerEntry.objects.filter(order=shirt).values_list("amount", flat=True)) == [
        D("-3.00"), D("35.00")
    ]


# --- Cash collected on delivery ---------------------------------------------------------------


def test_the_seller_records_cash_collected_on_a_shipped_order(
    cash_orders, manufacturer_a, staff_user
):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)

    collected = order_cash_collect(order=phone, actor=manufacturer_a)

    phone.refresh_from_db()
    assert collected.status == phone.status == OrderStatus.DELIVERED  # the cash is the delivery
    assert phone.cash_collected_by == manufacturer_a and phone.cash_collected_at is not None
    assert phone.status_changes.latest("pk").note == "Cash collected on delivery"
    assert entries_of(phone) == {
        f"cash-commission:order:{phone.pk}": (
            EntryKind.CASH_COMMISSION, manufacturer_a.pk, D("-20.00"), None
        ),
    }
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.pending, balance.owed) == (D("0"), D("0"), D("20.00"))
    split = split_of(phone)
    assert (split.paid, split.net, split.commission) == (D("205.00"), D("185.00"), D("20.00"))
    assert split.balanced

    # Again: nothing changes.
    when = phone.cash_collected_at
    again = order_cash_collect(order=phone, actor=staff_user)
    assert again.cash_collected_at == when
    assert LedgerEntry.objects.count() == 1


def test_staff_record_cash_on_a_delivered_order(cash_orders, staff_user, manufacturer_b):
    shirt = deliver(cash_orders["Shirt"], actor=staff_user)
    order_cash_collect(order=shirt, actor=staff_user)
    entry = LedgerEntry.objects.get()
    assert (entry.manufacturer_id, entry.amount) == (manufacturer_b.pk, D("-3.00"))
    assert Order.objects.get(pk=shirt.pk).cash_collected_by == staff_user


def snapshot(order: Order) -> tuple:
    fresh = Order.objects.get(pk=order.pk)
    return (fresh.status, fresh.cash_collected_at, fresh.cash_collected_by_id, ledger_state())


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("customer", MoneyErrorCode.BACKOFFICE_ONLY),
        ("manufacturer_b", MoneyErrorCode.ORDER_UNKNOWN),
        ("suspended", MoneyErrorCode.READ_ONLY),
    ],
)
def test_others_cannot_record_cash_and_change_nothing(
    request, who, code, cash_orders, staff_user, manufacturer_a
):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    if who == "suspended":
        manufacturer_a.manufacturer_status = ManufacturerStatus.SUSPENDED
        manufacturer_a.save(update_fields=["manufacturer_status"])
        actor = manufacturer_a
    else:
        actor = request.getfixturevalue(who)
    before = snapshot(phone)
    with pytest.raises(MoneyError) as refused:
        order_cash_collect(order=phone, actor=actor)
    assert refused.value.code == code
    assert snapshot(phone) == before


def test_cash_is_refused_for_orders_paid_online(paid_orders, staff_user):
    paid = deliver(paid_orders["Phone"], actor=staff_user)
    before = snapshot(paid)
    with pytest.raises(MoneyError) as refused:
        order_cash_collect(order=paid, actor=staff_user)
    assert refused.value.code == MoneyErrorCode.NOT_CASH_ON_DELIVERY
    assert refused.value.status == 409
    assert snapshot(paid) == before


def test_cash_is_refused_before_the_order_is_shipped(cash_orders, staff_user):
    pending = cash_orders["Shirt"]
    before = snapshot(pending)
    with pytest.raises(MoneyError) as refused:
        order_cash_collect(order=pending, actor=staff_user)
    assert refused.value.code == MoneyErrorCode.NOT_DELIVERED
    assert snapshot(pending) == before


def test_an_order_of_several_sellers_splits_its_entries_per_seller(
    customer, phone, shirt_m, manufacturer_a, manufacturer_b, staff_user
):
    from orders.tests.helpers import line, place

    order = place(customer, line(phone, 1), line(shirt_m.product, 2, shirt_m))
    move(order, OrderStatus.PROCESSING, OrderStatus.SHIPPED, actor=staff_user)
    with pytest.raises(MoneyError) as refused:  # not all theirs: staff record it
        order_cash_collect(order=order, actor=manufacturer_a)
    assert refused.value.code == MoneyErrorCode.OTHER_SELLERS
    order_cash_collect(order=order, actor=staff_user)
    assert entries_of(order) == {
        f"cash-commission:order:{order.pk}:{manufacturer_a.pk}": (
            EntryKind.CASH_COMMISSION, manufacturer_a.pk, D("-10.00"), None
        ),
        f"cash-commission:order:{order.pk}:{manufacturer_b.pk}": (
            EntryKind.CASH_COMMISSION, manufacturer_b.pk, D("-6.00"), None
        ),
    }
    assert split_of(order).balanced
    assert Decimal(0) == sum(
        balance_of(manufacturer=m).available for m in (manufacturer_a, manufacturer_b)
    )
