"""The only allauth routes the product uses, mounted under /oauth/: Google's login and callback
(``google_login``, ``google_callback``).

allauth's account pages (login, sign-up, email management, password change and reset) are not
routed: signing in with a password goes through the admin's or the API's door
(``users.signin_policy``), email changes through the accounts API, password resets through
``/reset-password/``. The few names allauth's Google flow may still reverse (a cancelled or
failed sign-in, an inactive account, the sign-up form) send the browser back to the
storefront with ``?error=<code>``.
"""

from allauth.socialaccount.providers.google.urls import urlpatterns as google_urlpatterns
from django.urls import path


def _back_to_storefront(error: str):
    from users.adapters import storefront_redirect

    return lambda request, *args, **kwargs: storefront_redirect(error)


urlpatterns = [
    *google_urlpatterns,
    path(
        "3rdparty/login/cancelled/",
        _back_to_storefront("google_cancelled"),
        name="socialaccount_login_cancelled",
    ),
    path(
        "3rdparty/login/error/",
        _back_to_storefront("google_unknown"),
        name="socialaccount_login_error",
    ),
    path(
        "3rdparty/signup/",
        _back_to_storefront("google_signup_refused"),
        name="socialaccount_signup",
    ),
    path("inactive/", _back_to_storefront("account_inactive"), name="account_inactive"),
]
