"""The life of a catalogue import: upload -> check (preview) -> confirm -> write -> images.

The one import path: the admin, ``manage.py import_products`` and the django-q2 tasks all call
these services, so every import has its ``ProductImport`` record (the admin's import history),
its unknown-column notice and its image fetch. In the admin, small files are checked and written
in the request; files above ``CATALOG_IMPORT_BACKGROUND_ROWS`` rows are checked and written by
tasks, with the progress (rows checked / total) saved on the record as it goes. The command
writes in one pass (``import_create`` queued, then ``import_apply``) with its own progress bar.
Checking runs outside any transaction so that progress is visible to the admin page; the write
is one transaction. Images are fetched after commit, by a task that takes ids.
"""

import logging
from collections.abc import Callable
from urllib.error import URLError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from catalog import images as image_files
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.importing.images import import_image_urls
from catalog.importing.plan import ImportPlan, plan_import, row_action
from catalog.importing.reader import FileError, read_import_file
from catalog.importing.write import write_plan
from catalog.models import ImportMode, ImportStatus, Product, ProductImage, ProductImport
from catalog.services.products import product_image_add
from users.models import User

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 200
Progress = Callable[[int, int], None]  # (rows checked, rows in the file)


def _plan_for(product_import: ProductImport, *, on_progress: Progress | None) -> ImportPlan:
    product_import.file.open("rb")
    try:
        raw = product_import.file.read()
    finally:
        product_import.file.close()
    parsed = read_import_file(raw, filename=product_import.original_name)
    ProductImport.objects.filter(pk=product_import.pk).update(
        rows_total=len(parsed.rows), rows_done=0
    )

    total = len(parsed.rows)

    def progress(done: int) -> None:
        ProductImport.objects.filter(pk=product_import.pk).update(rows_done=done)
        if on_progress is not None:
            on_progress(done, total)

    plan = plan_import(
        rows=parsed.rows,
        actor=product_import.created_by,
        manufacturer=product_import.manufacturer,
        on_progress=progress,
    )
    if parsed.unknown_columns:
        label = "Ignored column" if len(parsed.unknown_columns) == 1 else "Ignored columns"
        plan.notices.append(f"{label}: {', '.join(parsed.unknown_columns)}.")
    del parsed, raw  # the plan holds what the write needs; the rows can go
    return plan


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _shown(value) -> str:
    """A planned or stored value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):  # a category path
        return " > ".join(value)
    return str(value)


# What a new product's row shows: the values it starts with.
NEW_PRODUCT_FIELDS = ["price", "category"]
VARIATION_COLUMNS = {"sku": "sku", "stock": "stock", "low_stock_threshold": "low_stock_threshold"}


def _field_changes(product, variation, *, first_row: bool) -> list[dict]:
    """Old -> new of each changed column of one row (the product's own columns on its first
    row, where the file carries them); a new product's row lists what it starts with."""
    changes = []
    if product.action == "create":
        if first_row:
            changes += [
                {"field": name, "old": None, "new": _shown(product.fields.get(name))}
                for name in NEW_PRODUCT_FIELDS
                if product.fields.get(name) is not None
            ]
        if variation.stock is not None:
            changes.append({"field": "stock", "old": None, "new": _shown(variation.stock)})
        return changes
    if first_row:
        changes += [
            {
                "field": name,
                "old": _shown(product.existing[name]),
                "new": _shown(product.fields[name]),
            }
            for name in product.changed
        ]
    existing = variation.existing or {}
    for name in variation.changed:
        if name == "size/color":
            old = " / ".join(x for x in (existing.get("size"), existing.get("color")) if x)
            new = " / ".join(x for x in (variation.size, variation.color) if x)
        else:
            old, new = existing.get(name), getattr(variation, VARIATION_COLUMNS[name])
        changes.append({"field": name, "old": _shown(old), "new": _shown(new)})
    return changes


def _changes_sample(plan: ImportPlan) -> list[dict]:
    sample = []
    for product in plan.products:
        for variation in product.variations:
            action = row_action(product, variation)
            if action in ("unchanged", "error"):
                continue
            fields = _field_changes(product, variation, first_row=variation.row == product.rows[0])
            sample.append(
                {
                    "row": variation.row,
                    "action": action,
                    "handle": product.handle,
                    "name": product.fields.get("name") or (product.existing or {}).get("name"),
                    "variation": " / ".join(x for x in (variation.size, variation.color) if x),
                    "fields": fields,
                    "changes": ", ".join(change["field"] for change in fields),
                }
            )
            if len(sample) >= MAX_STORED_CHANGES:
                return sample
    return sample


def import_result_message(product_import: ProductImport, result) -> str:
    """The banner after a write, in the cards' words: rows new / updated / unchanged
    (/ skipped), then what that made of the catalogue."""
    rows = (
        f"{_plural(product_import.created_count + product_import.updated_count, 'row', 'rows')}"
        f" imported: {product_import.created_count:,} new, "
        f"{product_import.updated_count:,} updated, {product_import.unchanged_count:,} unchanged"
    )
    if product_import.skipped_count:
        rows += f", {product_import.skipped_count:,} skipped (errors)"
    catalogue = (
        f"{_plural(result.products_created, 'product', 'products')} created, "
        f"{result.products_updated:,} updated; "
        f"{_plural(result.stock_movements, 'stock change', 'stock changes')}"
    )
    return f"{rows}. {catalogue}."


def _record_plan(product_import: ProductImport, plan: ImportPlan) -> None:
    counts = plan.counts()
    product_import.rows_total = plan.rows_total
    product_import.rows_done = plan.rows_total
    product_import.created_count = counts["create"]
    product_import.updated_count = counts["update"]
    product_import.unchanged_count = counts["unchanged"]
    product_import.error_count = len(plan.errors)
    product_import.errors = [e.as_dict() for e in plan.errors[:MAX_STORED_ERRORS]]
    product_import.changes = _changes_sample(plan)
    product_import.message = " ".join(plan.notices)


def import_create(
    *,
    actor: User,
    file: File,
    manufacturer: User | None = None,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    status: ImportStatus = ImportStatus.VALIDATING,
) -> ProductImport:
    """Store the file as an import record (what the import history lists). Staff may name the
    manufacturer; a manufacturer always imports into their own catalogue. ``status`` QUEUED
    skips the preview: ``import_apply`` checks and writes in one pass (the command)."""
    if not (actor.is_staff or actor.is_manufacturer):
        raise CatalogError("Only manufacturers and staff can import.", code=CatalogErrorCode.STAFF_ONLY)
    if not actor.is_staff:
        manufacturer = actor
    return ProductImport.objects.create(
        created_by=actor,
        manufacturer=manufacturer,
        file=file,
        original_name=file.name.rsplit("/", 1)[-1][:255],
        mode=mode,
        status=status,
    )


def import_start(
    *,
    actor: User,
    file: File,
    manufacturer: User | None = None,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
) -> ProductImport:
    """Store the upload and check it (in a task when it is large): the admin's first step."""
    product_import = import_create(actor=actor, file=file, manufacturer=manufacturer, mode=mode)
    if _is_large(file):
        transaction.on_commit(
            lambda: async_task("catalog.tasks.product_import_check_task", product_import.pk)
        )
    else:
        import_check(import_id=product_import.pk)
        product_import.refresh_from_db()
    return product_import


def _is_large(file: File) -> bool:
    # About 120 bytes a row: a cheap estimate that needs no parsing in the request.
    return (file.size or 0) > settings.CATALOG_IMPORT_BACKGROUND_ROWS * 120


def import_check(*, import_id: int, on_progress: Progress | None = None) -> ProductImport:
    """Read and plan the file (nothing written to the catalogue) and store the preview."""
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    product_import.started_at = timezone.now()
    try:
        plan = _plan_for(product_import, on_progress=on_progress)
    except FileError as exc:
        product_import.status = ImportStatus.FAILED
        product_import.message = str(exc)
        product_import.finished_at = timezone.now()
        product_import.save()
        return product_import
    _record_plan(product_import, plan)
    product_import.status = ImportStatus.PREVIEWED
    product_import.save()
    return product_import


def import_confirm(*, product_import: ProductImport, actor: User, mode: ImportMode) -> ProductImport:
    """Write a previewed import (in a task when it is large)."""
    updated = ProductImport.objects.filter(
        pk=product_import.pk, status=ImportStatus.PREVIEWED
    ).update(status=ImportStatus.QUEUED, mode=mode)
    if updated != 1:
        raise CatalogError(
            "This import is not waiting for confirmation.", code=CatalogErrorCode.INVALID_TRANSITION
        )
    if product_import.rows_total > settings.CATALOG_IMPORT_BACKGROUND_ROWS:
        transaction.on_commit(
            lambda: async_task("catalog.tasks.product_import_apply_task", product_import.pk)
        )
        product_import.refresh_from_db()
        return product_import
    return import_apply(import_id=product_import.pk)


def import_cancel(*, product_import: ProductImport) -> None:
    ProductImport.objects.filter(
        pk=product_import.pk, status__in=[ImportStatus.PREVIEWED, ImportStatus.VALIDATING]
    ).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())


def import_apply(*, import_id: int, on_progress: Progress | None = None) -> ProductImport:
    """Check the file again against the catalogue as it is now, then write it.

    All or nothing: any error means nothing is written. "Valid rows only": products with an
    error are skipped (and listed), the rest are written.
    """
    updated = ProductImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    if updated != 1:
        return product_import  # already taken by another worker, or cancelled
    try:
        plan = _plan_for(product_import, on_progress=on_progress)
        _record_plan(product_import, plan)
        if plan.errors and product_import.mode == ImportMode.ALL_OR_NOTHING:
            product_import.status = ImportStatus.FAILED
            product_import.message = (
                f"{_plural(len(plan.errors), 'error', 'errors')} found; nothing was imported. "
                "Fix the file and upload it again, or choose “Import valid rows only”."
            )
        else:
            result = write_plan(
                plan,
                actor=product_import.created_by,
                note=f"Import #{product_import.pk}: {product_import.original_name}"[:255],
            )
            skipped = sum(len(p.variations) for p in plan.products if p.has_error)
            product_import.skipped_count = skipped
            product_import.status = ImportStatus.COMPLETED
            product_import.is_applied = True
            product_import.message = import_result_message(product_import, result) + "".join(
                f" {notice}" for notice in plan.notices
            )
            if result.image_product_ids:
                transaction.on_commit(
                    lambda: async_task(
                        "catalog.tasks.product_import_images_task",
                        product_import.pk,
                        result.image_product_ids,
                    )
                )
    except FileError as exc:
        product_import.status = ImportStatus.FAILED
        product_import.message = str(exc)
    except Exception:
        logger.exception("Import %s failed", import_id)
        product_import.status = ImportStatus.FAILED
        product_import.message = "The import stopped on an unexpected error; nothing was written."
        raise
    finally:
        product_import.finished_at = timezone.now()
        product_import.save()
    return product_import


def import_fetch_images(*, import_id: int, product_ids: list[str]) -> int:
    """Attach the images an import names to the products it wrote; returns the images added.
    An unreachable or invalid image is skipped and logged, never failing the import; an image
    already fetched from that URL is not fetched again (so re-importing an export adds nothing).
    """
    product_import = ProductImport.objects.select_related("manufacturer").get(pk=import_id)
    products = list(Product.objects.filter(pk__in=product_ids).select_related("manufacturer"))
    urls_of = import_image_urls(product_import=product_import, products=products)
    added = 0
    for product in products:
        stored = list(ProductImage.objects.filter(product=product))
        known = {image.source_url for image in stored}
        own = {image.original.url for image in stored if image.original}
        for url in urls_of.get(product.pk, []):
            if url in known or any(url.endswith(path) for path in own):
                continue
            try:
                upload = image_files.fetch_image(url)  # the HTTP boundary
                image = product_image_add(product=product, actor=product.manufacturer, file=upload)
            except (URLError, OSError, ValueError, ValidationError) as exc:
                logger.warning("Import %s: image %s skipped (%s)", import_id, url, exc)
                continue
            ProductImage.objects.filter(pk=image.pk).update(source_url=url[:500])
            added += 1
    return added


def catalogue_export(*, user: User, products=None, file_format: str = "csv", base_url: str = ""):
    """The user's catalogue (or the given products of it) as CSV text or XLSX bytes."""
    from catalog.resources import CatalogueExportResource

    resource = CatalogueExportResource(user=user, base_url=base_url)
    dataset = resource.export(queryset=resource.variations(products))
    return dataset.export(file_format)
