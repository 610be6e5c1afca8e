"""What an uncached list page costs in queries, shared by the tests that pin it."""

from django.db import connection

# the catalogue's version, the count, the page's products (with category and seller), their
# categories' ancestors, images, variations, latest reviews (with their authors)
LIST_QUERIES = 7


def search_window(params: dict) -> int:
    """One more for a search's first page in the default order on SQLite: the list's first
    pages are read for their matches first (``catalog.selectors_listing``'s search window),
    then the page's products by id."""
    first = str(params.get("page", 1)) == "1" and not params.get("ordering")
    return int(connection.vendor == "sqlite" and bool(params.get("search")) and first)
