"""The MARTAF admin site: unfold's site, opened to manufacturers as well as staff.

Manufacturers are not ``is_staff``; what they may do inside is decided by the Manufacturers
group's permissions and by each app's scoping selectors.
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from unfold.sites import UnfoldAdminSite

from backoffice.forms import BackofficeAuthenticationForm
from core.roles import user_can_enter_backoffice


class BackofficeAdminSite(UnfoldAdminSite):
    site_title = "MARTAF backoffice"
    site_header = "MARTAF"
    index_title = "Dashboard"
    login_form = BackofficeAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return user_can_enter_backoffice(user=request.user)

    def extra_urls(self) -> list:
        """unfold's get_urls adds these: the report pages under /admin/reports/."""
        from backoffice.reports.urls import report_urls

        return report_urls(self)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # unfold's login template has no hidden "next" field, so a sign-in started at a bare
        # /admin/login/ would go to LOGIN_REDIRECT_URL (a 404 here). Land on the dashboard.
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            request.GET = request.GET.copy()
            request.GET[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        return super().login(request, extra_context)
