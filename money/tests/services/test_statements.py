"""The monthly statement: its figures come from the ledger, and its PDF (WeasyPrint, offline)
says them."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.money import money_format
from money.models import EntryKind, LedgerEntry, Payout, PayoutMethod, PayoutStatus
from money.services import ledger_entry_add
from money.statements import statement_html, statement_of, statement_pdf
from money.tests.earnings import D, deliver

pytestmark = pytest.mark.django_db


def _at(entry: LedgerEntry, when: datetime) -> None:
    # Entries are append-only; the test dates them in the past directly in the table.
    LedgerEntry.objects.filter(pk=entry.pk).update(created_at=when)


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_current_timezone())


@pytest.fixture
def november(paid_orders, staff_user, manufacturer_a):
    """Maker A: a sale in October (the opening balance), one in November, a payout in
    November, and an entry in December (after the statement)."""
    phone = deliver(paid_orders["Phone"], actor=staff_user)
    earning, commission = (
        LedgerEntry.objects.get(order=phone, kind=kind)
        for kind in (EntryKind.EARNING, EntryKind.COMMISSION)
    )
    _at(earning, local(2026, 10, 20, 10))
    _at(commission, local(2026, 11, 3, 9))
    payout = Payout.objects.create(
        manufacturer=manufacturer_a, amount=D("150.00"), method=PayoutMethod.MANUAL,
        status=PayoutStatus.PAID, reference="PO-TEST-1", bank_reference="BANK-77",
    )
    sent = ledger_entry_add(
        manufacturer=manufacturer_a, kind=EntryKind.PAYOUT, amount=D("-150.00"),
        key=f"payout:{payout.pk}", payout=payout,
    )
    _at(sent, local(2026, 11, 30, 23, 30))
    late = ledger_entry_add(
        manufacturer=manufacturer_a, kind=EntryKind.CASH_COMMISSION, amount=D("-1.00"),
        key="test:december", order=phone,
    )
    _at(late, local(2026, 12, 1, 0, 0))
    return phone


def test_the_statement_reads_the_month_from_the_ledger(november, manufacturer_a):
    statement = statement_of(manufacturer=manufacturer_a, month=date(2026, 11, 15))
    assert statement.month == date(2026, 11, 1)
    assert statement.opening == D("205.00")
    assert [(e.kind, e.amount) for e in statement.entries] == [
        (EntryKind.COMMISSION, D("-20.00")), (EntryKind.PAYOUT, D("-150.00"))
    ]
    assert statement.closing == D("35.00")
    assert [e.payout.reference for e in statement.payouts] == ["PO-TEST-1"]
    assert statement.paid_out == D("150.00")
    # The closing balance is the next month's opening.
    december = statement_of(manufacturer=manufacturer_a, month=date(2026, 12, 1))
    assert december.opening == statement.closing
    assert december.closing == D("34.00")
    # The whole ledger adds up to the statements.
    total = sum(LedgerEntry.objects.filter(manufacturer=manufacturer_a).values_list(
        "amount", flat=True))
    assert december.closing == total


def test_the_pdf_says_the_ledgers_amounts(november, manufacturer_a):
    statement = statement_of(manufacturer=manufacturer_a, month=date(2026, 11, 1))
    pdf = statement_pdf(statement)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Earnings statement" in text and "November 2026" in text
    assert "Maker A" in text and november.number in text and "PO-TEST-1" in text
    for amount in (D("205.00"), D("-20.00"), D("-150.00"), D("35.00"), D("185.00")):
        assert money_format(amount).replace("\xa0", " ") in text, amount


def test_the_statement_fetches_nothing(manufacturer_a, settings, tmp_path):
    html = statement_html(statement_of(manufacturer=manufacturer_a, month=date(2026, 11, 1)))
    assert "http" not in html.replace("http-equiv", "")
    # An empty month still renders: zero balances, "no entries".
    pdf = statement_pdf(statement_of(manufacturer=manufacturer_a, month=date(2026, 11, 1)))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "No entries this month." in text and money_format(Decimal("0")) in text
