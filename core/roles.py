"""Who a user is to the backoffice: staff, a manufacturer, or nobody. One place decides.

A user is *staff* when ``is_staff``; a *manufacturer* when ``is_manufacturer`` (and not staff);
anyone else (customers, anonymous, deactivated accounts) is nobody to the backoffice. Every
scoping selector and permission check asks these functions.

A manufacturer's account has a status (vendor onboarding, ``users.onboarding``): only an
*active* one works normally. A *pending* or *rejected* one may sign in to see where their
application stands and fill in their profile, nothing else; a *suspended* one may sign in and
read, not write, and their products are not public. ``backoffice_access`` says which.
"""

from enum import StrEnum

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class BackofficeRole(StrEnum):
    STAFF = "staff"
    MANUFACTURER = "manufacturer"


class ManufacturerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class BackofficeAccess(StrEnum):
    FULL = "full"  # staff, an active manufacturer
    READ_ONLY = "read_only"  # a suspended manufacturer
    AWAITING = "awaiting"  # a pending or rejected manufacturer: the status page and profile


_ACCESS_OF_STATUS = {
    ManufacturerStatus.ACTIVE: BackofficeAccess.FULL,
    ManufacturerStatus.SUSPENDED: BackofficeAccess.READ_ONLY,
    ManufacturerStatus.PENDING: BackofficeAccess.AWAITING,
    ManufacturerStatus.REJECTED: BackofficeAccess.AWAITING,
}


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


def backoffice_access(user) -> BackofficeAccess | None:
    """What the user may do in the backoffice; None when they may not enter at all."""
    role = backoffice_role(user)
    if role is None:
        return None
    if role == BackofficeRole.STAFF:
        return BackofficeAccess.FULL
    status = getattr(user, "manufacturer_status", ManufacturerStatus.ACTIVE)
    return _ACCESS_OF_STATUS.get(status, BackofficeAccess.AWAITING)


def user_can_write_backoffice(*, user) -> bool:
    """Staff and active manufacturers may change data (admin, API product writes)."""
    return backoffice_access(user) == BackofficeAccess.FULL


def scoped_to_owner(queryset: QuerySet, *, user, owner_field: str) -> QuerySet:
    """Staff see every row, a manufacturer the rows whose ``owner_field`` is them, anyone
    else nothing: the one scoping rule of vendor-owned data."""
    role = backoffice_role(user)
    if role == BackofficeRole.STAFF:
        return queryset
    if role == BackofficeRole.MANUFACTURER and backoffice_access(user) != BackofficeAccess.AWAITING:
        return queryset.filter(**{owner_field: user.pk})
    return queryset.none()
