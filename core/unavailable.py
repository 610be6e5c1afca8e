"""A database that cannot be reached is a 503 the client can retry, not a 500 or a hang.

The database's connect timeout (``DB_CONNECT_TIMEOUT``, settings "Database") bounds how long
a request waits for a connection that will not come; this middleware turns what the driver then
raises (``OperationalError``, ``InterfaceError``: server gone, refused, timed out, or SQLite's
"database is locked") into a 503 with ``Retry-After``: JSON ``{"detail", "code"}`` under the
API's paths, a short page elsewhere. The error is still logged with its traceback.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.paths import path_is_api

logger = logging.getLogger(__name__)

DETAIL = "The service is briefly unavailable: its database cannot be reached. Try again shortly."
CODE = "service_unavailable"
RETRY_AFTER_SECONDS = 5

_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Unavailable</title></head>"
    "<body style='font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto'>"
    "<p>503</p><h1 style='font-size: 1.25rem'>The backoffice is briefly unavailable</h1>"
    f"<p>{DETAIL}</p></body></html>"
)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if path_is_api(request.path_info):
        response = JsonResponse({"detail": DETAIL, "code": CODE}, status=503)
    else:
        response = HttpResponse(_PAGE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s %s", request.method, request.path,
                     exc_info=exception)
        return database_unavailable_response(request)
