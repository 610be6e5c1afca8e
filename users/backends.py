"""Authentication backends: Django's and allauth's, with permissions that follow a
manufacturer's onboarding status (``core.roles.backoffice_access``).

A pending or rejected manufacturer holds no permission at all, a suspended one only the
``view_*`` permissions of the Manufacturers group: every ModelAdmin, action and sidebar link
that asks ``has_perm`` then refuses writes by itself, whichever URL or method reaches it. The
admin site refuses the rest at its door (``backoffice.sites``).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from core.roles import BackofficeAccess, backoffice_access


class StatusAwarePermissionsMixin:
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        permissions = super().get_all_permissions(user_obj, obj)
        if not getattr(user_obj, "is_manufacturer", False) or user_obj.is_staff:
            return permissions
        access = backoffice_access(user_obj)
        if access == BackofficeAccess.AWAITING:
            return set()
        if access == BackofficeAccess.READ_ONLY:
            return {perm for perm in permissions if perm.partition(".")[2].startswith("view_")}
        return permissions


class ModelBackend(StatusAwarePermissionsMixin, DjangoModelBackend):
    pass


class AllauthBackend(StatusAwarePermissionsMixin, AllauthAuthenticationBackend):
    pass
