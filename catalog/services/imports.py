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
import time
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django_q.tasks import async_task

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.importing.images import import_image_fetch, import_image_urls
from catalog.importing.plan import ImportPlan, plan_import, row_action
from catalog.importing.reader import FileError, read_import_file
from catalog.importing.write import write_plan
from catalog.models import ImportMode, ImportStatus, Product, ProductImage, ProductImport
from catalog.services.import_runs import (
    RunSuperseded,
    import_cancel,
    import_queue_lease,
    import_retry_reset,
    import_run_claim,
    import_run_finish,
    import_run_heartbeat,
)
from catalog.services.products import product_image_add
from users.models import User

__all__ = [
    "catalogue_export", "import_apply", "import_cancel", "import_check", "import_confirm",
    "import_create", "import_fetch_images", "import_retry", "import_start",
]
logger = logging.getLogger(__name__)
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 200
Progress = Callable[[int, int], None]  # (rows checked, rows in the file)


def _queue(task: str, *args) -> None:
    """Queue an import task after commit, with the import tasks' own timeout."""
    transaction.on_commit(
        lambda: async_task(task, *args, timeout=settings.CATALOG_IMPORT_TASK_TIMEOUT)
    )


def _plan_for(
    product_import: ProductImport,
    *,
    run_id: UUID,
    on_progress: Progress | None,
    max_rows: int | None,
    lease_seconds: int | None,
) -> ImportPlan:
    product_import.file.open("rb")
    try:
        raw = product_import.file.read()
    finally:
        product_import.file.close()
    parsed = read_import_file(raw, filename=product_import.original_name, max_rows=max_rows)
    total = len(parsed.rows)
    import_run_heartbeat(
        import_id=product_import.pk, run_id=run_id, lease_seconds=lease_seconds,
        rows_total=total, rows_done=0,
    )

    def progress(done: int) -> None:
        # Every 1,000 rows: the rows done for the page, and the run's heartbeat.
        import_run_heartbeat(
            import_id=product_import.pk, run_id=run_id, lease_seconds=lease_seconds,
            rows_done=done,
        )
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


def import_result_message(*, fields: dict, skipped: int, result) -> str:
    """The banner after a write, in the cards' words: rows new / updated / unchanged
    (/ skipped), then what that made of the catalogue. ``fields`` are the plan's counts
    (``_plan_fields``)."""
    created, updated = fields["created_count"], fields["updated_count"]
    rows = (
        f"{_plural(created + updated, 'row', 'rows')}"
        f" imported: {created:,} new, "
        f"{updated:,} updated, {fields['unchanged_count']:,} unchanged"
    )
    if skipped:
        rows += f", {skipped:,} skipped (errors)"
    catalogue = (
        f"{_plural(result.products_created, 'product', 'products')} created, "
        f"{result.products_updated:,} updated; "
        f"{_plural(result.stock_movements, 'stock change', 'stock changes')}"
    )
    return f"{rows}. {catalogue}."


def _plan_fields(plan: ImportPlan) -> dict:
    """What the preview shows of a plan, as the import's fields."""
    counts = plan.counts()
    return {
        "rows_total": plan.rows_total,
        "rows_done": plan.rows_total,
        "created_count": counts["create"],
        "updated_count": counts["update"],
        "unchanged_count": counts["unchanged"],
        "error_count": len(plan.errors),
        "errors": [e.as_dict() for e in plan.errors[:MAX_STORED_ERRORS]],
        "changes": _changes_sample(plan),
        "message": " ".join(plan.notices),
    }


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
    return _check_now_or_later(product_import, large=_is_large(file))


def _check_now_or_later(product_import: ProductImport, *, large: bool) -> ProductImport:
    if large:
        import_queue_lease(import_id=product_import.pk, status=ImportStatus.VALIDATING)
        _queue("catalog.tasks.product_import_check_task", product_import.pk)
        product_import.refresh_from_db()
        return product_import
    return import_check(import_id=product_import.pk)


def _is_large(file: File) -> bool:
    # About 120 bytes a row: a cheap estimate that needs no parsing in the request.
    return (file.size or 0) > settings.CATALOG_IMPORT_BACKGROUND_ROWS * 120


def _failure(exc: Exception, *, import_id: int, doing: str) -> dict:
    """The fields of an import whose run stopped on ``exc``: the reason, never a 500."""
    if isinstance(exc, FileError):
        return {"status": ImportStatus.FAILED, "message": str(exc)}
    logger.exception("Import %s: %s stopped on an unexpected error", import_id, doing)
    return {
        "status": ImportStatus.FAILED,
        "message": f"{doing.capitalize()} stopped on an unexpected error (logged for the "
        "site's staff); nothing was written.",
    }


def import_check(
    *,
    import_id: int,
    on_progress: Progress | None = None,
    max_rows: int | None = -1,
    lease_seconds: int | None = None,
) -> ProductImport:
    """Read and plan the file (nothing written to the catalogue) and store the preview.
    ``max_rows`` -1 is ``CATALOG_IMPORT_MAX_ROWS``; None reads any number (the command)."""
    run_id = import_run_claim(
        import_id=import_id, waiting=ImportStatus.VALIDATING, working=ImportStatus.VALIDATING,
        lease_seconds=lease_seconds,
    )
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    if run_id is None:
        return product_import  # a live run has it, or it was cancelled
    try:
        plan = _plan_for(
            product_import, run_id=run_id, on_progress=on_progress,
            max_rows=_max_rows(max_rows), lease_seconds=lease_seconds,
        )
        outcome = {**_plan_fields(plan), "status": ImportStatus.PREVIEWED}
    except RunSuperseded:
        outcome = None
    except Exception as exc:  # noqa: BLE001 - any reader failure fails the import, with its reason
        outcome = _failure(exc, import_id=import_id, doing="checking")
    if outcome is not None:
        import_run_finish(import_id=import_id, run_id=run_id, **outcome)
    product_import.refresh_from_db()
    return product_import


def _max_rows(max_rows: int | None) -> int | None:
    return settings.CATALOG_IMPORT_MAX_ROWS if max_rows == -1 else max_rows


def import_confirm(*, product_import: ProductImport, actor: User, mode: ImportMode) -> ProductImport:
    """Write a previewed import (in a task when it is large)."""
    queued = import_queue_lease(
        import_id=product_import.pk, status=ImportStatus.QUEUED,
        from_status=ImportStatus.PREVIEWED, mode=mode,
    )
    if queued != 1:
        raise CatalogError(
            "This import is not waiting for confirmation.", code=CatalogErrorCode.INVALID_TRANSITION
        )
    if product_import.rows_total > settings.CATALOG_IMPORT_BACKGROUND_ROWS:
        _queue("catalog.tasks.product_import_apply_task", product_import.pk)
        product_import.refresh_from_db()
        return product_import
    return import_apply(import_id=product_import.pk)


def import_retry(*, product_import: ProductImport) -> ProductImport:
    """Check a stalled or failed import's stored file again (in a task when it is large): a
    fresh preview, nothing written until it is confirmed."""
    import_retry_reset(product_import=product_import)
    return _check_now_or_later(
        product_import, large=product_import.rows_total > settings.CATALOG_IMPORT_BACKGROUND_ROWS
        or _is_large(product_import.file),
    )


def import_apply(
    *,
    import_id: int,
    on_progress: Progress | None = None,
    max_rows: int | None = -1,
    lease_seconds: int | None = None,
) -> ProductImport:
    """Check the file again against the catalogue as it is now, then write it.

    All or nothing: any error means nothing is written. "Valid rows only": products with an
    error are skipped (and listed), the rest are written. The write and the import's
    "Completed" are one transaction: a run that dies wrote nothing, and a re-delivered task
    can take the import over (see ``import_runs``).
    """
    run_id = import_run_claim(
        import_id=import_id, waiting=ImportStatus.QUEUED, working=ImportStatus.RUNNING,
        lease_seconds=lease_seconds,
    )
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    if run_id is None:
        return product_import  # already taken by a live run, cancelled, or given up on
    try:
        plan = _plan_for(
            product_import, run_id=run_id, on_progress=on_progress,
            max_rows=_max_rows(max_rows), lease_seconds=lease_seconds,
        )
        fields = _plan_fields(plan)
        if plan.errors and product_import.mode == ImportMode.ALL_OR_NOTHING:
            import_run_finish(import_id=import_id, run_id=run_id, **{
                **fields,
                "status": ImportStatus.FAILED,
                "message": f"{_plural(len(plan.errors), 'error', 'errors')} found; nothing was "
                "imported. Fix the file and upload it again, or choose “Import valid rows only”.",
            })
        else:
            _write(product_import, plan, run_id=run_id, fields=fields)
    except RunSuperseded:
        pass
    except Exception as exc:  # noqa: BLE001 - the import fails with a reason, never stays running
        import_run_finish(
            import_id=import_id, run_id=run_id, **_failure(exc, import_id=import_id,
                                                           doing="the import")
        )
    product_import.refresh_from_db()
    return product_import


def _write(product_import: ProductImport, plan: ImportPlan, *, run_id: UUID, fields: dict) -> None:
    with transaction.atomic():
        result = write_plan(
            plan,
            actor=product_import.created_by,
            note=f"Import #{product_import.pk}: {product_import.original_name}"[:255],
        )
        skipped = sum(len(p.variations) for p in plan.products if p.has_error)
        message = import_result_message(fields=fields, skipped=skipped, result=result) + "".join(
            f" {notice}" for notice in plan.notices
        )
        done = import_run_finish(import_id=product_import.pk, run_id=run_id, **{
            **fields, "status": ImportStatus.COMPLETED, "is_applied": True,
            "skipped_count": skipped, "message": message,
        })
        if not done:
            raise RunSuperseded(product_import.pk)  # rolls the write back: the run lost its lease
        if result.image_product_ids:
            _queue("catalog.tasks.product_import_images_task", product_import.pk,
                   result.image_product_ids)


def import_fetch_images(
    *, import_id: int, product_ids: list[str], seconds: float | None = None
) -> tuple[int, list[str]]:
    """Attach the images an import names to the products it wrote: (images added, the
    products not reached within ``seconds``, for a follow-up task).

    Every address is checked again (public http(s) only, after DNS and on each redirect) and
    capped in size and time (``catalog.importing.images``). An unreachable, refused or invalid
    image is skipped and logged, never failing the import; an image already fetched from that
    URL is not fetched again (so re-importing an export adds nothing).
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    by_id = Product.objects.filter(pk__in=product_ids).select_related("manufacturer").in_bulk()
    wanted = [UUID(str(pk)) for pk in product_ids]  # in order: a follow-up takes the rest
    products = [by_id[pk] for pk in wanted if pk in by_id]
    urls_of = import_image_urls(product_import=product_import, products=products)
    added = 0
    for index, product in enumerate(products):
        stored = list(ProductImage.objects.filter(product=product))
        known = {image.source_url for image in stored}
        own = {image.original.url for image in stored if image.original}
        for url in urls_of.get(product.pk, []):
            if url in known or any(url.endswith(path) for path in own):
                continue
            if deadline is not None and time.monotonic() > deadline:
                return added, [str(p.pk) for p in products[index:]]
            try:
                upload = import_image_fetch(url)
                # As the importer, like the rest of the import: approval answers the same.
                image = product_image_add(
                    product=product, actor=product_import.created_by, file=upload
                )
            except (OSError, ValueError, ValidationError) as exc:
                logger.warning("Import %s: image %s skipped (%s)", import_id, url, exc)
                continue
            ProductImage.objects.filter(pk=image.pk).update(source_url=url[:500])
            added += 1
    return added, []


def catalogue_export(*, user: User, products=None, file_format: str = "csv", base_url: str = ""):
    """The user's catalogue (or the given products of it) as CSV text or XLSX bytes."""
    from catalog.resources import CatalogueExportResource

    resource = CatalogueExportResource(user=user, base_url=base_url)
    dataset = resource.export(queryset=resource.variations(products))
    return dataset.export(file_format)
