"""Which image addresses an import names for each product, read back from its stored file.

The image task takes ids (the import, the products it wrote with images), so the addresses are
read again here rather than carried in the task's payload.
"""

from catalog.importing.columns import is_web_address, split_image_urls
from catalog.importing.reader import read_import_file
from catalog.models import Product, ProductImport


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
