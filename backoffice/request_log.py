"""The request's id and its log line.

Outermost in ``MIDDLEWARE``, so it sees every answer (API, admin, errors, health checks, static
files): it takes the id from the client's ``X-Request-ID`` when that is short and safe, or makes
one (``core.logs.request_id_from``), binds it for every log line written while the request is
served, returns it in the ``X-Request-ID`` response header, and logs one line per request on
``backoffice.requests``: method, path (without the query string, which may carry tokens),
status and duration in milliseconds. Health checks, polled every second, are logged at DEBUG,
and so are static and media files (and ``/favicon.ico``) answered without an error: a page of
the admin fetches a dozen, which drowned the page's own line. A file that fails (404, 500) is
logged at INFO like any other answer.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.logs import REQUEST_ID_HEADER, bind_request_id, request_id_from

logger = logging.getLogger("backoffice.requests")

QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def file_prefixes() -> tuple[str, ...]:
    """The paths this site serves files under (``STATIC_URL``, ``MEDIA_URL``); none for a URL
    on another host (a CDN, a bucket), whose requests never come here."""
    return tuple(
        url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
    )


def root_files() -> frozenset[str]:
    """The files WhiteNoise serves at the site's root (``/favicon.ico``, which every browser
    asks for)."""
    root = getattr(settings, "WHITENOISE_ROOT", None)
    if not root or not Path(root).is_dir():
        return frozenset()
    return frozenset(f"/{entry.name}" for entry in Path(root).iterdir() if entry.is_file())


class RequestLogMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.file_prefixes = file_prefixes()
        self.root_files = root_files()

    def level(self, request: HttpRequest, status: int) -> int:
        path = request.path_info
        if path.rstrip("/") in QUIET_PATHS:
            return logging.DEBUG
        if status < 400 and (
            path in self.root_files or (self.file_prefixes and path.startswith(self.file_prefixes))
        ):
            return logging.DEBUG
        return logging.INFO

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Bound for the rest of the request's context, not reset on the way out: Django logs a
        # 4xx/5xx ("Not Found: ...") after the middleware returns, and that line carries the
        # id too. Under ASGI every request runs in a context of its own; under WSGI the next
        # request on the thread binds its own.
        bind_request_id(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        level = self.level(request, response.status_code)
        if logger.isEnabledFor(level):
            logger.log(
                level,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
        return response
