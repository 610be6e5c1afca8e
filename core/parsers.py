"""DRF's parsers within the request limits (settings "Request limits", docs/api.md#limits), for
every API view (``DEFAULT_PARSER_CLASSES``; a view that lists its own parsers uses these).

Apart from ``core.api`` because DRF reads ``DEFAULT_PARSER_CLASSES`` when ``rest_framework.views``
is imported, which ``core.api`` does.
"""

import codecs

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

#: How deeply a JSON body may nest (the deepest API input, a category path as nested
#: ``{"name", "parent"}`` objects, needs one level per category level, at most 32).
JSON_MAX_DEPTH = 80


class RequestTooLarge(ParseError):
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def _body_limit_message(limit: int) -> str:
    return f"The request body is too large: the limit is {limit // 1024:,} KB."


def _json_depth_exceeds(value, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser within bounds, for every API view (``DEFAULT_PARSER_CLASSES``).

    - The body is read up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``: DRF reads the request stream
      directly, so Django's own check of that setting (on ``request.body``) never runs.
    - Nesting deeper than ``JSON_MAX_DEPTH`` is refused; ``[`` x 100,000 used to exhaust the
      decoder's recursion limit (a ``RecursionError``, so a 500).

    Both are a 400 with ``detail`` (code ``request_too_large`` / ``parse_error``).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge(_body_limit_message(limit))
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(
                f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels."
            ) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if _json_depth_exceeds(data, JSON_MAX_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels.")
        return data


def is_request_limit(exc: SuspiciousOperation) -> bool:
    return isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent))


def request_limit_error(exc: SuspiciousOperation) -> ParseError:
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge(_body_limit_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    # TooManyFieldsSent, TooManyFilesSent: their message names the setting and the limit.
    return ParseError(str(exc))


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser within bounds: the whole body at most ``UPLOAD_MAX_BYTES``
    (files are spooled to disk, so without it any size was accepted), and Django's field and
    file counts (``DATA_UPLOAD_MAX_NUMBER_FIELDS`` / ``_FILES``) as a 400, not an HTML page."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES:
            raise RequestTooLarge(
                f"The upload is too large ({length / 1024 / 1024:.1f} MB): the limit is "
                f"{settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB per request."
            )
        try:
            return super().parse(stream, media_type, parser_context)
        except SuspiciousOperation as exc:
            raise request_limit_error(exc) from None


class FormParser(parsers.FormParser):
    """DRF's form parser, read up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` like the JSON parser; too
    many fields (``DATA_UPLOAD_MAX_NUMBER_FIELDS``) is a 400 JSON, not an HTML page."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge(_body_limit_message(limit))
        try:
            return QueryDict(raw, encoding=encoding)
        except SuspiciousOperation as exc:
            raise request_limit_error(exc) from None
