"""Bank details: a bank from Paystack's list, a NUBAN, the current password to change them,
the account's name asked of Paystack when a key is configured; every change kept as history.
Refusals change nothing."""

import pytest
from django.apps import apps

from conftest import PASSWORD
from money.errors import MoneyError, MoneyErrorCode
from money.models import BankAccount
from money.services.bank_accounts import bank_account_change, bank_account_current
from users.models import ManufacturerProfile

pytestmark = pytest.mark.django_db


def rows(manufacturer):
    return list(
        BankAccount.objects.filter(manufacturer=manufacturer)
        .order_by("pk")
        .values_list("bank_code", "account_number", "account_name", "is_current")
    )


def change(manufacturer, *, bank_code="058", number="0123456789", password=None):
    return bank_account_change(manufacturer=manufacturer, bank_code=bank_code,
                               account_number=number, password=password)


def test_the_first_account_needs_no_password_and_is_current(manufacturer_a):
    account = change(manufacturer_a)

    assert (account.bank_name, account.account_number, account.is_current) == (
        "Guaranty Trust Bank", "0123456789", True
    )
    assert account.created_by == manufacturer_a
    assert account.account_name == ""  # no Paystack key: nobody to ask


def test_a_change_keeps_the_old_account_as_history(manufacturer_a):
    change(manufacturer_a)

    change(manufacturer_a, bank_code="044", number="9876543210", password=PASSWORD)

    assert rows(manufacturer_a) == [
        ("058", "0123456789", "", False),
        ("044", "9876543210", "", True),
    ]
    assert bank_account_current(manufacturer=manufacturer_a).bank_name == "Access Bank"


def test_the_same_account_again_changes_nothing(manufacturer_a):
    first = change(manufacturer_a)

    again = change(manufacturer_a, number=" 0123 456 789 ")

    assert again.pk == first.pk
    assert BankAccount.objects.count() == 1


@pytest.mark.parametrize("password", [None, "", "not-my-password"])
def test_a_change_without_the_right_password_is_refused(manufacturer_a, password):
    change(manufacturer_a)
    before = rows(manufacturer_a)

    with pytest.raises(MoneyError) as refused:
        change(manufacturer_a, number="9876543210", password=password)

    assert (refused.value.code, refused.value.field) == (MoneyErrorCode.WRONG_PASSWORD, "password")
    assert rows(manufacturer_a) == before


@pytest.mark.parametrize(
    ("bank_code", "number", "code"),
    [
        ("999999999", "0123456789", MoneyErrorCode.UNKNOWN_BANK),
        ("058", "012345678", MoneyErrorCode.INVALID_ACCOUNT_NUMBER),
        ("058", "01234567890", MoneyErrorCode.INVALID_ACCOUNT_NUMBER),
        ("058", "01234x6789", MoneyErrorCode.INVALID_ACCOUNT_NUMBER),
    ],
)
def test_an_unknown_bank_or_a_bad_nuban_is_refused(manufacturer_a, bank_code, number, code):
    with pytest.raises(MoneyError) as refused:
        change(manufacturer_a, bank_code=bank_code, number=number)

    assert refused.value.code == code
    assert not BankAccount.objects.exists()


def test_only_manufacturers_have_bank_accounts(customer):
    with pytest.raises(MoneyError) as refused:
        change(customer)

    assert refused.value.code == MoneyErrorCode.MANUFACTURER_ONLY
    assert not BankAccount.objects.exists()


def test_with_paystack_the_account_name_is_the_banks(manufacturer_a, paystack):
    paystack.accounts[("058", "0123456789")] = "MAKER A LIMITED"

    account = change(manufacturer_a)

    assert account.account_name == "MAKER A LIMITED"
    assert paystack.calls[-1]["payload"] == {"account_number": "0123456789", "bank_code": "058"}


def test_with_paystack_an_account_the_bank_cannot_name_is_refused(manufacturer_a, paystack):
    with pytest.raises(MoneyError) as refused:
        change(manufacturer_a, number="5555555555")

    assert (refused.value.code, refused.value.field) == (
        MoneyErrorCode.ACCOUNT_NOT_RESOLVED, "account_number"
    )
    assert "could not find this account" in refused.value.message
    assert not BankAccount.objects.exists()


def test_with_paystack_down_nothing_is_saved(manufacturer_a, paystack):
    paystack.down = True

    with pytest.raises(MoneyError) as refused:
        change(manufacturer_a)

    assert (refused.value.code, refused.value.status) == (MoneyErrorCode.PAYSTACK_UNAVAILABLE, 503)
    assert not BankAccount.objects.exists()


def test_onboarding_bank_details_become_bank_accounts(manufacturer_a, manufacturer_b, make_user):
    """The data migration: typed details whose bank is in the list and whose number is a NUBAN
    become the current account; the rest are left for the manufacturer to enter."""
    from importlib import import_module

    migration = import_module("money.migrations.0002_payouts_setup")
    maker_c = make_user("maker.c@martaf.test", is_manufacturer=True, company_name="Maker C")
    details = {
        manufacturer_a: {"bank_name": "zenith bank", "account_name": "Maker A Ltd",
                         "account_number": "0011223344"},
        manufacturer_b: {"bank_name": "GTBank", "account_number": "0011223344"},  # not a name
        maker_c: {"bank_name": "Access Bank", "account_number": "12345"},  # not a NUBAN
    }
    for user, value in details.items():
        ManufacturerProfile.objects.filter(user=user).update(bank_details=value)

    migration.bank_details_to_accounts(apps, None)
    migration.bank_details_to_accounts(apps, None)  # twice: nothing more

    assert list(BankAccount.objects.values_list(
        "manufacturer", "bank_code", "bank_name", "account_number", "account_name", "is_current"
    )) == [(manufacturer_a.pk, "057", "Zenith Bank", "0011223344", "Maker A Ltd", True)]
