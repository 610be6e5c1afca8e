"""The ledger's ground rules: one entry per event, never edited or deleted, and balances
that are sums of entries (available, pending, owed, paid out)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from money.models import EntryKind, LedgerEntry, Payout, PayoutMethod
from money.selectors import balance_of, balances_of
from money.services import ledger_entry_add
from orders.tests.helpers import line, place, public_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture
def order(manufacturer_a, staff_user, customer):
    product = public_product(manufacturer_a, approver=staff_user, price="250.00")
    return place(customer, line(product, 2))


def add(manufacturer, kind, amount, key, **links):
    return ledger_entry_add(
        manufacturer=manufacturer, kind=kind, amount=Decimal(amount), key=key, **links
    )


def test_an_event_is_written_once(order, manufacturer_a):
    first = add(manufacturer_a, EntryKind.EARNING, "500", "earning:order:1", order=order)
    again = add(manufacturer_a, EntryKind.EARNING, "500", "earning:order:1", order=order)
    assert first is not None and again is None
    assert LedgerEntry.objects.filter(key="earning:order:1").count() == 1


def test_amounts_are_rounded_to_the_cent_halves_up(order, manufacturer_a):
    entry = add(manufacturer_a, EntryKind.COMMISSION, "-12.345", "commission:order:1", order=order)
    entry.refresh_from_db()
    assert entry.amount == Decimal("-12.35")


def test_an_entry_is_never_edited_or_deleted(order, manufacturer_a):
    entry = add(manufacturer_a, EntryKind.EARNING, "500", "earning:order:1", order=order)
    entry.amount = Decimal("1000")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("500.00")


def test_balance_is_the_sum_of_entries_split_by_availability(order, manufacturer_a):
    # A sale released yesterday, one released tomorrow (pending), cash commission owed.
    add(manufacturer_a, EntryKind.EARNING, "500", "e1", order=order, available_on=TODAY)
    add(manufacturer_a, EntryKind.COMMISSION, "-50", "c1", order=order, available_on=TODAY)
    later = TODAY + timedelta(days=1)
    add(manufacturer_a, EntryKind.EARNING, "300", "e2", order=order, available_on=later)
    add(manufacturer_a, EntryKind.CASH_COMMISSION, "-20", "cc", order=order)
    payout = Payout.objects.create(
        manufacturer=manufacturer_a,
        amount=Decimal("100"),
        method=PayoutMethod.MANUAL,
        reference="po-1",
    )
    add(manufacturer_a, EntryKind.PAYOUT, "-100", "payout:1", payout=payout)

    balance = balance_of(manufacturer=manufacturer_a, today=TODAY)
    assert balance.available == Decimal("330.00")  # 500 - 50 - 20 - 100
    assert balance.pending == Decimal("300.00")
    assert balance.owed == Decimal("0.00")
    assert balance.paid_out == Decimal("100.00")

    # A payout that came back is no longer paid out, and is available again.
    add(manufacturer_a, EntryKind.PAYOUT_RETURN, "100", "payout-return:1", payout=payout)
    balance = balance_of(manufacturer=manufacturer_a, today=TODAY)
    assert (balance.available, balance.paid_out) == (Decimal("430.00"), Decimal("0.00"))


def test_a_negative_settled_balance_is_owed_not_available(order, manufacturer_a):
    add(manufacturer_a, EntryKind.CASH_COMMISSION, "-25", "cc", order=order)
    add(
        manufacturer_a, EntryKind.EARNING, "90", "e", order=order, available_on=TODAY + timedelta(7)
    )
    balance = balance_of(manufacturer=manufacturer_a, today=TODAY)
    assert (balance.available, balance.owed, balance.pending) == (
        Decimal("0.00"),
        Decimal("25.00"),
        Decimal("90.00"),
    )
    assert balance.settled == Decimal("-25.00")


def test_balances_of_many_in_one_query(
    order, manufacturer_a, manufacturer_b, django_assert_num_queries
):
    add(manufacturer_a, EntryKind.EARNING, "10", "a", order=order)
    add(manufacturer_b, EntryKind.EARNING, "20", "b", order=order)
    with django_assert_num_queries(1):
        balances = balances_of(manufacturer_ids=[manufacturer_a.pk, manufacturer_b.pk], today=TODAY)
    assert balances[manufacturer_a.pk].available == Decimal("10.00")
    assert balances[manufacturer_b.pk].available == Decimal("20.00")
    # Without entries: zeros, not an error.
    assert balance_of(manufacturer=manufacturer_b.pk + 1000, today=TODAY).available == 0
