"""The MARTAF admin site: unfold's site, opened to manufacturers as well as staff.

Manufacturers are not ``is_staff``; what they may do inside is decided by the Manufacturers
group's permissions (filtered by their onboarding status, ``users.backends``) and by each app's
scoping selectors. On top of that the site's door (``admin_view``, through which every admin
URL passes) follows ``core.roles.backoffice_access``:

- awaiting approval (pending or rejected): the dashboard URL shows their status and profile
  form (``backoffice.onboarding``); any other page sends them there, any other write is 403;
- suspended: every page they could open before, read-only: any write is 403 except signing out
  and changing their password.

Before all that, the second factor (``users.mfa``): a session whose user has TOTP must pass it,
and staff without TOTP must set it up, before any page other than those two steps opens.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from unfold.sites import UnfoldAdminSite

from backoffice.admin_door import lockout_response
from backoffice.forms import BackofficeAuthenticationForm
from core.admin import admin_object_id_fits
from core.roles import BackofficeAccess, backoffice_access, user_can_enter_backoffice
from users.mfa import second_factor_due, verify_url
from users.signin_policy import SignInRefused

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# What an account awaiting approval may open, and what a suspended one may still post to.
AWAITING_PAGES = {
    "index",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "onboarding_profile",
    "mfa_verify",
    "mfa_setup",
}
READ_ONLY_WRITES = {"logout", "password_change", "password_change_done", "mfa_verify", "mfa_setup"}
# What a session that still owes its second factor may open (users.mfa).
SECOND_FACTOR_PAGES = {"logout", "jsi18n", "mfa_verify", "mfa_setup"}


class BackofficeAdminSite(UnfoldAdminSite):
    site_title = "MARTAF backoffice"
    site_header = "MARTAF"
    index_title = "Dashboard"
    login_form = BackofficeAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return user_can_enter_backoffice(user=request.user)

    def extra_urls(self) -> list:
        """unfold's get_urls adds these: the report pages under /admin/reports/, the profile
        form of a manufacturer awaiting approval and staff's review page of an application."""
        from backoffice import two_factor
        from backoffice.approval import review_page
        from backoffice.onboarding import profile_save
        from backoffice.reports.urls import report_urls

        return [
            *report_urls(self),
            path(
                "two-factor/",
                self.admin_view(lambda request: two_factor.setup(self, request)),
                name="mfa_setup",
            ),
            path(
                "two-factor/verify/",
                self.admin_view(lambda request: two_factor.verify(self, request)),
                name="mfa_verify",
            ),
            path(
                "onboarding/profile/",
                self.admin_view(lambda request: profile_save(self, request)),
                name="onboarding_profile",
            ),
            path(
                "onboarding/review/<int:user_id>/",
                self.admin_view(lambda request, user_id: review_page(self, request, user_id)),
                name="onboarding_review",
            ),
        ]

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def door(request: HttpRequest, *args, **kwargs):
            refusal = self._second_factor_refusal(request) or self._status_refusal(request)
            if refusal is None and "object_id" in kwargs:
                self._object_id_or_404(request, kwargs["object_id"])
            return refusal if refusal is not None else inner(request, *args, **kwargs)

        return door

    def _second_factor_refusal(self, request: HttpRequest) -> HttpResponse | None:
        """A session that owes its second factor (users.mfa) goes to give it (or, staff
        without TOTP, to set it up) before any other page; it comes back afterwards."""
        if not self.has_permission(request):
            return None  # admin_view sends it to the login page
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_PAGES:
            return None
        due = second_factor_due(request)
        if due is None:
            return None
        if due == "verify":
            return redirect(verify_url(request.get_full_path()))
        messages.info(request, _("Set up two-factor sign-in to continue."))
        return redirect(reverse("admin:mfa_setup", current_app=self.name))

    def _object_id_or_404(self, request: HttpRequest, object_id: str) -> None:
        """A 404 for an id no row of the page's model can have (``abc`` or U+0085 for a
        number, a number past 64 bits), before any permission check or view tries it."""
        match = request.resolver_match
        name = (match.url_name or "") if match is not None else ""
        for model in self._registry:
            if name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
                if not admin_object_id_fits(model, object_id):
                    raise Http404
                return

    def _status_refusal(self, request: HttpRequest) -> HttpResponse | None:
        access = backoffice_access(request.user)
        if access in (None, BackofficeAccess.FULL):
            return None  # staff, active manufacturers; the rest meet admin_view's login page
        match = request.resolver_match
        name = match.url_name if match is not None else ""
        if access == BackofficeAccess.AWAITING:
            if name in AWAITING_PAGES:
                return None
            if request.method in SAFE_METHODS:
                return redirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        if request.method in SAFE_METHODS or name in READ_ONLY_WRITES:
            return None
        raise PermissionDenied  # suspended: read-only

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        access = backoffice_access(request.user)
        if access == BackofficeAccess.AWAITING:
            from backoffice.onboarding import awaiting_page

            return awaiting_page(self, request)
        if access == BackofficeAccess.READ_ONLY:
            reason = request.user.manufacturer_status_reason
            messages.warning(
                request,
                _(
                    "Your manufacturer account is suspended: your products are hidden from the "
                    "storefront and you can look but not change anything."
                )
                + (f" {_('Reason:')} {reason}" if reason else ""),
            )
        return super().index(request, extra_context)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # unfold's login template has no hidden "next" field, so a sign-in started at a bare
        # /admin/login/ would go to LOGIN_REDIRECT_URL (a 404 here). Land on the dashboard.
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            request.GET = request.GET.copy()
            request.GET[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        try:
            return super().login(request, extra_context)
        except SignInRefused as refused:
            return lockout_response(request, refused)
