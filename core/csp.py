"""The Content-Security-Policy header on every response (``CSP_PAGE_POLICY`` / ``CSP_API_POLICY``).

- The API's answers (JSON, files) are never a page: ``default-src 'none'; frame-ancestors
  'none'``, so even a body a browser was tricked into rendering runs nothing, loads nothing
  and cannot be framed.
- Pages (the admin, the API's own documentation, the error pages) load only from this site.
  unfold's admin needs inline styles and scripts (its templates carry both) and Alpine.js
  evaluates its expressions with ``new Function``: so ``'unsafe-inline'`` and
  ``'unsafe-eval'`` for scripts. What the policy still holds: nothing from another origin,
  no plugins, no ``<base>`` games, forms post only here, and no other site frames the admin.

A response that sets its own policy keeps it. ``CSP_REPORT_ONLY`` sends the header as
``Content-Security-Policy-Report-Only`` (to try a stricter policy without breaking pages).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.paths import path_is_api

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def _is_page(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def csp_for(path: str, response: HttpResponse) -> str:
    """The policy for this response: the API's unless it is an HTML page."""
    if path_is_api(path) and not _is_page(response):
        return settings.CSP_API_POLICY
    return settings.CSP_PAGE_POLICY


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = REPORT_ONLY_HEADER if settings.CSP_REPORT_ONLY else HEADER
        if HEADER not in response and REPORT_ONLY_HEADER not in response:
            response[header] = csp_for(request.path_info, response)
        return response
