"""The catalogue admin, one module per area."""

from catalog.admin import categories, imports, products, stock  # noqa: F401 (registers)
