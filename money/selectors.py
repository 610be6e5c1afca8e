"""Reads of the manufacturers' money.

A balance is always computed from the ledger, never stored:

- *pending*: entries not yet available (a sale within its hold after delivery);
- *settled*: every other entry; when positive it is *available* for a payout, when negative it
  is *owed* to the marketplace (commission on cash collected, a refund after a payout) and the
  next payouts net it;
- *paid out*: what payouts took, less what came back from failed or reversed ones.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.roles import (
    BackofficeAccess,
    BackofficeRole,
    backoffice_access,
    backoffice_role,
    scoped_to_owner,
)
from money.models import (
    BankAccount,
    EntryKind,
    LedgerEntry,
    Payout,
    PayoutRun,
    PayoutRunStatus,
    PayoutStatus,
    Refund,
    RefundStatus,
)
from orders.models import CheckoutPaymentStatus, OrderItem

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    available: Decimal
    pending: Decimal
    owed: Decimal
    paid_out: Decimal

    @property
    def settled(self) -> Decimal:
        """Available less owed: what a payout now would pay (when positive)."""
        return self.available - self.owed


def _sum(condition: Q) -> Coalesce:
    field = DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(Sum("amount", filter=condition), Value(ZERO), output_field=field)


def balances_of(*, manufacturer_ids, today: date | None = None) -> dict[int, Balance]:
    """Each manufacturer's balance on ``today`` (default: the local date), in one query."""
    today = today or timezone.localdate()
    pending = Q(available_on__gt=today)
    rows = (
        LedgerEntry.objects.filter(manufacturer_id__in=list(manufacturer_ids))
        .values("manufacturer_id")
        .annotate(
            settled=_sum(~pending),
            pending=_sum(pending),
            paid_out=_sum(Q(kind__in=[EntryKind.PAYOUT, EntryKind.PAYOUT_RETURN])),
        )
    )
    balances = {}
    for row in rows:
        settled = row["settled"]
        balances[row["manufacturer_id"]] = Balance(
            available=max(settled, ZERO),
            pending=row["pending"],
            owed=max(-settled, ZERO),
            paid_out=-row["paid_out"],
        )
    return balances


def balance_of(*, manufacturer, today: date | None = None) -> Balance:
    """One manufacturer's balance (zeros without entries)."""
    manufacturer_id = manufacturer if isinstance(manufacturer, int) else manufacturer.pk
    return balances_of(manufacturer_ids=[manufacturer_id], today=today).get(
        manufacturer_id, Balance(ZERO, ZERO, ZERO, ZERO)
    )


@dataclass(frozen=True)
class OrderSplit:
    """Where one order's money went. The ledger's invariant: ``paid == net + commission +
    refunded`` for every order, on every path (delivered, cash collected, refunded in part or
    in full, before or after delivery or payout)."""

    paid: Decimal  # what the buyer paid: online (paid checkout) or cash the seller collected
    net: Decimal  # what the manufacturer keeps (cash in hand plus their ledger entries)
    commission: Decimal  # what the marketplace keeps
    refunded: Decimal  # what went back to the buyer (refunds not failed)

    @property
    def balanced(self) -> bool:
        return self.paid == self.net + self.commission + self.refunded


PAID_ONLINE = (CheckoutPaymentStatus.PAID, CheckoutPaymentStatus.REFUND_DUE)
_COMMISSION_KINDS = (EntryKind.COMMISSION, EntryKind.CASH_COMMISSION, EntryKind.COMMISSION_REFUND)


def order_split(*, order) -> OrderSplit:
    """``order``'s money from the ledger and its refunds (three queries)."""
    entries = LedgerEntry.objects.filter(order_id=order.pk).aggregate(
        all=_sum(Q()),
        commission=_sum(Q(kind__in=_COMMISSION_KINDS)),
    )
    refunded = (
        Refund.objects.filter(order_id=order.pk)
        .exclude(status=RefundStatus.FAILED)
        .aggregate(total=_sum(Q()))["total"]
    )
    paid_online = order.checkout_id is not None and order.checkout.payment_status in PAID_ONLINE
    cash_collected = order.cash_collected_at is not None
    paid = order.total if (paid_online or cash_collected) else ZERO
    # Cash on delivery: the manufacturer holds the buyer's cash; their entries (the commission
    # owed, refunds) come off it.
    net = entries["all"] + (order.total if cash_collected and not paid_online else ZERO)
    return OrderSplit(paid=paid, net=net, commission=-entries["commission"], refunded=refunded)


# --- Payouts and bank accounts ----------------------------------------------------------------


def payouts_visible_to(*, user) -> QuerySet[Payout]:
    """Staff see every payout; a manufacturer their own; anybody else none."""
    return scoped_to_owner(
        Payout.objects.select_related("manufacturer__manufacturer_profile", "bank_account", "run"),
        user=user,
        owner_field="manufacturer",
    )


def bank_accounts_visible_to(*, user) -> QuerySet[BankAccount]:
    """Staff see every bank account (current and past: the history); a manufacturer theirs."""
    return scoped_to_owner(
        BankAccount.objects.select_related("manufacturer__manufacturer_profile", "created_by"),
        user=user,
        owner_field="manufacturer",
    )


def payout_runs_visible_to(*, user) -> QuerySet[PayoutRun]:
    """Payout runs are staff's: each with its payouts' count and total."""
    if backoffice_role(user) != BackofficeRole.STAFF:
        return PayoutRun.objects.none()
    live = ~Q(payouts__status=PayoutStatus.CANCELLED)
    return PayoutRun.objects.select_related("created_by", "approved_by").annotate(
        payout_count=Count("payouts", filter=live),
        payout_total=Coalesce(
            Sum("payouts__amount", filter=live),
            Value(ZERO),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
    )


def payouts_awaiting_approval() -> int:
    """Payouts proposed in a run that staff have not approved yet (one query)."""
    return Payout.objects.filter(
        status=PayoutStatus.PROPOSED, run__status=PayoutRunStatus.DRAFT
    ).count()


# --- Refunds ---------------------------------------------------------------------------------


def refunds_visible_to(*, user) -> QuerySet[Refund]:
    """Staff see every refund; a manufacturer the refunds of orders with a line of theirs
    (read-only); anybody else none."""
    refunds = Refund.objects.select_related("order", "created_by")
    role = backoffice_role(user)
    if role == BackofficeRole.STAFF:
        return refunds
    if role == BackofficeRole.MANUFACTURER and backoffice_access(user) != BackofficeAccess.AWAITING:
        own_line = OrderItem.objects.filter(order=OuterRef("order_id"), manufacturer_id=user.pk)
        return refunds.filter(Exists(own_line))
    return refunds.none()
