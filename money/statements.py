"""A manufacturer's monthly statement: the ledger of one calendar month as a PDF.

``statement_of`` reads it (three queries): the balance before the month (every entry written
before its first day), each entry of the month in the order written, the balance after it,
and the payouts the month sent. ``statement_pdf`` renders ``templates/money/statement.html``
with WeasyPrint, offline: the page embeds its stylesheet, uses the system's fonts, and any
URL the HTML names is refused (nothing is fetched), so a statement renders the same on a
machine without network.

Months are local (``TIME_ZONE``): an entry belongs to the month of its local date.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from core.money import money_format, quantize_money
from money.models import EntryKind, LedgerEntry
from users.models import ManufacturerProfile, User

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Statement:
    manufacturer: User
    month: date  # its first day
    opening: Decimal
    entries: list[LedgerEntry]
    closing: Decimal
    payouts: list[LedgerEntry]  # the month's payout entries (with their payout)
    generated_at: datetime

    @property
    def credits(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.amount > 0), ZERO)

    @property
    def debits(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.amount < 0), ZERO)

    @property
    def paid_out(self) -> Decimal:
        return -sum((e.amount for e in self.payouts), ZERO)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, local time."""
    start = month.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(following, time.min), zone),
    )


def statement_of(*, manufacturer: User, month: date) -> Statement:
    """``manufacturer``'s statement for the month of ``month``."""
    start, end = month_bounds(month)
    own = LedgerEntry.objects.filter(manufacturer=manufacturer)
    opening = quantize_money(
        own.filter(created_at__lt=start).aggregate(total=Sum("amount"))["total"] or ZERO
    )
    entries = list(
        own.filter(created_at__gte=start, created_at__lt=end)
        .select_related("order", "payout")
        .order_by("created_at", "id")
    )
    closing = opening + sum((e.amount for e in entries), ZERO)
    payouts = [e for e in entries if e.kind == EntryKind.PAYOUT]
    return Statement(
        manufacturer=manufacturer,
        month=month.replace(day=1),
        opening=opening,
        entries=entries,
        closing=closing,
        payouts=payouts,
        generated_at=timezone.localtime(),
    )


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"A statement fetches nothing: {url} refused.")


def statement_html(statement: Statement) -> str:
    profile = ManufacturerProfile.objects.filter(user=statement.manufacturer).first()
    _, end = month_bounds(statement.month)
    return render_to_string(
        "money/statement.html",
        {
            "s": statement,
            "site_name": "MARTAF",
            "currency": settings.CURRENCY,
            "seller_name": (
                profile.display_name if profile and profile.display_name
                else statement.manufacturer.display_name
            ),
            "last_day": timezone.localdate(end) - timedelta(days=1),
            "opening": money_format(statement.opening),
            "closing": money_format(statement.closing),
            "credits": money_format(statement.credits),
            "debits": money_format(statement.debits),
            "paid_out": money_format(statement.paid_out),
            "rows": [
                {
                    "entry": entry,
                    "amount": money_format(entry.amount),
                    "balance": money_format(balance),
                }
                for entry, balance in _running(statement)
            ],
        },
    )


def _running(statement: Statement):
    balance = statement.opening
    for entry in statement.entries:
        balance += entry.amount
        yield entry, balance


def statement_pdf(statement: Statement) -> bytes:
    """The statement as a PDF document."""
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    return HTML(string=statement_html(statement), url_fetcher=_no_fetch).write_pdf()


def statement_filename(statement: Statement) -> str:
    return f"statement-{statement.manufacturer.pk}-{statement.month:%Y-%m}.pdf"
