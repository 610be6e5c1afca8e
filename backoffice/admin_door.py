"""The admin's sign-in door: django-axes locks out repeated failures at ``/admin/login/``.

- ``AdminLoginLockoutBackend`` (first in ``AUTHENTICATION_BACKENDS``) refuses a locked-out
  client before any password is checked. Code that authenticates without a request (tests,
  shells) is not a web sign-in and is let through to the real backends.
- ``AdminDoorHandler`` records failures of admin sign-ins only: the storefront's API login has
  its own rate limit, and a shopper's typos must not lock an office's address out of the admin.
- Failures count per client address (``core.client_ip``) and per email, so neither one address
  trying many accounts nor many addresses trying one account get more than
  ``AXES_FAILURE_LIMIT`` guesses per ``AXES_COOLOFF_TIME`` (settings/auth.py). A success resets
  the count. Staff unlock early by deleting the row under System → Sign-in lockouts.
- ``lockout_response``: the login page itself, with the lockout message, status 429.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_message
from django.contrib import admin
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from backoffice.forms import BackofficeAuthenticationForm


class AdminLoginLockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None  # not a web sign-in: nothing to lock out, let the next backend decide
        return super().authenticate(request, *args, **kwargs)


class AdminDoorHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or not self.is_admin_request(request):
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The email the failure counts against, normalised as the login normalises it."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


def lockout_response(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """The admin's login page saying the client is locked out (429), in the admin's look."""
    form = BackofficeAuthenticationForm(
        request, data={"username": request.POST.get("username", ""), "password": ""}
    )
    # Only the lockout is shown, not "this field is required" for the emptied password.
    form._errors, form.cleaned_data = ErrorDict(), {}
    form.add_error(None, get_lockout_message())
    site = admin.site
    context = {
        **site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "form": form,
        "username": "",
    }
    return TemplateResponse(request, "admin/login.html", context, status=429).render()
