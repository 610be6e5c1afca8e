"""Who a user is to the backoffice: staff, a manufacturer, or nobody. One place decides.

A user is *staff* when ``is_staff``; a *manufacturer* when ``is_manufacturer`` (and not staff);
anyone else (customers, anonymous, deactivated accounts) is nobody to the backoffice. Every
scoping selector and permission check asks these functions.
"""

from enum import StrEnum

from django.db.models import QuerySet


class BackofficeRole(StrEnum):
    STAFF = "staff"
    MANUFACTURER = "manufacturer"


def backoffice_role(user) -> BackofficeRole | None:
    """The user's role in the backoffice, or None for customers, anonymous and inactive users."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return None
    if user.is_staff:
        return BackofficeRole.STAFF
    if getattr(user, "is_manufacturer", False):
        return BackofficeRole.MANUFACTURER
    return None


def user_can_enter_backoffice(*, user) -> bool:
    """Staff and manufacturers may sign in to the admin; customers may not."""
    return backoffice_role(user) is not None


def scoped_to_owner(queryset: QuerySet, *, user, owner_field: str) -> QuerySet:
    """Staff see every row, a manufacturer the rows whose ``owner_field`` is them, anyone
    else nothing: the one scoping rule of vendor-owned data."""
    role = backoffice_role(user)
    if role == BackofficeRole.STAFF:
        return queryset
    if role == BackofficeRole.MANUFACTURER:
        return queryset.filter(**{owner_field: user.pk})
    return queryset.none()
