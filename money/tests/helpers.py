"""Plain helpers of the money tests: balances to pay and bank accounts to pay them into."""

from datetime import date
from decimal import Decimal

from money.models import BankAccount, EntryKind, LedgerEntry, Payout
from money.services.ledger import ledger_entry_add
from orders.tests.helpers import line, place
from users.models import User


def earning(
    manufacturer: User,
    buyer: User,
    product,
    amount: str,
    *,
    available_on: date | None = None,
) -> LedgerEntry:
    """An order of ``product`` and a sale of ``amount`` on it in ``manufacturer``'s ledger
    (available at once unless ``available_on`` says when)."""
    order = place(buyer, line(product))
    return ledger_entry_add(
        manufacturer=manufacturer,
        kind=EntryKind.EARNING,
        amount=Decimal(amount),
        key=f"earning:order:{order.pk}",
        order=order,
        available_on=available_on,
    )


def bank_account(manufacturer: User, number: str = "0123456789", *, code: str = "058",
                 name: str = "") -> BankAccount:
    """``manufacturer``'s current account, written as the bank details form would."""
    BankAccount.objects.filter(manufacturer=manufacturer, is_current=True).update(
        is_current=False
    )
    return BankAccount.objects.create(
        manufacturer=manufacturer,
        bank_code=code,
        bank_name="Guaranty Trust Bank" if code == "058" else "Access Bank",
        account_number=number,
        account_name=name,
        created_by=manufacturer,
    )


def ledger_of(manufacturer: User) -> list[tuple[str, Decimal]]:
    return sorted(
        LedgerEntry.objects.filter(manufacturer=manufacturer).values_list("kind", "amount")
    )


def payouts_state() -> list[tuple]:
    """Everything a refused payout action must leave as it was."""
    return sorted(
        Payout.objects.values_list("pk", "status", "amount", "transfer_code", "bank_reference")
    ) + [("entries", LedgerEntry.objects.count())]
