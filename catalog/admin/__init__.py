"""The catalogue admin, one module per area."""

from catalog.admin import categories, products, stock  # noqa: F401 (registers)
