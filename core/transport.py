"""What the storefront's HTTP quirks need before and after routing (docs/api.md#conventions).

- A doubled leading slash (``//products/list/``, sent by a client whose base URL ends in
  ``/``) is read as one, before anything routes, redirects or matches CORS paths on it.
- Under the API prefixes (``core.paths``) an error answers JSON with ``detail``, whatever
  produced it: a path that matches no route (Django's debug 404 page is HTML), a plain
  Django view refusing a method (405 with an empty body), a server error while ``DEBUG`` is on
  (Django's debug 500 page is HTML; the traceback still goes to the log). The client parses
  every answer as JSON, so it would never see the status.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse

from core.paths import path_is_api

JSON_ERROR_DETAILS = {
    404: "Not found.",
    405: "Method not allowed.",
    500: "A server error occurred.",
}


def collapse_leading_slashes(request: HttpRequest) -> None:
    info = request.path_info
    if not info.startswith("//"):
        return
    collapsed = "/" + info.lstrip("/")
    request.path = request.path[: len(request.path) - len(info)] + collapsed
    request.path_info = collapsed
    request.META["PATH_INFO"] = collapsed


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class StorefrontTransportMiddleware:
    """First in ``MIDDLEWARE``: it rewrites the path before the others see it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        collapse_leading_slashes(request)
        response = self.get_response(request)
        detail = JSON_ERROR_DETAILS.get(response.status_code)
        if detail is None or not path_is_api(request.path_info) or _is_json(response):
            return response
        if getattr(response, "streaming", False):
            return response
        body = JsonResponse({"detail": detail}, status=response.status_code)
        # Keep what the original answer said about itself (Allow on a 405, CORS, Vary).
        for header, value in response.headers.items():
            if header.lower() not in {"content-type", "content-length"}:
                body[header] = value
        return body

