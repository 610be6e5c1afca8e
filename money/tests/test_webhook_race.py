"""The same transfer webhook delivered twice at once changes the ledger once: two threads post
the signed event to the live server together (real HTTP, each request on its own database
connection, released by a barrier), on SQLite and PostgreSQL (``DATABASE_URL``)."""

import json
import threading
from decimal import Decimal

import pytest
import requests

from money.models import EntryKind, LedgerEntry, PayoutStatus
from money.selectors import balance_of
from money.services.payouts import payout_run_approve, payout_run_create
from money.tests.helpers import bank_account, earning
from notifications.models import Notification, NotificationEvent
from orders.tests.conftest import paystack_signature

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERIES = 2


def deliver_at_once(url: str, body: bytes, count: int) -> list:
    barrier = threading.Barrier(count)
    answers: list = [None] * count
    headers = {"Content-Type": "application/json",
               "x-paystack-signature": paystack_signature(body)}

    def post(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            answers[index] = requests.post(url, data=body, headers=headers, timeout=120).status_code
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            answers[index] = repr(error)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a delivery never finished"
    return answers


@pytest.mark.parametrize("event", ["transfer.failed", "transfer.success"])
def test_a_transfer_event_delivered_twice_at_once_counts_once(
    live_server, paystack, settings, manufacturer_a, customer, phone, staff_user, event
):
    settings.PAYOUT_MINIMUM = Decimal("1000")
    earning(manufacturer_a, customer, phone, "1500.00")
    bank_account(manufacturer_a)
    run = payout_run_create(actor=staff_user)
    payout_run_approve(run=run, actor=staff_user)
    payout = run.payouts.get()
    body = json.dumps({
        "event": event,
        "data": {"reference": payout.reference, "amount": 150000, "reason": "Account closed"},
    }).encode()

    answers = deliver_at_once(f"{live_server.url}/paystack/webhook/", body, DELIVERIES)

    assert answers == [200] * DELIVERIES
    payout.refresh_from_db()
    failed = event == "transfer.failed"
    assert payout.status == (PayoutStatus.FAILED if failed else PayoutStatus.PAID)
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT_RETURN).count() == (1 if failed else 0)
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    told = NotificationEvent.PAYOUT_FAILED if failed else NotificationEvent.PAYOUT_PAID
    assert Notification.objects.filter(user=manufacturer_a, event=told).count() == 1
    expected = Decimal("1500.00") if failed else Decimal("0.00")
    assert balance_of(manufacturer=manufacturer_a).available == expected
