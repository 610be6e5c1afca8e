"""The life of a catalogue import: upload -> check (preview) -> confirm -> write -> images.

The one import path: the admin, ``manage.py import_products`` and the django-q2 tasks all call
these services, so every import has its ``ProductImport`` record (the admin's import history),
its unknown-column notice and its image fetch. In the admin, small files are checked and written
in the request; files above ``CATALOG_IMPORT_BACKGROUND_ROWS`` rows are checked and written by
tasks, with the progress (rows checked / total) saved on the record as it goes. The command
writes in one pass (``import_create`` queued, then ``import_apply``) with its own progress bar.
Checking runs outside any transaction so that progress is visible to the admin page; the write
is one transaction. Images are fetched after commit, by a task that takes ids.

Each run reads the stored file once (``_plan_for``). The check reads it to make the preview;
the write reads it again and plans it against the catalogue as it is then, by design: the
preview's plan cannot be kept, since it holds each matched product's and variation's values as
they were at the preview, which the write would put back over what changed since (an edit, a
sale, another import). So a confirm writes the file the preview showed, checked again: an
all-or-nothing import whose file no longer fits (a SKU taken since, say) is refused with the
errors, and nothing is written. The image step reads nothing: the write keeps the addresses its
plan found on the import (``ProductImport.image_urls``).
"""

import logging
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django_q.tasks import async_task

from catalog.errors import CatalogError, CatalogErrorCode
from core.roles import user_can_write_backoffice
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.plan import ImportPlan, plan_import
from imports.preview import (
    import_refused_message,
    import_result_message,
    preview_fields,
    unknown_columns_notice,
)
from imports.reader import FileError, read_import_file
from imports.runs import (
    RunSuperseded,
    import_queue_lease,
    import_retry_reset,
    import_run_claim,
    import_run_finish,
    import_run_heartbeat,
)
from imports.write import write_plan
from users.models import User

logger = logging.getLogger(__name__)
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
    """Read the stored file (the run's one read of it) and plan it against the catalogue as
    it is now."""
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
        plan.notices.append(unknown_columns_notice(parsed.unknown_columns))
    del parsed, raw  # the plan holds what the write needs; the rows can go
    return plan


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
        _queue("imports.tasks.product_import_check_task", product_import.pk)
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


def _claimed(
    import_id: int, *, waiting: ImportStatus, working: ImportStatus, lease_seconds: int | None
) -> tuple[ProductImport, UUID | None]:
    """Claim the import for a run (``runs.import_run_claim``): the import, and the run's id or
    None when the import is not this run's to work on."""
    run_id = import_run_claim(
        import_id=import_id, waiting=waiting, working=working, lease_seconds=lease_seconds
    )
    product_import = ProductImport.objects.select_related("created_by", "manufacturer").get(
        pk=import_id
    )
    return product_import, run_id


def import_check(
    *,
    import_id: int,
    on_progress: Progress | None = None,
    max_rows: int | None = -1,
    lease_seconds: int | None = None,
) -> ProductImport:
    """Read and plan the file (nothing written to the catalogue) and store the preview.
    ``max_rows`` -1 is ``CATALOG_IMPORT_MAX_ROWS``; None reads any number (the command)."""
    product_import, run_id = _claimed(
        import_id, waiting=ImportStatus.VALIDATING, working=ImportStatus.VALIDATING,
        lease_seconds=lease_seconds,
    )
    if run_id is None:
        return product_import  # a live run has it, or it was cancelled
    try:
        plan = _plan_for(
            product_import, run_id=run_id, on_progress=on_progress,
            max_rows=_max_rows(max_rows), lease_seconds=lease_seconds,
        )
        outcome = {**preview_fields(plan), "status": ImportStatus.PREVIEWED}
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
    if not import_queue_lease(import_id=product_import.pk, status=ImportStatus.QUEUED, mode=mode):
        raise CatalogError(
            "This import is not waiting for confirmation.", code=CatalogErrorCode.INVALID_TRANSITION
        )
    if product_import.rows_total > settings.CATALOG_IMPORT_BACKGROUND_ROWS:
        _queue("imports.tasks.product_import_apply_task", product_import.pk)
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
    can take the import over (see ``runs``).
    """
    product_import, run_id = _claimed(
        import_id, waiting=ImportStatus.QUEUED, working=ImportStatus.RUNNING,
        lease_seconds=lease_seconds,
    )
    if run_id is None:
        return product_import  # already taken by a live run, cancelled, or given up on
    try:
        plan = _plan_for(
            product_import, run_id=run_id, on_progress=on_progress,
            max_rows=_max_rows(max_rows), lease_seconds=lease_seconds,
        )
        fields = preview_fields(plan)
        refusal = _writer_refusal(product_import)
        if refusal:
            import_run_finish(import_id=import_id, run_id=run_id, **{
                **fields, "status": ImportStatus.FAILED, "message": refusal,
            })
        elif plan.errors and product_import.mode == ImportMode.ALL_OR_NOTHING:
            import_run_finish(import_id=import_id, run_id=run_id, **{
                **fields,
                "status": ImportStatus.FAILED,
                "message": import_refused_message(errors=len(plan.errors)),
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


def _writer_refusal(product_import: ProductImport) -> str | None:
    """Why the import may no longer be written, as things are now: its author or its
    manufacturer was suspended (or deactivated) after it was confirmed or queued."""
    people = User.objects.in_bulk(
        [pk for pk in (product_import.created_by_id, product_import.manufacturer_id) if pk]
    )
    for user in people.values():
        if not user_can_write_backoffice(user=user):
            return (
                f"Nothing was imported: {user.email} may no longer change the catalogue "
                "(suspended or deactivated since the import was confirmed)."
            )
    return None


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
            "skipped_count": skipped, "message": message, "image_urls": result.image_urls,
        })
        if not done:
            raise RunSuperseded(product_import.pk)  # rolls the write back: the run lost its lease
        if result.image_urls:
            _queue("imports.tasks.product_import_images_task", product_import.pk,
                   list(result.image_urls))
