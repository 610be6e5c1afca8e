"""Staff's dashboard counts the payouts awaiting approval and links to the runs to review;
a manufacturer's dashboard has no such card."""

from decimal import Decimal

import pytest
from django.urls import reverse

from money.services.payouts import payout_run_approve, payout_run_create
from money.tests.helpers import bank_account, earning

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def cards(response) -> dict:
    return {str(card["title"]): card for card in response.context["attention_cards"]}


def test_staff_see_the_payouts_awaiting_approval(
    client, settings, staff_user, manufacturer_a, customer, phone
):
    settings.PAYOUT_MINIMUM = Decimal("100")
    earning(manufacturer_a, customer, phone, "500.00")
    bank_account(manufacturer_a)
    client.force_login(staff_user)

    assert cards(client.get(INDEX))["Payouts awaiting approval"]["value"] == 0
    run = payout_run_create(actor=staff_user)
    waiting = cards(client.get(INDEX))["Payouts awaiting approval"]
    payout_run_approve(run=run, actor=staff_user)
    approved = cards(client.get(INDEX))["Payouts awaiting approval"]

    assert (waiting["value"], waiting["alert"]) == (1, True)
    assert waiting["href"] == "/admin/money/payoutrun/?status__exact=draft"
    assert (approved["value"], approved["alert"]) == (0, False)


def test_manufacturers_have_no_payout_approval_card(client, manufacturer_a):
    client.force_login(manufacturer_a)

    assert "Payouts awaiting approval" not in cards(client.get(INDEX))
