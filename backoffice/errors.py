"""JSON error pages for the API prefixes; the admin keeps Django's HTML pages."""

from django.http import HttpRequest, JsonResponse
from django.views import defaults

from core.paths import path_is_api


def not_found(request: HttpRequest, exception: Exception):
    if path_is_api(request.path):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    if path_is_api(request.path):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)
