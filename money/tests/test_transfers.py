"""Payouts through Paystack (the fake, over real HTTP): a task per payout after approval, the
recipient created once, the transfer under the payout's reference; a retry never pays twice;
the outcome by webhook (signed), once; a failed or reversed transfer puts the amount back in
the balance."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from money.models import EntryKind, LedgerEntry, Payout, PayoutMethod, PayoutStatus
from money.paystack_transfers import paystack_transfer_create
from money.selectors import balance_of
from money.services.payouts import (
    _recipient_of,
    payout_run_approve,
    payout_run_create,
    payout_transfer_send,
    payouts_send_due,
)
from money.tests.helpers import bank_account, earning, ledger_of
from notifications.models import Notification, NotificationEvent
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(paystack, settings, manufacturer_a, customer, phone, staff_user,
             django_capture_on_commit_callbacks):
    """Maker A's 1,500.00 in a run approved with Paystack on; the send task not run yet."""
    settings.PAYOUT_MINIMUM = Decimal("1000")
    earning(manufacturer_a, customer, phone, "1500.00")
    bank_account(manufacturer_a, name="MAKER A LIMITED")
    run = payout_run_create(actor=staff_user)
    with django_capture_on_commit_callbacks() as queued:  # the send task, not run
        payout_run_approve(run=run, actor=staff_user)
    assert len(queued) == 1
    return run.payouts.get()


def transfer_event(event: str, payout: Payout, **data) -> bytes:
    return json.dumps({
        "event": event,
        "data": {"reference": payout.reference, "amount": int(payout.amount * 100),
                 "status": event.split(".")[1], **data},
    }).encode()


def deliver(client, body: bytes):
    return post_webhook(client, body, paystack_signature(body))


def test_approval_queues_a_transfer_that_creates_the_recipient_once(
    approved, paystack, manufacturer_a
):
    assert approved.method == PayoutMethod.PAYSTACK

    assert payout_transfer_send(payout_id=approved.pk) == "sent"
    assert payout_transfer_send(payout_id=approved.pk) == "nothing to do"

    approved.refresh_from_db()
    transfer = paystack.transfers[approved.reference]
    assert (transfer["amount"], transfer["currency"]) == (150000, "NGN")
    assert approved.transfer_code == transfer["transfer_code"]
    assert approved.sent_at is not None
    assert approved.status == PayoutStatus.SENDING  # until Paystack says how it ended
    recipient = approved.bank_account.recipient_code
    assert list(paystack.recipients) == [recipient]
    assert paystack.recipients[recipient]["name"] == "MAKER A LIMITED"
    assert len(paystack.transfers) == 1


def test_the_task_runs_after_the_approval_commits(
    paystack, settings, manufacturer_a, customer, phone, staff_user,
    django_capture_on_commit_callbacks,
):
    settings.PAYOUT_MINIMUM = Decimal("1000")
    earning(manufacturer_a, customer, phone, "1500.00")
    bank_account(manufacturer_a)
    run = payout_run_create(actor=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        payout_run_approve(run=run, actor=staff_user)

    payout = run.payouts.get()
    assert list(paystack.transfers) == [payout.reference]
    assert payout.transfer_code


def test_a_retry_with_the_same_reference_never_pays_twice(approved, paystack):
    # The first attempt reached Paystack but its answer was lost: Paystack has the transfer,
    # we have no transfer code.
    recipient = _recipient_of(approved.bank_account, "Maker A")
    first = paystack_transfer_create(amount=approved.amount, recipient_code=recipient,
                                     reference=approved.reference, reason="lost answer")

    assert payout_transfer_send(payout_id=approved.pk) == "sent"

    approved.refresh_from_db()
    assert len(paystack.transfers) == 1
    assert approved.transfer_code == first.transfer_code
    posts = [c for c in paystack.calls if (c["method"], c["path"]) == ("POST", "/transfer")]
    assert len(posts) == 2  # the retry was sent, refused as a duplicate, then verified
    assert paystack.calls[-1]["path"] == f"/transfer/verify/{approved.reference}"


def test_paystack_down_leaves_the_payout_for_the_resend_sweep(approved, paystack):
    paystack.down = True

    assert payout_transfer_send(payout_id=approved.pk) == "retry later"

    approved.refresh_from_db()
    assert (approved.status, approved.transfer_code) == (PayoutStatus.SENDING, "")
    assert payouts_send_due() == 0  # too early: the queued task may still be running
    paystack.down = False
    later = timezone.now() + timedelta(minutes=6)
    assert payouts_send_due(now=later) == 1  # run inline in the tests: sent now
    approved.refresh_from_db()
    assert approved.transfer_code
    assert list(paystack.transfers) == [approved.reference]
    assert payouts_send_due(now=later) == 0


def test_a_transfer_paystack_refuses_fails_and_returns_the_amount(
    approved, paystack, manufacturer_a
):
    _recipient_of(approved.bank_account, "Maker A")  # made; the transfer is what is refused
    paystack.fail("POST", "/transfer", 400, "Your balance is not enough to fulfil this request")

    assert payout_transfer_send(payout_id=approved.pk) == "failed"

    approved.refresh_from_db()
    assert approved.status == PayoutStatus.FAILED
    assert "balance is not enough" in approved.failure_reason
    assert ledger_of(manufacturer_a) == sorted([
        (EntryKind.EARNING, Decimal("1500.00")),
        (EntryKind.PAYOUT, Decimal("-1500.00")),
        (EntryKind.PAYOUT_RETURN, Decimal("1500.00")),
    ])
    assert balance_of(manufacturer=manufacturer_a).available == Decimal("1500.00")
    assert Notification.objects.filter(user=manufacturer_a,
                                       event=NotificationEvent.PAYOUT_FAILED).count() == 1


def test_transfer_success_by_webhook_pays_once(approved, client, manufacturer_a):
    payout_transfer_send(payout_id=approved.pk)
    body = transfer_event("transfer.success", approved)

    responses = [deliver(client, body).status_code for _ in range(3)]

    assert responses == [200, 200, 200]
    approved.refresh_from_db()
    assert approved.status == PayoutStatus.PAID
    assert Notification.objects.filter(user=manufacturer_a,
                                       event=NotificationEvent.PAYOUT_PAID).count() == 1
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.paid_out) == (Decimal("0.00"), Decimal("1500.00"))


@pytest.mark.parametrize("event", ["transfer.failed", "transfer.reversed"])
def test_a_failed_or_reversed_transfer_returns_the_amount_once(
    approved, client, manufacturer_a, event
):
    payout_transfer_send(payout_id=approved.pk)
    body = transfer_event(event, approved, reason="Account closed")

    assert [deliver(client, body).status_code for _ in range(2)] == [200, 200]

    approved.refresh_from_db()
    assert approved.status == event.split(".")[1]
    assert approved.failure_reason == "Account closed"
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT_RETURN).count() == 1
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.paid_out) == (Decimal("1500.00"), Decimal("0.00"))
    told = Notification.objects.get(user=manufacturer_a, event=NotificationEvent.PAYOUT_FAILED)
    assert "Account closed" in told.body


def test_a_paid_payout_reversed_later_returns_the_amount(approved, client, manufacturer_a):
    deliver(client, transfer_event("transfer.success", approved))

    deliver(client, transfer_event("transfer.reversed", approved))

    approved.refresh_from_db()
    assert approved.status == PayoutStatus.REVERSED
    assert balance_of(manufacturer=manufacturer_a).available == Decimal("1500.00")


def test_a_failure_after_success_is_ignored(approved, client, manufacturer_a):
    deliver(client, transfer_event("transfer.success", approved))

    deliver(client, transfer_event("transfer.failed", approved))

    approved.refresh_from_db()
    assert approved.status == PayoutStatus.PAID
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT_RETURN).exists()


def test_events_that_do_not_match_change_nothing(approved, client, manufacturer_a):
    wrong_amount = transfer_event("transfer.failed", approved, amount=1)
    unknown = json.dumps({"event": "transfer.failed",
                          "data": {"reference": "not-ours", "amount": 150000}}).encode()
    forged = transfer_event("transfer.failed", approved)

    assert deliver(client, wrong_amount).status_code == 200
    assert deliver(client, unknown).status_code == 200
    assert post_webhook(client, forged, paystack_signature(forged, key="sk_forged")).status_code \
        == 400

    approved.refresh_from_db()
    assert approved.status == PayoutStatus.SENDING
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT_RETURN).exists()
