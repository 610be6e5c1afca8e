"""JSON error pages for the API prefixes; the admin keeps Django's HTML pages."""

from django.http import HttpRequest, JsonResponse
from django.views import defaults

API_PREFIXES = ("/accounts", "/products", "/api", "/reset-password", "/forgot-email")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def not_found(request: HttpRequest, exception: Exception):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    if _is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)
