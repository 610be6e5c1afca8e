"""The error pages: JSON on the API's paths, the admin's look everywhere else.

403 and 404 are pages of the admin (sidebar, header, bell) for whoever may enter it, and a
bare unfold card for anyone else. The 500 page asks nothing of the database when it cannot:
if the admin's context fails to build (the database may be why we are here), it falls back to
the bare card.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.paths import path_is_api
from core.roles import user_can_enter_backoffice

logger = logging.getLogger(__name__)

SIGNED_IN_BASE = "admin/base_site.html"
BARE_BASE = "unfold/layouts/unauthenticated.html"


def _page_context(request: HttpRequest) -> dict:
    """The admin's context (sidebar, colours, site title) and which frame to draw."""
    from django.contrib import admin  # not at import time: settings import this module's kin

    context = admin.site.each_context(request)
    user = getattr(request, "user", None)
    signed_in = user is not None and user_can_enter_backoffice(user=user)
    context["base_template"] = SIGNED_IN_BASE if signed_in else BARE_BASE
    context["signed_in"] = signed_in
    return context


def _render(request: HttpRequest, template: str, status: int, context: dict) -> HttpResponse:
    html = loader.get_template(template).render(context, request)
    return HttpResponse(html, status=status)


def permission_denied(request: HttpRequest, exception: Exception):
    if path_is_api(request.path):
        # The bodies DRF gives its own 403/404 (``{"detail"}``), for routes outside DRF.
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action.")}, status=403
        )
    context = _page_context(request)
    context["title"] = _("You cannot open this page")
    return _render(request, "403.html", 403, context)


def not_found(request: HttpRequest, exception: Exception):
    if path_is_api(request.path):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    context = _page_context(request)
    context["title"] = _("Page not found")
    context["request_path"] = request.path
    response = _render(request, "404.html", 404, context)
    response.is_admin_look = True
    return response


def server_error(request: HttpRequest):
    if path_is_api(request.path):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    try:
        context = _page_context(request)
    except Exception:  # noqa: BLE001 (the error page must render whatever broke)
        logger.warning("500 page without the admin's context", exc_info=True)
        context = {"base_template": BARE_BASE, "signed_in": False}
    context["title"] = _("Something went wrong")
    return _render(request, "500.html", 500, context)


class DebugNotFoundInAdminLook:
    """With ``DEBUG`` on (``make run``), Django answers a 404 with its technical page, never the
    project's handler: an admin user who opens a stale link then sees a yellow developer page.
    Under ``/admin/`` this middleware gives them the admin's own 404 instead; other paths keep
    Django's page, which lists the URL patterns for the developer. Without ``DEBUG`` it does
    nothing (the handler is used anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and request.path_info.startswith("/admin/")
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "is_admin_look", False)
        ):
            return not_found(request, None)
        return response
