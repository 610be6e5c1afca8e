"""Two staff refund the same lines of an order at once (two threads, each its own connection
and durable transaction, released together): the lines are refunded once, the other is refused
as more than is left, and the ledger and stock moved once (SQLite by default, PostgreSQL with
``DATABASE_URL``; see orders/tests/conftest.py's ``race_database``)."""

import threading

import pytest
from django.db import connections

from catalog.models import StockMovement
from money.errors import RefundError, RefundErrorCode
from money.models import LedgerEntry, Refund
from money.selectors import order_split
from money.services.refunds import RefundLineRequest, refund_create
from money.tests.refund_helpers import deliver, paid_online_order
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_lines_refunded_twice_at_once_are_refunded_once(
    race_database, buyer, paystack, phone, case, staff_user, settings
):
    order = deliver(paid_online_order(buyer, paystack, [(phone, 3, None), (case, 2, None)]),
                    staff_user)
    settings.PAYSTACK_SECRET_KEY = ""  # paid back by hand: recorded at once
    lines = [RefundLineRequest(item.pk, item.quantity) for item in order.items.all()]
    entries, movements = LedgerEntry.objects.count(), StockMovement.objects.count()
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def refund(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                made = refund_create(order=order, actor=staff_user, reason=f"Twin {index}",
                                     lines=lines, returned_to_stock=True)
            except RefundError as error:
                outcomes[index] = error.code
            else:
                outcomes[index] = made.pk
        except Exception as error:  # "database is locked" or a deadlock would land here
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refund, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert sorted(outcomes, key=str).count(RefundErrorCode.TOO_MUCH) == 1, outcomes
    refund = Refund.objects.get()
    assert refund.pk in outcomes
    assert LedgerEntry.objects.count() == entries + 2  # one REFUND, one COMMISSION_REFUND
    assert StockMovement.objects.count() == movements + 2  # each line's units back once
    split = order_split(order=Order.objects.select_related("checkout").get(pk=order.pk))
    assert split.balanced and split.refunded == refund.amount <= order.total
