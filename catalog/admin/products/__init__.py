"""The product admin, one module per job: ``admin`` (the product and pending-queue admins),
``inlines`` (the page's tabs), ``filters``, ``forms``, ``actions`` (moderation, stock, export)
and ``write`` (the page's forms become one service write)."""

from catalog.admin.products.admin import PendingProductAdmin, ProductAdmin

__all__ = ["PendingProductAdmin", "ProductAdmin"]
