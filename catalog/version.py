"""The catalogue's version: what storefront caches, ETags and Last-Modified are keyed on.

Every catalogue write (products, variations and stock, images, approval, categories, reviews,
imports) calls ``catalogue_changed()``; the version moves on after the write commits, so a
reader never sees the new version with the old data (it reads the version first, then the
data: at worst it caches new data under the old version, which nobody asks for again).
"""

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models.version import CatalogueVersion

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _bump() -> None:
    now = timezone.now()
    if not CatalogueVersion.objects.filter(pk=1).update(value=F("value") + 1, changed_at=now):
        CatalogueVersion.objects.bulk_create(
            [CatalogueVersion(pk=1, value=2, changed_at=now)], ignore_conflicts=True
        )


def catalogue_changed() -> None:
    """Move the catalogue's version on once the current transaction commits (at once outside
    one). Cheap: one single-row UPDATE, never holding a lock inside the writer's transaction."""
    transaction.on_commit(_bump)


def catalogue_version() -> tuple[int, datetime]:
    """The current version and when it last moved (one single-row read)."""
    row = CatalogueVersion.objects.filter(pk=1).values_list("value", "changed_at").first()
    return row if row is not None else (1, _EPOCH)
