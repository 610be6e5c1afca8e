"""API plumbing shared by every app: routes with an optional slash and the one exception handler that renders every error as JSON with ``detail``.

The storefront reads ``detail`` from every error body (storefront-contract.md):

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
from django.http import Http404
from django.urls import re_path
from rest_framework.exceptions import (
    APIException,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
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
