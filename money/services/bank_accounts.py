"""A manufacturer's bank account for payouts.

Changing it never edits a row: the current one stops being current and a new one is added, so
the rows are the history staff read (who changed what, when). Changing an account already given
needs the manufacturer's current password: a borrowed session cannot redirect their payouts.
The bank comes from Paystack's list (``money.banks``); the account number is a 10-digit NUBAN;
with Paystack configured the account's name is asked of Paystack (``GET /bank/resolve``) before
anything is written, and an account the bank cannot name is refused.
"""

from django.db import transaction

from money.banks import bank_by_code
from money.errors import MoneyError, MoneyErrorCode
from money.models import NUBAN, BankAccount
from money.paystack_transfers import paystack_account_resolve
from orders.paystack import PaystackRefused, PaystackUnavailable, paystack_configured
from users.models import User


def bank_account_current(*, manufacturer: User) -> BankAccount | None:
    return BankAccount.objects.filter(manufacturer=manufacturer, is_current=True).first()


def _checked_number(account_number: str) -> str:
    number = "".join(str(account_number or "").split())
    try:
        NUBAN(number)
    except Exception:
        raise MoneyError(
            "A NUBAN account number is exactly 10 digits.",
            code=MoneyErrorCode.INVALID_ACCOUNT_NUMBER,
            field="account_number",
        ) from None
    return number


def _resolved_name(*, account_number: str, bank_code: str) -> str:
    if not paystack_configured():
        return ""
    try:
        return paystack_account_resolve(account_number=account_number, bank_code=bank_code)
    except PaystackRefused:
        raise MoneyError(
            "Paystack could not find this account at this bank: check the bank and the "
            "account number.",
            code=MoneyErrorCode.ACCOUNT_NOT_RESOLVED,
            field="account_number",
        ) from None
    except PaystackUnavailable:
        raise MoneyError(
            "Paystack could not be reached to check the account; please try again shortly.",
            code=MoneyErrorCode.PAYSTACK_UNAVAILABLE,
        ) from None


def bank_account_change(
    *,
    manufacturer: User,
    bank_code: str,
    account_number: str,
    password: str | None,
    actor: User | None = None,
) -> BankAccount:
    """Make (bank, account number) ``manufacturer``'s current account; returns it. The same
    account again changes nothing. ``password`` is the manufacturer's current password, needed
    when they already have an account (not for the first one)."""
    if not manufacturer.is_manufacturer:
        raise MoneyError("Only manufacturers have payout bank accounts.",
                         code=MoneyErrorCode.MANUFACTURER_ONLY)
    bank = bank_by_code(bank_code)
    if bank is None:
        raise MoneyError("Choose your bank from the list.", code=MoneyErrorCode.UNKNOWN_BANK,
                         field="bank_code")
    number = _checked_number(account_number)
    current = bank_account_current(manufacturer=manufacturer)
    if current is not None and (current.bank_code, current.account_number) == (bank.code, number):
        return current
    if current is not None and not (password and manufacturer.check_password(password)):
        raise MoneyError("Your current password is not right.",
                         code=MoneyErrorCode.WRONG_PASSWORD, field="password")
    # Asked before the transaction: no row is locked while Paystack answers.
    account_name = _resolved_name(account_number=number, bank_code=bank.code)
    return _bank_account_replace(
        manufacturer=manufacturer,
        account=BankAccount(
            manufacturer=manufacturer,
            bank_code=bank.code,
            bank_name=bank.name,
            account_number=number,
            account_name=account_name,
            created_by=actor or manufacturer,
        ),
    )


@transaction.atomic
def _bank_account_replace(*, manufacturer: User, account: BankAccount) -> BankAccount:
    # One change at a time per manufacturer (the partial unique index keeps one current row).
    User.objects.select_for_update().filter(pk=manufacturer.pk).first()
    BankAccount.objects.filter(manufacturer=manufacturer, is_current=True).update(
        is_current=False
    )
    account.is_current = True
    account.save(force_insert=True)
    return account
