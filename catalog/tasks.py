"""django-q2 tasks of the catalogue. They take ids and call services."""

from catalog.services.imports import import_apply, import_check, import_fetch_images


def product_import_check_task(import_id: int) -> str:
    return import_check(import_id=import_id).status


def product_import_apply_task(import_id: int) -> str:
    return import_apply(import_id=import_id).status


def product_import_images_task(import_id: int, product_ids: list[str]) -> int:
    return import_fetch_images(import_id=import_id, product_ids=product_ids)
