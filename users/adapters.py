"""django-allauth adapters: Google sign-in creates users through our services.

allauth is only the Google OAuth client here. Its own email/password sign-up is closed (the
storefront registers with ``POST /accounts/register``); a new Google identity becomes a customer
through ``users.google.google_user_create``; after sign-in the browser goes to the storefront
(``GOOGLE_LOGIN_REDIRECT_URL``), which calls ``GET /accounts/google/login`` for its tokens.
Linking a Google identity to an existing account by verified email is allauth's
``SOCIALACCOUNT_EMAIL_AUTHENTICATION(_AUTO_CONNECT)``.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.utils import user_email
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from users.google import google_user_create


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # only Google sign-up goes through allauth (SocialAccountAdapter)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return settings.GOOGLE_LOGIN_REDIRECT_URL

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return settings.GOOGLE_LOGIN_REDIRECT_URL


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        proposed = sociallogin.user
        if form is not None:  # allauth asked the user for what Google did not give
            get_account_adapter(request).save_user(request, proposed, form, commit=False)
        user = google_user_create(
            email=user_email(proposed),
            first_name=proposed.first_name,
            last_name=proposed.last_name,
        )
        sociallogin.user = user
        sociallogin.save(request)
        return user
