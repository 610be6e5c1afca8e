"""Plumbing shared by the catalogue API views: authentication, permissions, pagination.

- Reads are public. The storefront sends stale ``Authorization: Bearer`` headers to public
  endpoints (docs/api.md#conventions), so on GET/HEAD/OPTIONS an invalid or expired token counts
  as anonymous instead of a 401; a valid one is still honoured (the owner of a product awaiting
  approval may read it). Writes are JWT only and answer 401 without a valid token.
- Pages: ``{count, next, previous, results}``; a page past the end is 200 with empty
  ``results`` (the storefront shows an error toast on 404), never 404.
- A refused catalogue write (``CatalogError``) is rendered by the project's one exception
  handler (``core.api``): ``detail``, ``code`` and DRF field lists, with its code's status.
"""

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication

from core.api import PageNumberPagination
from core.roles import user_can_write_backoffice


class LenientReadsMixin:
    """JWT authentication; on a read, a bad or expired token is ignored (the request is
    anonymous) rather than refused with 401. Writes still need a valid token."""

    authentication_classes = [JWTAuthentication]

    def perform_authentication(self, request) -> None:
        try:
            request.user  # noqa: B018 (authenticates)
        except AuthenticationFailed:
            if request.method not in SAFE_METHODS:
                raise
            # DRF has already made the request anonymous before raising.


class IsManufacturerOrStaff(BasePermission):
    """Staff and manufacturers whose account is active (``core.roles``): a manufacturer
    awaiting approval or suspended cannot write to the catalogue."""

    message = "Only manufacturers and staff can manage products."
    inactive_message = "Your manufacturer account is not active: products cannot be changed."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and (user.is_staff or user.is_manufacturer)):
            return False
        if not user_can_write_backoffice(user=user):
            self.message = self.inactive_message
            return False
        return True


class IsStaff(BasePermission):
    message = "Only staff can do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)


class CatalogPagination(PageNumberPagination):
    """The API's one page rule (``core.api``), 10 products a page."""

    page_size = 10
