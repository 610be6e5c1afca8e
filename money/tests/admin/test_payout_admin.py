"""The payouts' admin: staff make, review, approve and cancel runs and record manual payouts;
manufacturers read only their own payouts and bank accounts and change their bank details with
their password. Every refusal answers its status and changes nothing. List pages cost the same
queries at one row and at many."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from money import admin_payouts
from money.models import (
    BankAccount,
    EntryKind,
    LedgerEntry,
    Payout,
    PayoutRun,
    PayoutRunStatus,
    PayoutStatus,
)
from money.services.payouts import payout_run_approve, payout_run_create
from money.tests.helpers import bank_account, earning, payouts_state
from orders.tests.helpers import public_product
from users.tests.mfa_helpers import totp_give

pytestmark = pytest.mark.django_db

DIALOG = {"_form_submitted": "on"}
# Each page's queries (session, user, sidebar permissions, notification bell, the page's own):
# the same at one row and at many.
LIST_QUERIES = {"payoutrun_changelist": 6, "payout_changelist": 5, "bankaccount_changelist": 6}
REVIEW_QUERIES = 8
MANUFACTURER_PAYOUTS_QUERIES = 7


@pytest.fixture
def two_makers(settings, manufacturer_a, manufacturer_b, customer, phone, staff_user):
    settings.PAYOUT_MINIMUM = Decimal("1000")
    earning(manufacturer_a, customer, phone, "1500.00")
    stool = public_product(manufacturer_b, approver=staff_user, name="Stool")
    earning(manufacturer_b, customer, stool, "2750.50")
    bank_account(manufacturer_a, name="MAKER A LIMITED")
    bank_account(manufacturer_b, "1111111111")


@pytest.fixture
def draft(two_makers, staff_user) -> PayoutRun:
    return payout_run_create(actor=staff_user)


def url(name: str, *args) -> str:
    return reverse(f"admin:money_{name}", args=args)


# --- Staff --------------------------------------------------------------------------------------


def test_staff_make_a_run_and_review_it(client, two_makers, staff_user):
    client.force_login(staff_user)

    response = client.post(url("payoutrun_create_run"), DIALOG)

    run = PayoutRun.objects.get()
    assert response["HX-Redirect"] == url("payoutrun_change", run.pk)
    page = client.get(url("payoutrun_change", run.pk)).content.decode()
    assert "₦1,500.00" in page and "₦2,750.50" in page and "₦4,250.50" in page
    assert "Guaranty Trust Bank 0123456789 · MAKER A LIMITED" in page
    assert "Approve and pay" in page and "Cancel run" in page
    assert run.payouts.count() == 2


def test_staff_are_told_when_there_is_nothing_to_pay(client, staff_user):
    client.force_login(staff_user)

    client.post(url("payoutrun_create_run"), DIALOG)

    assert "nothing to pay" in client.get(url("payoutrun_changelist")).content.decode()
    assert not PayoutRun.objects.exists()


def test_staff_approve_a_run_from_its_page(client, draft, staff_user):
    client.force_login(staff_user)

    response = client.post(url("payoutrun_approve_run", draft.pk), DIALOG)

    assert response["HX-Redirect"] == url("payoutrun_change", draft.pk)
    draft.refresh_from_db()
    assert draft.status == PayoutRunStatus.APPROVED
    assert set(draft.payouts.values_list("status", flat=True)) == {PayoutStatus.SENDING}
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 2
    page = client.get(url("payoutrun_change", draft.pk)).content.decode()
    assert "Approve and pay" not in page  # an approved run has no buttons


def test_approval_is_refused_without_the_second_factor(client, draft, staff_user, monkeypatch):
    monkeypatch.setattr(admin_payouts, "_second_factor_ok", lambda request: False)
    client.force_login(staff_user)
    before = payouts_state()

    client.post(url("payoutrun_approve_run", draft.pk), DIALOG)
    page = client.get(url("payoutrun_change", draft.pk)).content.decode()

    assert "Confirm your second factor first" in page
    assert PayoutRun.objects.get().status == PayoutRunStatus.DRAFT
    assert payouts_state() == before


def test_staff_cancel_a_run(client, draft, staff_user):
    client.force_login(staff_user)

    client.post(url("payoutrun_cancel_run", draft.pk), DIALOG)

    assert PayoutRun.objects.get().status == PayoutRunStatus.CANCELLED
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


def test_staff_record_a_manual_payout(client, draft, staff_user):
    payout_run_approve(run=draft, actor=staff_user)
    payout = draft.payouts.first()
    client.force_login(staff_user)

    client.post(url("payout_record_manual", payout.pk), {**DIALOG, "bank_reference": "FT42"})

    payout.refresh_from_db()
    assert (payout.status, payout.bank_reference) == (PayoutStatus.PAID, "FT42")


def test_staff_read_every_bank_account_with_its_history(client, two_makers, staff_user,
                                                        manufacturer_a):
    bank_account(manufacturer_a, "3333333333")
    client.force_login(staff_user)

    page = client.get(url("bankaccount_changelist")).content.decode()

    for number in ("0123456789", "3333333333", "1111111111"):
        assert number in page
    assert "Maker A" in page and "Maker B" in page
    assert client.get(url("bankaccount_bank_details")).status_code == 403  # theirs to change


# --- Manufacturers ------------------------------------------------------------------------------


def test_manufacturers_cannot_open_or_act_on_payout_runs(client, draft, manufacturer_a):
    client.force_login(manufacturer_a)
    before = payouts_state()

    answers = [
        client.get(url("payoutrun_changelist")).status_code,
        client.get(url("payoutrun_change", draft.pk)).status_code,
        client.post(url("payoutrun_create_run"), DIALOG).status_code,
        client.post(url("payoutrun_approve_run", draft.pk), DIALOG).status_code,
        client.post(url("payoutrun_cancel_run", draft.pk), DIALOG).status_code,
    ]

    assert answers == [403, 403, 403, 403, 403]
    assert payouts_state() == before
    assert PayoutRun.objects.get().status == PayoutRunStatus.DRAFT


def test_a_manufacturer_sees_only_their_own_payouts(client, draft, staff_user, manufacturer_a,
                                                     manufacturer_b):
    payout_run_approve(run=draft, actor=staff_user)
    theirs = Payout.objects.get(manufacturer=manufacturer_b)
    mine = Payout.objects.get(manufacturer=manufacturer_a)
    client.force_login(manufacturer_a)
    before = payouts_state()

    listed = client.get(url("payout_changelist")).content.decode()
    own_page = client.get(url("payout_change", mine.pk))
    other_page = client.get(url("payout_change", theirs.pk))
    record = client.post(url("payout_record_manual", mine.pk), {**DIALOG, "bank_reference": "X"})

    assert mine.reference in listed and theirs.reference not in listed
    assert "₦1,500.00" in listed and "₦2,750.50" not in listed
    assert own_page.status_code == 200
    assert other_page.status_code in (302, 403)
    assert theirs.reference not in client.get(other_page.get("Location", "/admin/")).content.decode()
    assert record.status_code == 403
    assert payouts_state() == before


def test_a_manufacturer_sees_only_their_own_bank_accounts(client, two_makers, manufacturer_a,
                                                          manufacturer_b):
    theirs = BankAccount.objects.get(manufacturer=manufacturer_b)
    client.force_login(manufacturer_a)

    listed = client.get(url("bankaccount_changelist")).content.decode()
    other_page = client.get(url("bankaccount_change", theirs.pk))

    assert "0123456789" in listed and "1111111111" not in listed
    assert other_page.status_code in (302, 403)


def test_a_manufacturer_changes_their_bank_details_with_their_password(client, two_makers,
                                                                       manufacturer_a):
    totp_give(manufacturer_a)  # bank details need a fresh second factor
    client.force_login(manufacturer_a)
    form_url = url("bankaccount_bank_details")

    page = client.get(form_url)
    wrong = client.post(form_url, {"bank_code": "044", "account_number": "4444444444",
                                   "password": "not-it"})
    right = client.post(form_url, {"bank_code": "044", "account_number": "4444444444",
                                   "password": PASSWORD})

    assert page.status_code == 200
    assert "Where we pay you now" in page.content.decode()
    assert wrong.status_code == 400
    assert "Your current password is not right." in wrong.content.decode()
    assert right["Location"] == url("bankaccount_changelist")
    assert list(
        BankAccount.objects.filter(manufacturer=manufacturer_a).order_by("pk")
        .values_list("bank_code", "account_number", "is_current")
    ) == [("058", "0123456789", False), ("044", "4444444444", True)]


def test_an_account_paystack_cannot_resolve_is_a_form_error(client, paystack, manufacturer_a):
    totp_give(manufacturer_a)
    client.force_login(manufacturer_a)

    response = client.post(url("bankaccount_bank_details"),
                           {"bank_code": "058", "account_number": "5555555555"})

    assert response.status_code == 400
    assert "Paystack could not find this account at this bank" in response.content.decode()
    assert not BankAccount.objects.exists()


def test_bank_details_are_refused_without_the_second_factor(client, manufacturer_a):
    client.force_login(manufacturer_a)  # no TOTP: no second factor to give

    response = client.post(url("bankaccount_bank_details"),
                           {"bank_code": "058", "account_number": "0123456789"})

    assert response.status_code == 400
    assert "Confirm your second factor first" in response.content.decode()
    assert not BankAccount.objects.exists()


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, django_assert_num_queries, path: str, count: int) -> None:
    with django_assert_num_queries(count):
        assert client.get(path).status_code == 200


def _more_payouts(staff_user, customer, n: int) -> None:
    from users.services import user_create

    for i in range(n):
        maker = user_create(email=f"maker{i}@q.test", password=PASSWORD, is_manufacturer=True,
                            company_name=f"Maker {i}")
        product = public_product(maker, approver=staff_user, name=f"Thing {i}")
        earning(maker, customer, product, "1200.00")
        bank_account(maker, f"{i:010d}")
    PayoutRun.objects.filter(status=PayoutRunStatus.DRAFT).update(
        status=PayoutRunStatus.CANCELLED
    )
    payout_run_approve(run=payout_run_create(actor=staff_user), actor=staff_user)


@pytest.mark.parametrize(("page", "count"), LIST_QUERIES.items())
def test_staff_lists_cost_the_same_at_any_size(client, draft, staff_user, customer,
                                               django_assert_num_queries, page, count):
    payout_run_approve(run=draft, actor=staff_user)
    client.force_login(staff_user)
    _queries(client, django_assert_num_queries, url(page), count)

    _more_payouts(staff_user, customer, 4)

    _queries(client, django_assert_num_queries, url(page), count)


def test_the_run_review_page_costs_the_same_at_any_size(client, two_makers, staff_user, customer,
                                                        django_assert_num_queries):
    client.force_login(staff_user)
    small = payout_run_create(actor=staff_user)
    _queries(client, django_assert_num_queries, url("payoutrun_change", small.pk), REVIEW_QUERIES)
    payout_run_approve(run=small, actor=staff_user)

    _more_payouts(staff_user, customer, 4)  # a run of four more
    big = PayoutRun.objects.latest("pk")

    assert big.payouts.count() == 4
    _queries(client, django_assert_num_queries, url("payoutrun_change", big.pk), REVIEW_QUERIES)


def test_a_manufacturers_payout_list_costs_the_same_at_any_size(
    client, draft, staff_user, manufacturer_a, customer, phone, django_assert_num_queries
):
    payout_run_approve(run=draft, actor=staff_user)
    client.force_login(manufacturer_a)
    _queries(client, django_assert_num_queries, url("payout_changelist"),
             MANUFACTURER_PAYOUTS_QUERIES)

    for _ in range(3):
        earning(manufacturer_a, customer, phone, "1100.00")
        payout_run_approve(run=payout_run_create(actor=staff_user), actor=staff_user)

    _queries(client, django_assert_num_queries, url("payout_changelist"),
             MANUFACTURER_PAYOUTS_QUERIES)
