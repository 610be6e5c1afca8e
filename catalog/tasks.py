"""django-q2 tasks of the catalogue. They take ids and call services.

The import tasks are queued with ``CATALOG_IMPORT_TASK_TIMEOUT`` (the largest file accepted is
checked and written well within it); the image task works for at most
``CATALOG_IMPORT_IMAGES_TASK_SECONDS`` and queues the products it did not reach as a follow-up.
"""

from django.conf import settings
from django_q.tasks import async_task

from catalog.importing import (
    import_apply,
    import_check,
    import_fetch_images,
    imports_fail_stalled,
)


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
            "catalog.tasks.product_import_images_task",
            import_id,
            rest,
            timeout=settings.CATALOG_IMPORT_TASK_TIMEOUT,
        )
    return added


def product_imports_recover_task() -> int:
    """Every 5 minutes (Schedule made by a catalog migration): fail the imports whose run
    died, with the reason, so that none stays "Running" for ever."""
    return imports_fail_stalled()
