"""Imports put where a run left them: previewed, claimed by a worker that then died (its
lease run out), or claimed by a live one; and what a refused action must leave unchanged."""

import uuid
from datetime import timedelta

from django.utils import timezone

from catalog.models import Product, StockMovement
from imports.lifecycle import import_start
from imports.models import ImportStatus, ProductImport
from imports.tests.uploads import TWO_PRODUCTS, upload

LONG_AGO = timedelta(hours=1)


def previewed(user) -> ProductImport:
    product_import = import_start(actor=user, file=upload(TWO_PRODUCTS))
    assert product_import.status == ImportStatus.PREVIEWED
    return product_import


def died_while_running(user, *, attempts: int = 1) -> ProductImport:
    """An import a worker claimed for the write and then died on: RUNNING, lease run out."""
    product_import = previewed(user)
    ProductImport.objects.filter(pk=product_import.pk).update(
        status=ImportStatus.RUNNING, run_id=uuid.uuid4(), attempts=attempts,
        heartbeat_at=timezone.now() - LONG_AGO, lease_expires_at=timezone.now() - LONG_AGO / 2,
    )
    product_import.refresh_from_db()
    return product_import


def running_alive(user) -> ProductImport:
    product_import = died_while_running(user)
    ProductImport.objects.filter(pk=product_import.pk).update(
        heartbeat_at=timezone.now(), lease_expires_at=timezone.now() + LONG_AGO
    )
    product_import.refresh_from_db()
    return product_import


def snapshot(product_import):
    product_import.refresh_from_db()
    return (product_import.status, product_import.run_id, product_import.attempts,
            product_import.message, Product.objects.count(), StockMovement.objects.count())
