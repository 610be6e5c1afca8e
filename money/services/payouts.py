"""Paying manufacturers: payout runs, their approval, the transfers and their outcome.

1. **A run** (``payout_run_create``, staff): one proposed payout for every manufacturer whose
   available balance is at least ``PAYOUT_MINIMUM`` and who has a current bank account. One
   run awaits approval at a time (the same balance is never proposed twice).
2. **Approval** (``payout_run_approve``, staff): under a lock on each manufacturer, the balance
   is read again; a payout whose balance fell below its reviewed amount, or whose bank account
   changed since the review, is cancelled (it goes in the next run). Each other payout gets its
   PAYOUT ledger entry (``payout:<id>``: the balance cannot be paid twice) and is SENDING.
3. **Sending**: with Paystack (``PAYSTACK_SECRET_KEY``) a task per payout, after commit and
   outside any transaction (``payout_transfer_send``): the account's transfer recipient is
   created once, then the transfer under the payout's reference. Paystack refusing (a
   reference already used: a retry) is answered by asking Paystack about the reference: a
   transfer it holds was sent; none means the transfer was refused, and the payout failed.
   Paystack not answering leaves the payout SENDING without a transfer: ``payouts_send_due``
   (every few minutes) tries again with the same reference. Without Paystack, staff transfer
   the money themselves and record the bank's reference (``payout_manual_record``: PAID).
4. **The outcome** (``payout_transfer_settle``; Paystack's webhooks ``transfer.success``,
   ``transfer.failed``, ``transfer.reversed``): PAID, or FAILED/REVERSED with the amount back
   in the balance (PAYOUT_RETURN, ``payout-return:<id>``). Each outcome is taken once, by a
   conditional update of the payout's status: a webhook delivered twice at once changes the
   ledger once. The manufacturer is told when a payout is paid or fails.
"""

import logging
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.money import money_format
from money.errors import MoneyError, MoneyErrorCode
from money.models import (
    BankAccount,
    EntryKind,
    Payout,
    PayoutMethod,
    PayoutRun,
    PayoutRunStatus,
    PayoutStatus,
)
from money.paystack_transfers import (
    PaystackTransfer,
    paystack_recipient_create,
    paystack_transfer_create,
    paystack_transfer_verify,
)
from money.selectors import balances_of
from money.services.ledger import ledger_entry_add
from notifications.models import NotificationEvent
from notifications.services import notify
from orders.paystack import (
    PaystackRefused,
    PaystackUnavailable,
    amount_in_kobo,
    paystack_configured,
)
from users.models import User

logger = logging.getLogger(__name__)

SEND_TASK = "money.tasks.payout_send_task"
# A payout approved this long ago and still without a Paystack transfer is tried again.
RESEND_AFTER = timedelta(minutes=5)


def _staff_only(actor: User) -> None:
    if not (actor and actor.is_staff):
        raise MoneyError("Only staff pay manufacturers.", code=MoneyErrorCode.STAFF_ONLY)


def _new_reference() -> str:
    return f"martaf-po-{uuid.uuid4().hex[:24]}"


# --- Runs -------------------------------------------------------------------------------------


@transaction.atomic
def payout_run_create(*, actor: User, today: date | None = None) -> PayoutRun:
    """A run proposing a payout of the available balance to each manufacturer who has at least
    ``PAYOUT_MINIMUM`` available and a current bank account."""
    _staff_only(actor)
    # Runs are made one at a time: the second of two staff asking at once waits, then sees the
    # first's draft.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if PayoutRun.objects.filter(status=PayoutRunStatus.DRAFT).exists():
        raise MoneyError(
            "A payout run is already awaiting approval: approve or cancel it first.",
            code=MoneyErrorCode.RUN_ALREADY_OPEN,
        )
    accounts = {
        account.manufacturer_id: account
        for account in BankAccount.objects.filter(is_current=True, manufacturer__is_active=True)
    }
    balances = balances_of(manufacturer_ids=accounts, today=today)
    due = {
        manufacturer_id: balance.available
        for manufacturer_id, balance in balances.items()
        if balance.available >= settings.PAYOUT_MINIMUM and balance.available > 0
    }
    if not due:
        raise MoneyError(
            "No manufacturer has %(minimum)s available and a bank account: nothing to pay."
            % {"minimum": money_format(settings.PAYOUT_MINIMUM)},
            code=MoneyErrorCode.NOTHING_TO_PAY,
        )
    run = PayoutRun.objects.create(created_by=actor)
    method = PayoutMethod.PAYSTACK if paystack_configured() else PayoutMethod.MANUAL
    Payout.objects.bulk_create(
        [
            Payout(
                run=run,
                manufacturer_id=manufacturer_id,
                amount=amount,
                bank_account=accounts[manufacturer_id],
                method=method,
                reference=_new_reference(),
            )
            for manufacturer_id, amount in sorted(due.items())
        ]
    )
    return run


def _draft_locked(run: PayoutRun) -> PayoutRun:
    locked = PayoutRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != PayoutRunStatus.DRAFT:
        raise MoneyError(
            "This payout run is no longer awaiting approval.", code=MoneyErrorCode.RUN_NOT_DRAFT
        )
    return locked


@transaction.atomic
def payout_run_cancel(*, run: PayoutRun, actor: User) -> PayoutRun:
    """Drop a run awaiting approval: nothing was paid, nothing is."""
    _staff_only(actor)
    run = _draft_locked(run)
    run.payouts.filter(status=PayoutStatus.PROPOSED).update(
        status=PayoutStatus.CANCELLED, failure_reason="The run was cancelled."
    )
    run.status = PayoutRunStatus.CANCELLED
    run.save(update_fields=["status"])
    return run


@transaction.atomic
def payout_run_approve(*, run: PayoutRun, actor: User, today: date | None = None) -> PayoutRun:
    """Approve a run: each payout still covered by its manufacturer's balance is taken off the
    balance (PAYOUT entry) and sent; the others are cancelled with the reason."""
    _staff_only(actor)
    run = _draft_locked(run)
    payouts = list(
        run.payouts.filter(status=PayoutStatus.PROPOSED).select_related("bank_account")
    )
    manufacturer_ids = sorted({payout.manufacturer_id for payout in payouts})
    # The balance is read and taken under a lock on each manufacturer (in one order, so two
    # approvals never deadlock): whatever else pays them waits, then sees the entry.
    list(User.objects.select_for_update().filter(pk__in=manufacturer_ids).order_by("pk"))
    balances = balances_of(manufacturer_ids=manufacturer_ids, today=today)
    current = set(
        BankAccount.objects.filter(manufacturer_id__in=manufacturer_ids, is_current=True)
        .values_list("pk", flat=True)
    )
    sending = []
    for payout in payouts:
        balance = balances.get(payout.manufacturer_id)
        if payout.bank_account_id not in current:
            _cancel(payout, "The bank account changed after the run was made.")
        elif balance is None or balance.available < payout.amount:
            _cancel(payout, "The available balance fell below this amount before approval.")
        else:
            ledger_entry_add(
                manufacturer=payout.manufacturer_id,
                kind=EntryKind.PAYOUT,
                amount=-payout.amount,
                key=f"payout:{payout.pk}",
                payout=payout,
                note=f"Payout {payout.reference}",
            )
            payout.status = PayoutStatus.SENDING
            payout.save(update_fields=["status"])
            sending.append(payout)
    run.status = PayoutRunStatus.APPROVED
    run.approved_at = timezone.now()
    run.approved_by = actor
    run.save(update_fields=["status", "approved_at", "approved_by"])
    for payout in sending:
        if payout.method == PayoutMethod.PAYSTACK:
            transaction.on_commit(lambda pk=payout.pk: payout_send_enqueue(pk))
    return run


def _cancel(payout: Payout, reason: str) -> None:
    payout.status = PayoutStatus.CANCELLED
    payout.failure_reason = reason
    payout.save(update_fields=["status", "failure_reason"])


# --- Manual payouts ---------------------------------------------------------------------------


@transaction.atomic
def payout_manual_record(*, payout: Payout, bank_reference: str, actor: User) -> Payout:
    """Staff made an approved manual payout's transfer themselves: record the bank's reference;
    the payout is PAID. Recording it again changes nothing."""
    _staff_only(actor)
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise MoneyError("Give the bank's reference of the transfer.",
                         code=MoneyErrorCode.BANK_REFERENCE_REQUIRED, field="bank_reference")
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.method != PayoutMethod.MANUAL or payout.status not in (
        PayoutStatus.SENDING,
        PayoutStatus.PAID,
    ):
        raise MoneyError("Only an approved manual payout is recorded as paid by hand.",
                         code=MoneyErrorCode.NOT_MANUAL_PAYOUT)
    if payout.status == PayoutStatus.PAID:
        return payout
    now = timezone.now()
    Payout.objects.filter(pk=payout.pk).update(
        status=PayoutStatus.PAID, bank_reference=bank_reference[:100], sent_at=now, settled_at=now
    )
    payout.refresh_from_db()
    _tell(payout)
    return payout


# --- Paystack transfers -----------------------------------------------------------------------


def payout_send_enqueue(payout_id: int) -> None:
    """Queue the transfer of one payout. Never raises: the resend sweep picks it up."""
    from django_q.tasks import async_task

    try:
        async_task(SEND_TASK, payout_id, group="payouts")
    except Exception:
        logger.exception("Could not queue payout %s; the resend sweep will.", payout_id)


def _recipient_of(account: BankAccount, manufacturer_name: str) -> str:
    """The account's Paystack recipient, created on its first payout and kept."""
    if account.recipient_code:
        return account.recipient_code
    code = paystack_recipient_create(
        name=account.account_name or manufacturer_name,
        account_number=account.account_number,
        bank_code=account.bank_code,
    )
    # Two workers at once: the first code stored is the one used.
    BankAccount.objects.filter(pk=account.pk, recipient_code="").update(recipient_code=code)
    return BankAccount.objects.values_list("recipient_code", flat=True).get(pk=account.pk)


def payout_transfer_send(*, payout_id: int) -> str:
    """Send one approved Paystack payout (outside any transaction: the calls wait on Paystack
    with no row locked). Returns what happened: "sent", "failed", "retry later" or "nothing to
    do" (not SENDING, not Paystack's, or its transfer already made)."""
    payout = Payout.objects.select_related("bank_account", "manufacturer").get(pk=payout_id)
    if (
        payout.status != PayoutStatus.SENDING
        or payout.method != PayoutMethod.PAYSTACK
        or payout.transfer_code
    ):
        return "nothing to do"
    try:
        recipient = _recipient_of(payout.bank_account, payout.manufacturer.display_name)
        transfer = paystack_transfer_create(
            amount=payout.amount,
            recipient_code=recipient,
            reference=payout.reference,
            reason=f"MARTAF payout {payout.reference}",
        )
    except PaystackRefused as refusal:
        # A reference already used (this is a retry) or a transfer refused outright: what
        # Paystack holds under the reference says which.
        try:
            transfer = paystack_transfer_verify(reference=payout.reference)
        except PaystackRefused:
            payout_transfer_settle(reference=payout.reference, outcome="failed",
                                   reason=str(refusal))
            return "failed"
        except PaystackUnavailable:
            return "retry later"
    except PaystackUnavailable:
        return "retry later"
    _transfer_record(payout, transfer)
    return "sent"


def _transfer_record(payout: Payout, transfer: PaystackTransfer) -> None:
    Payout.objects.filter(pk=payout.pk, transfer_code="").update(
        transfer_code=transfer.transfer_code[:64], sent_at=timezone.now()
    )
    if transfer.status in ("success", "failed", "reversed"):
        payout_transfer_settle(reference=payout.reference, outcome=transfer.status)


def payouts_send_due(*, now=None) -> int:
    """Queue again the Paystack payouts approved a while ago whose transfer was never made
    (Paystack unreachable, a worker lost); each retry reuses the payout's reference."""
    now = now or timezone.now()
    due = list(
        Payout.objects.filter(
            status=PayoutStatus.SENDING,
            method=PayoutMethod.PAYSTACK,
            transfer_code="",
            run__approved_at__lte=now - RESEND_AFTER,
        ).values_list("pk", flat=True)
    )
    for payout_id in due:
        payout_send_enqueue(payout_id)
    return len(due)


# --- Outcomes ---------------------------------------------------------------------------------

_OUTCOMES = {
    # outcome: (the status it sets, the statuses it may come from)
    "success": (PayoutStatus.PAID, [PayoutStatus.SENDING]),
    "failed": (PayoutStatus.FAILED, [PayoutStatus.SENDING]),
    "reversed": (PayoutStatus.REVERSED, [PayoutStatus.SENDING, PayoutStatus.PAID]),
}


@transaction.atomic
def payout_transfer_settle(
    *, reference: str, outcome: str, reason: str = "", amount_kobo: int | None = None
) -> Payout | None:
    """Record what became of the transfer of payout ``reference``: "success", "failed" or
    "reversed". Returns the payout when this call changed it; None when the outcome was
    already recorded (a webhook delivered again), does not apply (an unknown reference, a
    failed payout reported paid) or names another amount."""
    if outcome not in _OUTCOMES:
        return None
    status, sources = _OUTCOMES[outcome]
    payout = Payout.objects.filter(reference=reference).first()
    if payout is None:
        logger.warning("Paystack reported %s for an unknown payout %r", outcome, reference)
        return None
    if amount_kobo is not None and amount_kobo != amount_in_kobo(payout.amount):
        logger.warning("Paystack reported %s of %s kobo for payout %s of %s: ignored",
                       outcome, amount_kobo, reference, payout.amount)
        return None
    now = timezone.now()
    # The one conditional update that takes the outcome: a twin delivery updates nothing.
    taken = Payout.objects.filter(Q(pk=payout.pk) & Q(status__in=sources)).update(
        status=status, settled_at=now, failure_reason=reason[:255]
    )
    if not taken:
        return None
    payout.refresh_from_db()
    if status in (PayoutStatus.FAILED, PayoutStatus.REVERSED):
        ledger_entry_add(
            manufacturer=payout.manufacturer_id,
            kind=EntryKind.PAYOUT_RETURN,
            amount=payout.amount,
            key=f"payout-return:{payout.pk}",
            payout=payout,
            note=f"Payout {payout.reference} {status}",
        )
    _tell(payout)
    return payout


def _tell(payout: Payout) -> None:
    """The manufacturer hears that a payout was paid, or failed and is back in their balance."""
    manufacturer = User.objects.get(pk=payout.manufacturer_id)
    paid = payout.status == PayoutStatus.PAID
    notify(
        event=NotificationEvent.PAYOUT_PAID if paid else NotificationEvent.PAYOUT_FAILED,
        recipients=[manufacturer],
        context={
            "amount": money_format(payout.amount),
            "bank_account": str(payout.bank_account) if payout.bank_account_id else "",
            "reason": payout.failure_reason or "—",
            "reference": payout.reference,
        },
        link=reverse("admin:money_payout_change", args=[payout.pk]),
    )

