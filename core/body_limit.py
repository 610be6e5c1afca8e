"""The request body cap, in front of Django (an ASGI middleware: ``backoffice/asgi.py``).

Django's ASGI handler reads the whole body into a temporary file before any view, middleware
or limit runs: an anonymous ``POST`` of 1 GB filled 1 GB of the temp dir for 14 s before its
400. This layer decides from the path how large a body may be (settings
``REQUEST_BODY_MAX_BYTES`` and ``REQUEST_BODY_LIMITS``: the import and image upload pages get
more) and answers 413 before Django sees the request:

- a ``Content-Length`` over the cap is refused at once, without reading a byte of the body
  (and the connection is closed, so the server does not go on reading and discarding it);
- a chunked body (no ``Content-Length``) is read up to the cap and refused there;
- a chunked body within the cap is passed on whole, with its length now known as
  ``Content-Length``. Django's request leaves ``CONTENT_LENGTH`` unset for it, and DRF reads
  a body without one as empty: valid JSON sent chunked answered "This field is required."

The 413 is the API's error shape (``{"detail", "code"}``) under the API's paths
(``core.paths``) and a small HTML page elsewhere (the admin and its forms).
"""

import html
import json
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterable

from django.conf import settings

from core.paths import path_is_api

Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

#: The code of the refusal, as the API's parsers name a body over their own limit.
TOO_LARGE_CODE = "request_too_large"
#: How much of a chunked body is kept in memory before it spills to a temporary file.
_SPOOL_MEMORY_BYTES = 1024 * 1024
_REPLAY_CHUNK_BYTES = 64 * 1024


def body_limit_for(path: str) -> int:
    """The most bytes a request body to ``path`` may have: the first of
    ``REQUEST_BODY_LIMITS`` (``(regex, bytes)`` pairs) that matches, else
    ``REQUEST_BODY_MAX_BYTES``. A doubled leading slash counts as one, as routing reads it."""
    path = "/" + path.lstrip("/")
    for pattern, limit in _compiled_limits(tuple(settings.REQUEST_BODY_LIMITS)):
        if pattern.match(path):
            return limit
    return settings.REQUEST_BODY_MAX_BYTES


_compiled_cache: dict[tuple, list[tuple[re.Pattern, int]]] = {}


def _compiled_limits(limits: tuple) -> list[tuple[re.Pattern, int]]:
    compiled = _compiled_cache.get(limits)
    if compiled is None:
        compiled = _compiled_cache[limits] = [(re.compile(p), int(n)) for p, n in limits]
    return compiled


def too_large_message(limit: int) -> str:
    mb = 1024 * 1024
    size = f"{limit // mb:,} MB" if limit % mb == 0 else f"{limit / 1024:,.0f} KB"
    return f"The request body is too large: the limit here is {size}."


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Request too large</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; \
padding: 0 1rem; color: #1f2937">
<p style="color: #6b7280; font-weight: 600">413</p>
<h1 style="font-size: 1.25rem">The upload is too large</h1>
<p>{message} Go back and choose a smaller file.</p>
</body></html>
"""


async def refuse_too_large(scope: dict, send: Send, limit: int) -> None:
    """The 413, closing the connection (whatever of the body is still coming is not read)."""
    message = too_large_message(limit)
    if path_is_api("/" + scope["path"].lstrip("/")):
        body = json.dumps({"detail": message, "code": TOO_LARGE_CODE}).encode()
        content_type = b"application/json"
    else:
        body = _PAGE.format(message=html.escape(message)).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Wraps the Django ASGI app (HTTP only; see the module)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = body_limit_for(scope["path"])
        headers = scope.get("headers", [])
        length = _header(headers, b"content-length")
        if length is not None:
            # The server checks that the body matches its declared length.
            if length.strip().isdigit() and int(length) > limit:
                return await refuse_too_large(scope, send, limit)
            return await self.app(scope, receive, send)
        if _header(headers, b"transfer-encoding") is None:
            return await self.app(scope, receive, send)  # no body
        await self._chunked(scope, receive, send, limit)

    async def _chunked(self, scope: dict, receive: Receive, send: Send, limit: int) -> None:
        """Read the chunked body up to ``limit``, then hand it to Django with its length."""
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY_BYTES)
        try:
            try:
                total = await spool_body(receive, spool, limit=limit)
            except BodyTooLarge:
                return await refuse_too_large(scope, send, limit)
            if total is None:
                return  # the client went away: nothing to answer
            headers = [
                (key, value)
                for key, value in scope.get("headers", [])
                if key.lower() not in (b"content-length", b"transfer-encoding")
            ]
            headers.append((b"content-length", str(total).encode()))
            await self.app({**scope, "headers": headers}, replay_body(spool, total, receive), send)
        finally:
            spool.close()


class BodyTooLarge(Exception):
    """The body went past the limit ``spool_body`` was given."""


async def spool_body(receive: Receive, spool, *, limit: int | None = None) -> int | None:
    """Read the request's whole body into ``spool`` (rewound afterwards): its length, or None
    when the client went away first; past ``limit`` bytes, ``BodyTooLarge``."""
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        total += len(chunk)
        if limit is not None and total > limit:
            raise BodyTooLarge
        spool.write(chunk)
        if not message.get("more_body", False):
            break
    spool.seek(0)
    return total


def replay_body(spool, total: int, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body again, then the client's own messages (so
    a disconnect while the view runs is still seen)."""
    sent = 0
    done = False

    async def replay() -> dict:
        nonlocal sent, done
        if done:
            return await receive()
        chunk = spool.read(_REPLAY_CHUNK_BYTES)
        sent += len(chunk)
        done = sent >= total
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return replay
