"""The catalogue's version: what storefront caches, ETags and Last-Modified are keyed on.

Every catalogue write (products, variations and stock, images, approval, categories, reviews,
imports) calls ``catalogue_changed()``; the version moves on after the write commits, so a
reader never sees the new version with the old data (it reads the version first, then the
data: at worst it caches new data under the old version, which nobody asks for again).
"""

from datetime import UTC, datetime
from functools import partial
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models.version import CatalogueVersion
from core.prepared import PreparedQuery

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

# The rows of CatalogueVersion: what a page shows (any write), and which products a list holds
# (a write that can add, drop or re-file products: not a stock move or a review).
CONTENT, LISTING = 1, 2


class Versions(NamedTuple):
    content: int
    listing: int
    changed_at: datetime


def _bump(rows: tuple[int, ...]) -> None:
    now = timezone.now()
    moved = CatalogueVersion.objects.filter(pk__in=rows).update(
        value=F("value") + 1, changed_at=now
    )
    if moved < len(rows):
        CatalogueVersion.objects.bulk_create(
            [CatalogueVersion(pk=pk, value=2, changed_at=now) for pk in rows],
            ignore_conflicts=True,
        )


def catalogue_changed(*, listing: bool = True) -> None:
    """Move the catalogue's version on once the current transaction commits (at once outside
    one). Cheap: one UPDATE, never holding a lock inside the writer's transaction.

    ``listing=False`` for writes that change what products show but not which products a list
    holds (stock moves, reviews): the lists' counts, kept per listing version, then survive
    the busiest writes (every sale moves stock)."""
    transaction.on_commit(partial(_bump, (CONTENT, LISTING) if listing else (CONTENT,)))


_VERSIONS = PreparedQuery(
    lambda key: CatalogueVersion.objects.filter(pk__in=(CONTENT, LISTING))
    .values_list("pk", "value", "changed_at")
)


def catalogue_versions() -> Versions:
    """Both versions and when the content last moved (one read of two rows, its SQL compiled
    once per process)."""
    rows = {pk: (value, changed_at) for pk, value, changed_at in _VERSIONS.rows("versions")}
    content, changed_at = rows.get(CONTENT, (1, _EPOCH))
    listing = rows.get(LISTING, (1, _EPOCH))[0]
    return Versions(content=content, listing=listing, changed_at=changed_at)

