"""django-q2 tasks of catalogue imports. They take ids and call the import's services.

The import tasks are queued with ``CATALOG_IMPORT_TASK_TIMEOUT`` (the largest file accepted is
checked and written well within it); the image task works for at most
``CATALOG_IMPORT_IMAGES_TASK_SECONDS`` and queues the products it did not reach as a follow-up.
"""

from django.conf import settings
from django_q.tasks import async_task

from imports.images import import_fetch_images
from imports.lifecycle import import_apply, import_check
from imports.runs import imports_fail_stalled


def product_import_check_task(import_id: int) -> str:
    return import_check(import_id=import_id).status


def product_import_apply_task(import_id: int) -> str:
    return import_apply(import_id=import_id).status


def product_import_images_task(import_id: int, product_ids: list[str]) -> int:
    added, rest = import_fetch_images(
        import_id=import_id,
        product_ids=product_ids,
        seconds=settings.CATALOG_IMPORT_IMAGES_TASK_SECONDS,
    )
    if rest:
        async_task(
            "imports.tasks.product_import_images_task",
            import_id,
            rest,
            timeout=settings.CATALOG_IMPORT_TASK_TIMEOUT,
        )
    return added


def product_imports_recover_task() -> int:
    """Every 5 minutes (the Schedule ``catalog.0006_import_run_lease`` made, renamed to this
    path by ``imports.0001_initial``): fail the imports whose run died, with the reason, so
    that none stays "Running" for ever."""
    return imports_fail_stalled()
