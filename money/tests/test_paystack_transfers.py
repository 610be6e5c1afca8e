"""The transfer calls against the fake Paystack over real HTTP: what is sent, what is read,
and Paystack's refusals (an account it cannot resolve, a reference already used)."""

from decimal import Decimal

import pytest

from money.banks import bank_by_code, banks
from money.paystack_transfers import (
    paystack_account_resolve,
    paystack_recipient_create,
    paystack_transfer_create,
    paystack_transfer_verify,
)
from orders.paystack import PaystackRefused, PaystackUnavailable


def test_the_bank_list_is_paystacks_nigerian_banks():
    codes = {bank.code for bank in banks()}

    assert {"044", "058", "057", "011", "033"} <= codes
    assert len(codes) == len(banks())  # one row per code
    assert bank_by_code("058").name == "Guaranty Trust Bank"
    assert bank_by_code("nope") is None


def test_an_account_name_is_resolved(paystack):
    paystack.accounts[("058", "0123456789")] = "ADA OKAFOR"

    name = paystack_account_resolve(account_number="0123456789", bank_code="058")

    assert name == "ADA OKAFOR"
    assert paystack.calls[-1]["path"] == "/bank/resolve"
    assert paystack.calls[-1]["payload"] == {"account_number": "0123456789", "bank_code": "058"}


def test_an_unknown_account_is_refused(paystack):
    with pytest.raises(PaystackRefused):
        paystack_account_resolve(account_number="0000000000", bank_code="058")


def test_a_transfer_is_sent_once_per_reference(paystack):
    recipient = paystack_recipient_create(
        name="ADA OKAFOR", account_number="0123456789", bank_code="058"
    )

    transfer = paystack_transfer_create(
        amount=Decimal("1500.50"), recipient_code=recipient, reference="po-1", reason="Payout"
    )
    with pytest.raises(PaystackRefused):
        paystack_transfer_create(
            amount=Decimal("1500.50"), recipient_code=recipient, reference="po-1", reason="x"
        )

    assert (transfer.status, transfer.amount_kobo) == ("pending", 150050)
    assert list(paystack.transfers) == ["po-1"]
    assert paystack.recipients[recipient]["type"] == "nuban"
    assert paystack_transfer_verify(reference="po-1").transfer_code == transfer.transfer_code


def test_verify_of_an_unknown_transfer_is_refused(paystack):
    with pytest.raises(PaystackRefused):
        paystack_transfer_verify(reference="never-sent")


def test_paystack_down_is_unavailable_not_refused(paystack):
    paystack.down = True

    with pytest.raises(PaystackUnavailable) as raised:
        paystack_transfer_verify(reference="po-1")

    assert not isinstance(raised.value, PaystackRefused)
