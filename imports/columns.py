"""The catalogue file format: one row per variation, rows sharing a ``handle`` form a product."""

PRODUCT_COLUMNS = ["handle", "name", "description", "price", "discount_percent", "category",
                   "is_active"]
VARIATION_COLUMNS = ["size", "color", "sku", "stock", "low_stock_threshold"]
COLUMNS = [*PRODUCT_COLUMNS, *VARIATION_COLUMNS, "image_urls"]  # what an export writes
STAFF_COLUMNS = [*COLUMNS, "manufacturer"]
REQUIRED_COLUMNS = ["handle"]
KNOWN_COLUMNS = set(STAFF_COLUMNS)
CATEGORY_SEPARATOR = ">"
IMAGE_URL_SEPARATOR = "|"


def split_image_urls(cell: str) -> list[str]:
    """The addresses of an ``image_urls`` cell, in order, without blanks."""
    return [url.strip() for url in cell.split(IMAGE_URL_SEPARATOR) if url.strip()]


def is_web_address(url: str) -> bool:
    return url.startswith(("http://", "https://"))
