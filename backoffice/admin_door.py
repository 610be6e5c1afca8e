"""The admin's sign-in door: the password step follows the one sign-in policy
(``users.signin_policy``), the same counts and refusals as the API login.

- ``BackofficeAuthenticationForm.clean`` (backoffice.forms) asks ``signin_check`` before any
  password is checked, and reports the outcome: a wrong password, or a right password of an
  account that may not use the admin (a customer, a deactivated account), is a failure.
- ``lockout_response``: the login page itself, with the refusal and how long to wait, status
  429 and a ``Retry-After`` header.
"""

from django.contrib import admin
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from users.signin_policy import SignInRefused


def lockout_response(request: HttpRequest, refused: SignInRefused) -> HttpResponse:
    """The admin's login page saying the attempt is refused (429), in the admin's look."""
    from backoffice.forms import BackofficeAuthenticationForm

    form = BackofficeAuthenticationForm(
        request, data={"username": request.POST.get("username", ""), "password": ""}
    )
    # Only the refusal is shown, not "this field is required" for the emptied password.
    form._errors, form.cleaned_data = ErrorDict(), {}
    form.add_error(None, refused.message)
    site = admin.site
    context = {
        **site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "form": form,
        "username": "",
    }
    response = TemplateResponse(request, "admin/login.html", context, status=429).render()
    response["Retry-After"] = str(refused.retry_after)
    return response
