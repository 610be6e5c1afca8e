"""The life of a catalogue import: upload -> check (preview) -> confirm -> write.

Small files are checked and written in the request; files above
``CATALOG_IMPORT_BACKGROUND_ROWS`` rows are checked and written by django-q2 tasks, with the
progress (rows checked / total) saved on the ``ProductImport`` as it goes. Checking runs outside
any transaction so that progress is visible to the admin page; the write is one transaction.
"""

import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.importing.plan import ImportPlan, plan_import, row_action
from catalog.importing.reader import FileError, read_import_file
from catalog.importing.write import write_plan
from catalog.models import ImportMode, ImportStatus, ProductImport
from users.models import User

logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 200


def _plan_for(product_import: ProductImport, *, progress: bool) -> ImportPlan:
    product_import.file.open("rb")
    try:
        raw = product_import.file.read()
    finally:
        product_import.file.close()
    parsed = read_import_file(raw, filename=product_import.original_name)
    ProductImport.objects.filter(pk=product_import.pk).update(
        rows_total=len(parsed.rows), rows_done=0
    )

    def on_progress(done: int) -> None:
        if progress:
            ProductImport.objects.filter(pk=product_import.pk).update(rows_done=done)

    plan = plan_import(
        rows=parsed.rows,
        actor=product_import.created_by,
        manufacturer=product_import.manufacturer,
        on_progress=on_progress,
    )
    if parsed.unknown_columns:
        plan.notices.append(f"Ignored column(s): {', '.join(parsed.unknown_columns)}.")
    del parsed, raw  # the plan holds what the write needs; the rows can go
    return plan


def _changes_sample(plan: ImportPlan) -> list[dict]:
    sample = []
    for product in plan.products:
        for variation in product.variations:
            action = row_action(product, variation)
            if action != "unchanged":
                sample.append(
                    {
                        "row": variation.row,
                        "action": action,
                        "handle": product.handle,
                        "name": product.fields.get("name") or (product.existing or {}).get("name"),
                        "variation": " / ".join(x for x in (variation.size, variation.color) if x),
                        "changes": ", ".join(product.changed + variation.changed),
                    }
                )
            if len(sample) >= MAX_STORED_CHANGES:
                return sample
    return sample


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


def import_start(
    *,
    actor: User,
    file: UploadedFile,
    manufacturer: User | None = None,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
) -> ProductImport:
    """Store the upload and check it (in a task when it is large). Staff may name the
    manufacturer; a manufacturer always imports into their own catalogue."""
    if not (actor.is_staff or actor.is_manufacturer):
        raise CatalogError("Only manufacturers and staff can import.", code=CatalogErrorCode.STAFF_ONLY)
    if not actor.is_staff:
        manufacturer = actor
    product_import = ProductImport.objects.create(
        created_by=actor,
        manufacturer=manufacturer,
        file=file,
        original_name=file.name[:255],
        mode=mode,
        status=ImportStatus.VALIDATING,
    )
    if _is_large(file):
        transaction.on_commit(
            lambda: async_task("catalog.tasks.product_import_check_task", product_import.pk)
        )
    else:
        import_check(import_id=product_import.pk)
        product_import.refresh_from_db()
    return product_import


def _is_large(file: UploadedFile) -> bool:
    # About 120 bytes a row: a cheap estimate that needs no parsing in the request.
    return (file.size or 0) > settings.CATALOG_IMPORT_BACKGROUND_ROWS * 120


def import_check(*, import_id: int) -> ProductImport:
    """Read and plan the file (nothing written to the catalogue) and store the preview."""
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    product_import.started_at = timezone.now()
    try:
        plan = _plan_for(product_import, progress=True)
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


def import_apply(*, import_id: int) -> ProductImport:
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
        plan = _plan_for(product_import, progress=True)
        _record_plan(product_import, plan)
        if plan.errors and product_import.mode == ImportMode.ALL_OR_NOTHING:
            product_import.status = ImportStatus.FAILED
            product_import.message = (
                f"{len(plan.errors)} error(s) found; nothing was imported. Fix them, or choose "
                "“Import valid rows only”."
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
            product_import.message = (
                f"{result.products_created} products created, {result.products_updated} "
                f"updated; {result.variations_created} variations created, "
                f"{result.variations_updated} updated; {result.stock_movements} stock changes."
                + (f" {skipped} row(s) with errors skipped." if skipped else "")
            )
            if result.images_to_fetch:
                transaction.on_commit(
                    lambda: async_task(
                        "catalog.tasks.product_import_images_task",
                        product_import.pk,
                        result.images_to_fetch,
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


def import_summary(product_import: ProductImport) -> dict:
    """What the admin and the management command print about an import."""
    return {
        key: value
        for key, value in asdict_import(product_import).items()
        if key in {"rows_total", "created_count", "updated_count", "unchanged_count",
                   "skipped_count", "error_count", "status", "message"}
    }


def asdict_import(product_import: ProductImport) -> dict:
    return {field.name: getattr(product_import, field.name) for field in ProductImport._meta.fields}


__all__ = ["import_apply", "import_cancel", "import_check", "import_confirm",
           "import_start", "import_summary"]


def catalogue_export(*, user: User, products=None, file_format: str = "csv", base_url: str = ""):
    """The user's catalogue (or the given products of it) as CSV text or XLSX bytes."""
    from catalog.resources import CatalogueExportResource

    resource = CatalogueExportResource(user=user, base_url=base_url)
    dataset = resource.export(queryset=resource.variations(products))
    return dataset.export(file_format)
