"""API plumbing shared by every app: routes with an optional slash and the one exception handler that renders every error as JSON with ``detail``.

The storefront reads ``detail`` from every error body (docs/api.md#errors):

- ``core.errors.AppError`` (any app's refusal): ``{"detail", "code", <field>: [...], ...extra}``
  with the status its code stands for (401s carry ``WWW-Authenticate``);
- Django's ``ValidationError`` (a model's ``full_clean``): DRF's field lists, 400;
- DRF's own errors: their body with its ``code`` (``not_found``, ``not_authenticated``,
  ``parse_error`` ...), and a ``detail`` sentence added when DRF gives only field lists
  (``"products[1].quantity: message"``: where the first error is, and what);
- Django's request limits (body size, field and file counts): a 400 like a parse error.

The parsers (``core.parsers``) bound what any API view reads: a JSON body's size and nesting, a
multipart request's total size (settings "Request limits").
"""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    SuspiciousOperation,
)
from django.core.exceptions import (
    PermissionDenied as DjangoPermissionDenied,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django.http import Http404
from django.urls import re_path
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination
from rest_framework.exceptions import (
    APIException,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import AppError
from core.parsers import is_request_limit, request_limit_error

WWW_AUTHENTICATE = 'Bearer realm="api"'

def optional_slash(route: str, view, name: str | None = None):
    """A route that answers with and without its trailing slash, never redirecting a POST.

    ``route`` is a regex body without anchors or trailing slash, e.g. ``accounts/login``.
    """
    return re_path(rf"^{route}/?$", view, name=name)


def field_errors(exc: DjangoValidationError) -> dict:
    """Django's validation error as DRF's field lists (``non_field_errors`` for the rest)."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def app_error_response(error: AppError) -> Response:
    """``{"detail", "code", <field>: [...], ...extra}`` with the status of the error's code."""
    body: dict = {"detail": str(error.message), "code": str(error.code)}
    if error.field:
        body.update(field_errors(error))
    body.update(error.extra)
    response = Response(body, status=error.status)
    if response.status_code == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def _first_error(errors, path: str = "") -> tuple[str, str]:
    """The first message of DRF's nested errors and where it is: ``products[1].quantity``."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            # DRF keys a list serializer's errors by position (an int).
            if isinstance(key, int):
                where = f"{path}[{key}]"
            elif key == api_settings.NON_FIELD_ERRORS_KEY:
                where = path
            else:
                where = f"{path}.{key}" if path else str(key)
            found = _first_error(value, where)
            if found[1]:
                return found
    elif isinstance(errors, (list, tuple)):
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                found = _first_error(value, f"{path}[{index}]")
            else:
                found = (path, str(value))
            if found[1]:
                return found
    elif errors is not None:
        return path, str(errors)
    return path, ""


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error as JSON with ``detail`` (see the module)."""
    if isinstance(exc, AppError):
        return app_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=field_errors(exc))
    if isinstance(exc, SuspiciousOperation) and is_request_limit(exc):
        # Django's own limits, hit when DRF reads ``request.body`` before parsing.
        exc = request_limit_error(exc)
    if isinstance(exc, Http404):
        exc = NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unhandled error: a 500, rendered as JSON by the site's error page
    data = response.data
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        # A refusal of DRF's own (401, 403, 404, 405, 415, 429, a parse error): its code too.
        codes = exc.get_codes() if isinstance(exc, APIException) else None
        if isinstance(codes, str):
            data = {**data, "code": codes}
    if isinstance(data, list):
        data = {"detail": _first_error(data)[1] or "Invalid input.", "errors": data}
    elif isinstance(data, dict) and "detail" not in data:
        path, message = _first_error(data)
        if not isinstance(exc, ValidationError):
            path = ""
        data = {
            "detail": f"{path}: {message}" if path and message else message or "Invalid input.",
            **data,
        }
    response.data = data
    return response


# --- Pages ------------------------------------------------------------------------------------


class _PastTheEnd(Page):
    """An empty page after the last one: no next page, the previous one is the last page."""

    def has_next(self) -> bool:
        return False

    def has_previous(self) -> bool:
        return self.paginator.count > 0

    def previous_page_number(self) -> int:
        return self.paginator.num_pages


class PageNumberPagination(pagination.PageNumberPagination):
    """``{count, next, previous, results}`` pages for every API list, one rule for all:

    - ``page`` is a whole number from 1 (or ``last``), as the schema says; anything else is a
      400 naming ``page`` (DRF answered 404 "Invalid page." for ``page=0``);
    - a page past the end is 200 with empty ``results`` (the storefront shows an error toast
      on 404), never 404;
    - ``page_size`` a whole number from 1, counting as ``max_page_size`` above it (as DRF
      does); another value is a 400 too (DRF fell back to the default size silently).
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["A page size is a whole number from 1."]}
            )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None, *, count=None, read=None):
        """``count``: a total known already (the catalogue caches it per filter), so the
        database does not count the rows again. ``read(offset, size)``: the page's rows read
        another way than ``OFFSET`` (``core.keyset``), or None to read them with it."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if count is not None:
            paginator.count = count  # a cached_property: once set, it is never computed
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            number = paginator.num_pages
        else:
            try:
                number = int(raw)
            except ValueError:
                number = 0
            if number < 1:
                raise ValidationError({self.page_query_param: ["A page is a whole number from 1."]})
        if number > paginator.num_pages:
            self.page = _PastTheEnd([], number, paginator)
            return []
        self.page = paginator.page(number)
        offset = (number - 1) * paginator.per_page
        rows = read(offset, paginator.per_page) if read and offset else None
        if rows is not None:
            self.page.object_list = rows
        return list(self.page)

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        # Always explicit (DRF drops ``page=1``): the page before an empty one is clearer so.
        return replace_query_param(url, self.page_query_param, self.page.previous_page_number())

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Items per page (default {self.page_size}; more than "
                    f"{self.max_page_size} counts as {self.max_page_size})."
                )
        return parameters


class WholeListPagination(pagination.BasePagination):
    """Every item in one page, in the same ``{count, next, previous, results}`` envelope as the
    paged lists (so the storefront reads both alike, and the schema says so)."""

    def paginate_queryset(self, queryset, request, view=None):
        items = list(queryset)
        self.count = len(items)
        return items

    def get_paginated_response(self, data) -> Response:
        return Response({"count": self.count, "next": None, "previous": None, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return pagination.PageNumberPagination().get_paginated_response_schema(schema)

    def get_schema_operation_parameters(self, view) -> list:
        return []


# --- Filters ----------------------------------------------------------------------------------


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend for every API list (``DEFAULT_FILTER_BACKENDS``): a query value
    with a NUL character is a 400 naming the parameter (PostgreSQL cannot compare text with
    NUL: the query failed with a 500)."""

    def filter_queryset(self, request, queryset, view):
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: ["Null characters are not allowed."]})
        return super().filter_queryset(request, queryset, view)


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(filters.TypedChoiceFilter):
    """A yes/no query parameter (``true``/``false``, ``1``/``0``) where any other value is a
    400 naming the parameter: django-filter's ``BooleanFilter`` silently ignored
    ``is_active=-1``, so a typo listed everything."""

    TRUE = ("true", "True", "1")
    FALSE = ("false", "False", "0")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(value, value) for value in (*self.TRUE, *self.FALSE)])
        kwargs.setdefault("coerce", lambda value: value in self.TRUE)
        super().__init__(*args, **kwargs)


# --- The OpenAPI schema -----------------------------------------------------------------------

ERROR_COMPONENT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}

_STANDARD_ERRORS = {
    "400": "Invalid input: `detail` says what and where; field lists name each field.",
    "401": "No valid access token (`Authorization: Bearer <access>`).",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such item, or not one you may reach.",
    "406": "The `Accept` header asks for a type this operation cannot answer with.",
    "415": "The body's content type is not one this operation reads.",
}


def _needs(operation: dict, path: str, status: str) -> bool:
    security = operation.get("security")
    signed_in = bool(security) and {} not in security
    if status == "400":
        return "requestBody" in operation or any(
            p.get("in") == "query" for p in operation.get("parameters", [])
        )
    if status in ("401", "403"):
        return signed_in
    if status == "404":
        return "{" in path
    if status == "415":
        return "requestBody" in operation
    return status == "406"  # DRF's content negotiation, before any operation's own code


def schema_add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the errors every operation can answer
    with, in the one error shape (``{"detail", "code", ...}``, ``core.api.exception_handler``):
    400 where it reads input, 401/403 where it needs a token, 404 under an id, 415 where it
    reads a body, 406 everywhere (an ``Accept`` it cannot satisfy). An operation's own
    description of one of these is kept."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_COMPONENT)
    for path, methods in result.get("paths", {}).items():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in _STANDARD_ERRORS.items():
                if status in operation["responses"] or not _needs(operation, path, status):
                    continue
                operation["responses"][status] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
    return result
