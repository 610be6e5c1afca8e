"""Reads of catalogue imports: the one scoping function of the import history (its admin, the
reports, the dashboard)."""

from django.db.models import QuerySet

from core.roles import scoped_to_owner
from imports.models import ProductImport
from users.models import User


def product_imports_visible_to(*, user: User) -> QuerySet[ProductImport]:
    return scoped_to_owner(ProductImport.objects.all(), user=user, owner_field="manufacturer_id")
