"""API plumbing shared by every app: JSON errors that always carry ``detail``, optional slashes.

The storefront reads ``detail`` from every error body (storefront-contract.md); DRF's validation
errors are field dicts without it, so the handler adds a ``detail`` sentence and keeps the
field lists beside it.
"""

from django.urls import re_path
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


def _first_message(data) -> str | None:
    if isinstance(data, (list, tuple)):
        for item in data:
            if (found := _first_message(item)) is not None:
                return found
        return None
    if isinstance(data, dict):
        for value in data.values():
            if (found := _first_message(value)) is not None:
                return found
        return None
    return str(data)


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unhandled error: a 500, rendered as JSON by backoffice.errors
    data = response.data
    if isinstance(data, list):
        data = {"detail": _first_message(data) or "Invalid input.", "errors": data}
    elif isinstance(data, dict) and "detail" not in data:
        field, messages = next(iter(data.items()), (None, None))
        message = _first_message(messages) or "Invalid input."
        if isinstance(exc, ValidationError) and field and field != "non_field_errors":
            message = f"{field}: {message}"
        data = {"detail": message, **data}
    response.data = data
    return response


def optional_slash(route: str, view, name: str | None = None):
    """A route that answers with and without its trailing slash, never redirecting a POST.

    ``route`` is a regex body without anchors or trailing slash, e.g. ``accounts/login``.
    """
    return re_path(rf"^{route}/?$", view, name=name)
