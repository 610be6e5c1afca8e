"""Plumbing shared by the catalogue API views: authentication, permissions, pagination.

- Reads are public. The storefront sends stale ``Authorization: Bearer`` headers to public
  endpoints (storefront-contract.md), so on GET/HEAD/OPTIONS an invalid or expired token counts
  as anonymous instead of a 401; a valid one is still honoured (the owner of a product awaiting
  approval may read it). Writes are JWT only and answer 401 without a valid token.
- Pages: ``{count, next, previous, results}``; a page past the end is 200 with empty
  ``results`` (the storefront shows an error toast on 404), never 404.
- A refused catalogue write (``CatalogError``) is rendered by the project's one exception
  handler (``core.api``): ``detail``, ``code`` and DRF field lists, with its code's status.
"""

from django.core.paginator import Page
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.utils.urls import replace_query_param
from rest_framework_simplejwt.authentication import JWTAuthentication


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
    message = "Only manufacturers and staff can manage products."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user.is_manufacturer))


class IsStaff(BasePermission):
    message = "Only staff can do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)


class _PastTheEnd(Page):
    """An empty page after the last one: no next page, the previous one is the last page."""

    def has_next(self) -> bool:
        return False

    def has_previous(self) -> bool:
        return self.paginator.count > 0

    def previous_page_number(self) -> int:
        return self.paginator.num_pages


class CatalogPagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None, *, count=None):
        """``count``: a known total (e.g. cached per filter), so the database does not count."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if count is not None:
            paginator.count = count  # a cached_property: set, it is never computed
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            number = paginator.num_pages
        else:
            try:
                number = int(raw)
            except ValueError:
                number = 0
            if number < 1:
                raise DRFValidationError(
                    {self.page_query_param: ["A page is a whole number from 1."]}
                )
        if number > paginator.num_pages:
            self.page = _PastTheEnd([], number, paginator)
            return []
        self.page = paginator.page(number)
        return list(self.page)

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        # Always explicit (DRF drops ``page=1``): the page before an empty one is clearer so.
        return replace_query_param(url, self.page_query_param, self.page.previous_page_number())
