"""The one way a ledger entry is written.

Every entry names the event it records in ``key`` (unique). Writing an event that is already
in the ledger writes nothing and returns None: a webhook delivered twice, a task retried or two
workers racing on the same event change the ledger once. The insert runs in a savepoint, so a
caller's transaction survives the duplicate.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from core.money import quantize_money
from money.models import EntryKind, LedgerEntry
from users.models import User


def ledger_entry_add(
    *,
    manufacturer: User | int,
    kind: EntryKind | str,
    amount: Decimal,
    key: str,
    order=None,
    payout=None,
    refund=None,
    available_on: date | None = None,
    note: str = "",
) -> LedgerEntry | None:
    """Append one entry (``amount`` signed, rounded to the cent) unless the event ``key`` is
    already recorded; returns the new entry, or None when it was."""
    manufacturer_id = manufacturer if isinstance(manufacturer, int) else manufacturer.pk
    entry = LedgerEntry(
        manufacturer_id=manufacturer_id,
        kind=EntryKind(kind),
        amount=quantize_money(amount),
        currency=settings.CURRENCY,
        order=order,
        payout=payout,
        refund=refund,
        available_on=available_on,
        key=key,
        note=note[:255],
    )
    if LedgerEntry.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError:
        if LedgerEntry.objects.filter(key=key).exists():
            return None  # written meanwhile by a concurrent twin
        raise
    return entry
