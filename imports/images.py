"""The images an import names: checking an address at preview, fetching one, and the image
step that attaches them to the products the import wrote.

The image task takes ids (the import, the products it wrote with images); the addresses are the
ones the write's plan found, kept on the import (``ProductImport.image_urls``), so neither the
task's payload carries them nor the step reads the file again. Fetching goes through
``core.outbound``: only public http(s) addresses, checked after DNS resolution and on every
redirect, capped in size (``CATALOG_IMAGE_MAX_BYTES``) and time
(``CATALOG_IMPORT_IMAGE_TIMEOUT``).
"""

import logging
import time
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Product, ProductImage
from catalog.services.products import product_image_add
from core.media import media_name_of_url
from core.outbound import OutboundError, OutboundRefused, outbound_check, outbound_get
from imports.columns import is_web_address
from imports.models import ProductImport

logger = logging.getLogger(__name__)

# How long the preview may spend resolving host names of image addresses, in all. Hosts left
# unresolved are still checked when the image is fetched.
PREVIEW_DNS_BUDGET_SECONDS = 10.0

# Where product images are stored (``ProductImage.original``'s folder).
PRODUCT_IMAGE_FOLDER = ProductImage._meta.get_field("original").upload_to


class ImageUrlCheck:
    """Checks the image addresses of one import at preview: the reason an address is refused,
    or None. Each host is resolved once per import, within PREVIEW_DNS_BUDGET_SECONDS."""

    def __init__(self):
        self._by_host: dict[tuple[str, int], str | None] = {}
        self._dns_seconds = 0.0

    def __call__(self, url: str) -> str | None:
        if not is_web_address(url):
            return f"“{url}” is not an http(s) address."
        if _own_image_name(url) is not None:
            return None  # this marketplace's own image: taken from the storage, not fetched
        try:
            target = outbound_check(url, resolve=False)  # form and literal IP addresses
        except OutboundRefused as exc:
            return str(exc)
        if target.address or (target.host, target.port) in self._by_host:
            return self._by_host.get((target.host, target.port))
        if self._dns_seconds >= PREVIEW_DNS_BUDGET_SECONDS:
            return None  # checked again at fetch time
        started = time.monotonic()
        try:
            outbound_check(url)
            reason = None
        except OutboundRefused as exc:
            reason = str(exc)
        except OutboundError:
            reason = None  # unresolvable now: skipped at fetch time if it still is
        self._dns_seconds += time.monotonic() - started
        self._by_host[(target.host, target.port)] = reason
        return reason


def _own_image_name(url: str) -> str | None:
    """The stored name ``url`` gives when it is the address of one of this marketplace's own
    product images (an export's: MEDIA_URL on this site, or the bucket / its CDN), by its form
    alone (the preview asks the storage nothing). Only product images qualify: an address
    naming any other stored file (an import file, a document) is a foreign address."""
    name = media_name_of_url(url)
    return name if name is not None and name.startswith(PRODUCT_IMAGE_FOLDER) else None


def own_public_image(url: str) -> str | None:
    """``_own_image_name`` when that file exists in the storage, else None (then the address
    is fetched like any other, and refused if it is not public)."""
    name = _own_image_name(url)
    return name if name is not None and default_storage.exists(name) else None


def _stored_image(name: str) -> File:
    """A product image already in the storage, read through it, as an upload to add again."""
    with default_storage.open(name, "rb") as handle:
        body = handle.read()
    return SimpleUploadedFile(name.rsplit("/", 1)[-1][:100], body)


def import_image_fetch(url: str) -> SimpleUploadedFile:
    """Download one image an import names (checked again here: DNS may have changed since the
    preview). Raises OutboundError (OSError) when it is refused or cannot be fetched."""
    reply = outbound_get(
        url,
        max_bytes=settings.CATALOG_IMAGE_MAX_BYTES,
        timeout=settings.CATALOG_IMPORT_IMAGE_TIMEOUT,
    )
    name = reply.url.rsplit("/", 1)[-1].split("?", 1)[0] or "image"
    return SimpleUploadedFile(name[:100], reply.body, content_type=reply.content_type)


def import_fetch_images(
    *, import_id: int, product_ids: list[str], seconds: float | None = None
) -> tuple[int, list[str]]:
    """Attach the images an import names to the products it wrote: (images added, the
    products not reached within ``seconds``, for a follow-up task).

    Every address is checked again (public http(s) only, after DNS and on each redirect) and
    capped in size and time (``import_image_fetch``). An unreachable, refused or invalid
    image is skipped and logged, never failing the import; an image already fetched from that
    URL is not fetched again. An address of this marketplace's own images (an export's) is
    never fetched: the product keeps the image when it is one of its own, and another stored
    product image is copied through the storage (so re-importing an export changes nothing).
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    # The addresses too (left out of every other read of an import).
    product_import = ProductImport.objects.defer(None).select_related("created_by").get(
        pk=import_id
    )
    by_id = Product.objects.filter(pk__in=product_ids).select_related("manufacturer").in_bulk()
    wanted = [UUID(str(pk)) for pk in product_ids]  # in order: a follow-up takes the rest
    products = [by_id[pk] for pk in wanted if pk in by_id]
    urls_of = product_import.image_urls
    added = 0
    for index, product in enumerate(products):
        stored = list(ProductImage.objects.filter(product=product))
        known = {image.source_url for image in stored}
        own = {image.original.name for image in stored if image.original}
        for url in urls_of.get(str(product.pk), []):
            if url in known or media_name_of_url(url) in own:
                continue  # the product has it already
            if deadline is not None and time.monotonic() > deadline:
                return added, [str(p.pk) for p in products[index:]]
            try:
                stored_name = own_public_image(url)
                upload = _stored_image(stored_name) if stored_name else import_image_fetch(url)
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
