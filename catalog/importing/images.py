"""The images an import names: which addresses belong to each product (read back from the
stored file), checking an address at preview, and fetching one.

The image task takes ids (the import, the products it wrote with images), so the addresses are
read again here rather than carried in the task's payload. Fetching goes through
``core.outbound``: only public http(s) addresses, checked after DNS resolution and on every
redirect, capped in size (``CATALOG_IMAGE_MAX_BYTES``) and time
(``CATALOG_IMPORT_IMAGE_TIMEOUT``).
"""

import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.importing.columns import is_web_address, split_image_urls
from catalog.importing.reader import read_import_file
from catalog.models import Product, ProductImport
from core.outbound import OutboundError, OutboundRefused, outbound_check, outbound_get

# How long the preview may spend resolving host names of image addresses, in all. Hosts left
# unresolved are still checked when the image is fetched.
PREVIEW_DNS_BUDGET_SECONDS = 10.0


class ImageUrlCheck:
    """Checks the image addresses of one import at preview: the reason an address is refused,
    or None. Each host is resolved once per import, within PREVIEW_DNS_BUDGET_SECONDS."""

    def __init__(self):
        self._by_host: dict[tuple[str, int], str | None] = {}
        self._dns_seconds = 0.0

    def __call__(self, url: str) -> str | None:
        if not is_web_address(url):
            return f"“{url}” is not an http(s) address."
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


def import_image_urls(
    *, product_import: ProductImport, products: list[Product]
) -> dict[object, list[str]]:
    """Product id -> the http(s) addresses its rows name, in file order, each once. A row
    belongs to a product by handle and by manufacturer: the row's ``manufacturer`` email, or
    the import's manufacturer (``products`` need ``manufacturer`` loaded)."""
    by_key = {(p.manufacturer.email.lower(), p.handle): p.pk for p in products}
    default_owner = (product_import.manufacturer.email if product_import.manufacturer else "")
    product_import.file.open("rb")
    try:
        raw = product_import.file.read()
    finally:
        product_import.file.close()
    urls: dict[object, list[str]] = {}
    for _, row in read_import_file(raw, filename=product_import.original_name).rows:
        owner = (row.get("manufacturer", "").strip() or default_owner).lower()
        product_id = by_key.get((owner, row.get("handle", "").strip().lower()))
        if product_id is None:
            continue
        found = urls.setdefault(product_id, [])
        found += [u for u in split_image_urls(row.get("image_urls", "")) if
                  is_web_address(u) and u not in found]
    return urls
