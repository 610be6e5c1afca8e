"""django-q2 tasks of the catalogue. They take ids and call services."""

import logging
import urllib.request
from urllib.error import URLError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Product, ProductImage
from catalog.services import product_image_add
from catalog.services.imports import import_apply, import_check

logger = logging.getLogger(__name__)


def product_import_check_task(import_id: int) -> str:
    return import_check(import_id=import_id).status


def product_import_apply_task(import_id: int) -> str:
    return import_apply(import_id=import_id).status


def fetch_image(url: str) -> SimpleUploadedFile:
    """Download one image (the HTTP boundary; tests replace this function)."""
    request = urllib.request.Request(url, headers={"User-Agent": "MARTAF-importer/1.0"})
    with urllib.request.urlopen(request, timeout=settings.CATALOG_IMPORT_IMAGE_TIMEOUT) as reply:
        data = reply.read(settings.CATALOG_IMAGE_MAX_BYTES + 1)
    name = url.rsplit("/", 1)[-1].split("?", 1)[0] or "image"
    return SimpleUploadedFile(name[:100], data)


def product_import_images_task(import_id: int, items: list[tuple[str, list[str]]]) -> int:
    """Attach the images named in an import. An unreachable or invalid image is skipped and
    logged, never failing the import; an image already fetched from that URL is not fetched
    again (so re-importing an export adds nothing)."""
    added = 0
    for product_id, urls in items:
        product = Product.objects.filter(pk=product_id).select_related("manufacturer").first()
        if product is None:
            continue
        known = set(
            ProductImage.objects.filter(product=product).values_list("source_url", flat=True)
        )
        own = {
            image.original.url
            for image in ProductImage.objects.filter(product=product)
            if image.original
        }
        for url in urls:
            if url in known or any(url.endswith(path) for path in own):
                continue
            try:
                upload = fetch_image(url)
                image = product_image_add(product=product, actor=product.manufacturer, file=upload)
            except (URLError, OSError, ValueError, ValidationError) as exc:
                logger.warning("Import %s: image %s skipped (%s)", import_id, url, exc)
                continue
            ProductImage.objects.filter(pk=image.pk).update(source_url=url[:500])
            added += 1
    return added
