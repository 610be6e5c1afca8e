"""The admin's second-factor pages (``users.mfa`` holds the rules):

- ``verify`` (``admin:mfa_verify``): after the password step, or when a sensitive action asks
  for a fresh second factor, a TOTP code or a recovery code. Counted by the sign-in policy like
  a password: wrong codes are failures for the address and the email, and a refused session
  gets 429 without its code being checked.
- ``setup`` (``admin:mfa_setup``): turn TOTP on (QR code and key, confirmed by a first code;
  the recovery codes are shown once), see how many recovery codes are left, make new ones,
  and, for manufacturers (or staff when ``MFA_REQUIRED_FOR_STAFF`` is off), turn it off.
  Making new codes and turning off need a fresh second factor.
"""

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminTextInputWidget

from users.mfa import (
    code_check,
    pending_secret,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_ok,
    second_factor_required,
    session_mark_passed,
    session_passed,
    totp_activate,
    totp_deactivate,
    totp_enabled,
    totp_qr_data_uri,
    verify_url,
)
from users.signin_policy import SignInRefused, signin_check, signin_failed, signin_succeeded

WRONG_CODE = _("That code is not right. Enter the current code from your app, or a recovery code.")


NO_MATCH = _(
    "That code does not match. Scan the QR code again and enter the code your app shows now."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _form_with_error(field: str | None, message) -> CodeForm:
    """An empty code form showing ``message`` (the code typed is never shown back)."""
    form = CodeForm()
    form.cleaned_data, form._errors = {}, ErrorDict()
    form.add_error(field, message)
    return form


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def verify(site, request: HttpRequest) -> HttpResponse:
    user = request.user
    if not totp_enabled(user):
        return HttpResponseRedirect(reverse("admin:mfa_setup"))
    form = CodeForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST":
        try:
            signin_check(request=request, email=user.email)
        except SignInRefused as refused:
            form = _form_with_error(None, refused.message)
            status, retry_after = 429, refused.retry_after
        else:
            if form.is_valid() and code_check(user=user, code=form.cleaned_data["code"]):
                signin_succeeded(request=request, email=user.email)
                session_mark_passed(request)
                request.session.cycle_key()  # a new session id for the fully signed-in session
                return HttpResponseRedirect(_next_url(request))
            signin_failed(request=request, email=user.email)
            form = _form_with_error("code", WRONG_CODE)
            status = 400
    context = {
        **site.each_context(request),
        "title": _("Two-factor sign-in"),
        "form": form,
        "next": _next_url(request),
        "reverify": session_passed(request),
    }
    response = TemplateResponse(request, "admin/two_factor/verify.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _setup_page(site, request: HttpRequest, status: int = 200, **extra) -> TemplateResponse:
    user = request.user
    enabled = totp_enabled(user)
    context = {
        **site.each_context(request),
        "title": _("Two-factor sign-in"),
        "enabled": enabled,
        "required": second_factor_required(user),
        **extra,
    }
    if enabled:
        context["codes_left"] = recovery_codes_left(user=user)
    elif "recovery_codes" not in extra:
        secret = pending_secret(request)
        context.update(
            secret=secret,
            qr=totp_qr_data_uri(user=user, secret=secret),
            form=extra.get("form") or CodeForm(),
        )
    return TemplateResponse(request, "admin/two_factor/setup.html", context, status=status)


def setup(site, request: HttpRequest) -> HttpResponse:
    user = request.user
    enabled = totp_enabled(user)
    if enabled and not session_passed(request):
        return HttpResponseRedirect(verify_url(request.get_full_path()))
    if request.method != "POST":
        return _setup_page(site, request)
    action = request.POST.get("action")
    if not enabled and action == "activate":
        codes = totp_activate(request=request, code=request.POST.get("code", ""))
        if codes is None:
            form = _form_with_error("code", NO_MATCH)
            return _setup_page(site, request, status=400, form=form)
        messages.success(request, _("Two-factor sign-in is on."))
        return _setup_page(site, request, recovery_codes=codes, enabled_now=True)
    if enabled and action in ("renew", "disable"):
        if not second_factor_ok(request):
            return HttpResponseRedirect(verify_url(reverse("admin:mfa_setup")))
        if action == "renew":
            codes = recovery_codes_renew(user=user)
            messages.success(request, _("New recovery codes made; the old ones no longer work."))
            return _setup_page(site, request, recovery_codes=codes)
        if second_factor_required(user):
            messages.error(request, _("Staff accounts must keep two-factor sign-in."))
            return _setup_page(site, request, status=403)
        totp_deactivate(user=user)
        messages.success(request, _("Two-factor sign-in is off."))
        return HttpResponseRedirect(reverse("admin:mfa_setup"))
    return _setup_page(site, request, status=400)
