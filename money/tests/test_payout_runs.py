"""Payout runs: who is proposed, approval (the PAYOUT entry, once; a balance that fell or a bank
account that changed since the review is left for the next run), cancel, manual payouts.
Refusals change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from money.errors import MoneyError, MoneyErrorCode
from money.models import (
    EntryKind,
    LedgerEntry,
    Payout,
    PayoutMethod,
    PayoutRun,
    PayoutRunStatus,
    PayoutStatus,
)
from money.selectors import balance_of
from money.services.ledger import ledger_entry_add
from money.services.payouts import (
    payout_manual_record,
    payout_run_approve,
    payout_run_cancel,
    payout_run_create,
)
from money.tests.helpers import bank_account, earning, payouts_state
from notifications.models import Notification, NotificationEvent, OutboundMessage
from orders.tests.helpers import public_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def balances(settings, manufacturer_a, manufacturer_b, customer, phone, staff_user):
    """Maker A: 1,500 available (and 700 pending), an account. Maker B: 999.99 available (under
    the minimum of 1,000), an account."""
    settings.PAYOUT_MINIMUM = Decimal("1000")
    today = timezone.localdate()
    earning(manufacturer_a, customer, phone, "1500.00")
    earning(manufacturer_a, customer, phone, "700.00", available_on=today + timedelta(days=3))
    stool = public_product(manufacturer_b, approver=staff_user, name="Stool")
    earning(manufacturer_b, customer, stool, "999.99")
    bank_account(manufacturer_a)
    bank_account(manufacturer_b, "1111111111")


def test_a_run_proposes_each_manufacturer_over_the_minimum_with_an_account(
    balances, staff_user, manufacturer_a
):
    run = payout_run_create(actor=staff_user)

    payout = run.payouts.get()
    assert (payout.manufacturer, payout.amount, payout.status, payout.method) == (
        manufacturer_a, Decimal("1500.00"), PayoutStatus.PROPOSED, PayoutMethod.MANUAL
    )
    assert payout.bank_account.account_number == "0123456789"
    assert run.status == PayoutRunStatus.DRAFT
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()  # nothing paid yet


def test_a_manufacturer_without_a_bank_account_is_not_proposed(
    balances, staff_user, manufacturer_a
):
    manufacturer_a.bank_accounts.update(is_current=False)

    with pytest.raises(MoneyError) as refused:
        payout_run_create(actor=staff_user)

    assert refused.value.code == MoneyErrorCode.NOTHING_TO_PAY
    assert not PayoutRun.objects.exists()


def test_one_run_awaits_approval_at_a_time(balances, staff_user):
    payout_run_create(actor=staff_user)

    with pytest.raises(MoneyError) as refused:
        payout_run_create(actor=staff_user)

    assert refused.value.code == MoneyErrorCode.RUN_ALREADY_OPEN
    assert PayoutRun.objects.count() == 1


def test_approval_takes_the_amount_off_the_balance_once(balances, staff_user, manufacturer_a):
    run = payout_run_create(actor=staff_user)

    payout_run_approve(run=run, actor=staff_user)

    payout = run.payouts.get()
    assert payout.status == PayoutStatus.SENDING
    entry = LedgerEntry.objects.get(kind=EntryKind.PAYOUT)
    assert (entry.key, entry.amount, entry.payout) == (
        f"payout:{payout.pk}", Decimal("-1500.00"), payout
    )
    balance = balance_of(manufacturer=manufacturer_a)
    assert (balance.available, balance.pending, balance.paid_out) == (
        Decimal("0.00"), Decimal("700.00"), Decimal("1500.00")
    )
    with pytest.raises(MoneyError) as refused:
        payout_run_approve(run=run, actor=staff_user)
    assert refused.value.code == MoneyErrorCode.RUN_NOT_DRAFT
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1


def test_a_balance_that_fell_since_the_review_is_left_for_the_next_run(
    balances, staff_user, manufacturer_a
):
    run = payout_run_create(actor=staff_user)
    payout = run.payouts.get()
    # Something took money off the balance after the review (e.g. a refund).
    ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.REFUND, amount=Decimal("-1"),
                     key="test:refund", payout=payout)

    payout_run_approve(run=run, actor=staff_user)

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.CANCELLED
    assert "fell below" in payout.failure_reason
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()
    assert balance_of(manufacturer=manufacturer_a).available == Decimal("1499.00")


def test_a_bank_account_changed_since_the_review_is_not_paid(balances, staff_user, manufacturer_a):
    run = payout_run_create(actor=staff_user)
    bank_account(manufacturer_a, "2222222222")

    payout_run_approve(run=run, actor=staff_user)

    payout = run.payouts.get()
    assert (payout.status, payout.failure_reason) == (
        PayoutStatus.CANCELLED, "The bank account changed after the run was made."
    )
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


def test_a_cancelled_run_pays_nothing_and_frees_the_next_run(balances, staff_user):
    run = payout_run_create(actor=staff_user)

    payout_run_cancel(run=run, actor=staff_user)

    assert run.payouts.get().status == PayoutStatus.CANCELLED
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()
    assert payout_run_create(actor=staff_user).payouts.get().amount == Decimal("1500.00")
    with pytest.raises(MoneyError):
        payout_run_approve(run=run, actor=staff_user)


def test_only_staff_make_approve_or_cancel_runs(balances, staff_user, manufacturer_a):
    run = payout_run_create(actor=staff_user)
    before = payouts_state()

    for attempt in (
        lambda: payout_run_create(actor=manufacturer_a),
        lambda: payout_run_approve(run=run, actor=manufacturer_a),
        lambda: payout_run_cancel(run=run, actor=manufacturer_a),
    ):
        with pytest.raises(MoneyError) as refused:
            attempt()
        assert (refused.value.code, refused.value.status) == (MoneyErrorCode.STAFF_ONLY, 403)

    assert payouts_state() == before
    assert PayoutRun.objects.get().status == PayoutRunStatus.DRAFT


def test_a_manual_payout_is_paid_when_staff_record_the_bank_reference(
    balances, staff_user, manufacturer_a, django_capture_on_commit_callbacks
):
    run = payout_run_create(actor=staff_user)
    payout_run_approve(run=run, actor=staff_user)
    payout = run.payouts.get()

    with django_capture_on_commit_callbacks(execute=True):
        payout_manual_record(payout=payout, bank_reference=" FT2612070042 ", actor=staff_user)
    payout_manual_record(payout=payout, bank_reference="again", actor=staff_user)  # no change

    payout.refresh_from_db()
    assert (payout.status, payout.bank_reference) == (PayoutStatus.PAID, "FT2612070042")
    assert payout.settled_at is not None
    told = Notification.objects.get(user=manufacturer_a, event=NotificationEvent.PAYOUT_PAID)
    assert told.title == "Payout of ₦1,500.00 sent"
    assert OutboundMessage.objects.filter(recipient=manufacturer_a.email, channel="email").exists()
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1


def test_a_manual_payout_needs_a_reference_and_staff(balances, staff_user, manufacturer_a):
    run = payout_run_create(actor=staff_user)
    payout_run_approve(run=run, actor=staff_user)
    payout = run.payouts.get()
    before = payouts_state()

    with pytest.raises(MoneyError) as no_reference:
        payout_manual_record(payout=payout, bank_reference="  ", actor=staff_user)
    with pytest.raises(MoneyError) as not_staff:
        payout_manual_record(payout=payout, bank_reference="FT1", actor=manufacturer_a)

    assert no_reference.value.code == MoneyErrorCode.BANK_REFERENCE_REQUIRED
    assert not_staff.value.code == MoneyErrorCode.STAFF_ONLY
    assert payouts_state() == before


def test_a_proposed_payout_cannot_be_recorded_paid(balances, staff_user):
    payout = payout_run_create(actor=staff_user).payouts.get()
    before = payouts_state()

    with pytest.raises(MoneyError) as refused:
        payout_manual_record(payout=payout, bank_reference="FT1", actor=staff_user)

    assert refused.value.code == MoneyErrorCode.NOT_MANUAL_PAYOUT
    assert payouts_state() == before
    assert Payout.objects.get().status == PayoutStatus.PROPOSED


def test_the_database_keeps_one_run_awaiting_approval(staff_user):
    from django.db import IntegrityError, transaction

    PayoutRun.objects.create(created_by=staff_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutRun.objects.create(created_by=staff_user)  # two staff asking at once
    PayoutRun.objects.create(created_by=staff_user, status=PayoutRunStatus.CANCELLED)

    assert PayoutRun.objects.filter(status=PayoutRunStatus.DRAFT).count() == 1
