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

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round, TruncDate, TruncMonth
from django.utils import timezone

from core.ids import as_int
from core.money import quantize_money
from core.roles import (
    BackofficeAccess,
    BackofficeRole,
    backoffice_access,
    backoffice_role,
    scoped_to_owner,
)
from money.errors import MoneyError, MoneyErrorCode
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
from users.models import User

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
    """The entries' amounts added up, to the cent. SQLite keeps decimals as floating point and
    adds them as such (1035.00 came back as 1034.9999999999998, 0 as 7.3e-12): the sum is
    rounded to the cent in the query, and readers quantize it (``quantize_money``)."""
    field = DecimalField(max_digits=16, decimal_places=2)
    total = Round(Sum("amount", filter=condition), 2, output_field=field)
    return Coalesce(total, Value(ZERO), output_field=field)


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
        settled = quantize_money(row["settled"])
        balances[row["manufacturer_id"]] = Balance(
            available=settled if settled > 0 else ZERO,
            pending=quantize_money(row["pending"]),
            owed=-settled if settled < 0 else ZERO,
            paid_out=-quantize_money(row["paid_out"]),
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
    net = quantize_money(entries["all"]) + (
        order.total if cash_collected and not paid_online else ZERO
    )
    return OrderSplit(
        paid=paid,
        net=net,
        commission=-quantize_money(entries["commission"]),
        refunded=quantize_money(refunded),
    )


# --- Earnings: the ledger as a manufacturer (or staff, for one) reads it ---------------------


def ledger_entries_visible_to(*, user) -> QuerySet[LedgerEntry]:
    """Staff: every entry; a manufacturer: their own; anyone else none."""
    return scoped_to_owner(LedgerEntry.objects.all(), user=user, owner_field="manufacturer_id")


def earnings_manufacturer_for(*, user, manufacturer_id=None) -> User:
    """Whose earnings ``user`` reads: a manufacturer their own (naming another is a 404, as
    any row that is not theirs); staff the manufacturer they name (required).

    Raises ``MoneyError``: not a backoffice user, or a manufacturer awaiting approval (403);
    no such manufacturer, or not theirs (404); staff naming none (400)."""
    access = backoffice_access(user)
    if access is None or access == BackofficeAccess.AWAITING:
        raise MoneyError(
            "Earnings are for sellers and staff: sign in with a manufacturer account.",
            code=MoneyErrorCode.BACKOFFICE_ONLY,
        )
    raw = manufacturer_id if manufacturer_id not in (None, "") else None
    if backoffice_role(user) == BackofficeRole.MANUFACTURER:
        if raw is not None and as_int(raw) != user.pk:
            raise MoneyError(f"No manufacturer {raw}.", code=MoneyErrorCode.MANUFACTURER_UNKNOWN)
        return user
    if raw is None:
        raise MoneyError(
            "Name the manufacturer whose earnings to read (manufacturer=<id>).",
            code=MoneyErrorCode.MANUFACTURER_REQUIRED,
            field="manufacturer",
        )
    pk = as_int(raw)
    manufacturer = User.objects.filter(pk=pk, is_manufacturer=True).first() if pk else None
    if manufacturer is None:
        raise MoneyError(f"No manufacturer {raw}.", code=MoneyErrorCode.MANUFACTURER_UNKNOWN)
    return manufacturer


@dataclass(frozen=True)
class Release:
    available_on: date
    amount: Decimal


def pending_releases(*, manufacturer, today: date | None = None) -> list[Release]:
    """What becomes available when: the pending entries summed per release date (one query)."""
    today = today or timezone.localdate()
    rows = (
        LedgerEntry.objects.filter(manufacturer=manufacturer, available_on__gt=today)
        .values("available_on")
        .annotate(amount=Sum("amount"))
        .order_by("available_on")
    )
    return [Release(row["available_on"], row["amount"]) for row in rows]


def ledger_entries_of(*, manufacturer) -> QuerySet[LedgerEntry]:
    """A manufacturer's entries, newest first, with their order's number (one query a page)."""
    return (
        LedgerEntry.objects.filter(manufacturer=manufacturer)
        .select_related("order")
        .only(
            "pk", "manufacturer_id", "kind", "amount", "currency", "available_on", "key", "note",
            "created_at", "payout_id", "refund_id", "order__number", "order__id",
        )
        .order_by("-created_at", "-id")
    )


# --- Commission revenue: what the marketplace earned, by period or manufacturer (staff) ------

COMMISSION_GROUPS = {
    "month": TruncMonth("created_at"),
    "day": TruncDate("created_at"),
    "manufacturer": F("manufacturer_id"),
}


def _commission_rows(*, date_from: date | None, date_to: date | None) -> QuerySet:
    queryset = LedgerEntry.objects.filter(kind__in=_COMMISSION_KINDS)
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    return queryset.order_by()


def _commission_figures() -> dict:
    # Entries are negative when the marketplace takes commission: figures are shown positive.
    return {
        "orders": Count("order", distinct=True),
        "online": -_sum(Q(kind=EntryKind.COMMISSION)),
        "cash": -_sum(Q(kind=EntryKind.CASH_COMMISSION)),
        "returned": _sum(Q(kind=EntryKind.COMMISSION_REFUND)),
        "net": -_sum(Q()),
    }


def commission_revenue(
    *, group_by: str = "month", date_from: date | None = None, date_to: date | None = None
) -> QuerySet:
    """The marketplace's commission by month, day or manufacturer (the ledger's commission
    entries, dated when written: a delivery, cash collected, a refund): rows of ``bucket``,
    ``name`` (the manufacturer's company name), ``orders``, ``online`` (on sales paid
    online), ``cash`` (on cash collected), ``returned`` (with refunds) and ``net``; one
    query."""
    rows = (
        _commission_rows(date_from=date_from, date_to=date_to)
        .annotate(bucket=COMMISSION_GROUPS[group_by])
        .values("bucket")
        .annotate(name=Max("manufacturer__manufacturer_profile__display_name"),
                  email=Max("manufacturer__email"), **_commission_figures())
    )
    return rows.order_by("-net", "bucket") if group_by == "manufacturer" else rows.order_by("-bucket")


def commission_revenue_totals(
    *, date_from: date | None = None, date_to: date | None = None
) -> dict:
    """The report's totals row over the same entries (orders counted once)."""
    return _commission_rows(date_from=date_from, date_to=date_to).aggregate(
        **_commission_figures()
    )


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
