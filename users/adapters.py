"""django-allauth adapters: Google sign-in creates users through our services.

allauth is only the Google OAuth client here: only its Google login and callback are routed
(``users.oauth_urls``); its account, email, password and sign-up pages are not. A new Google
identity becomes a customer through ``users.google.google_user_create``; after sign-in the
browser goes to the storefront (``GOOGLE_LOGIN_REDIRECT_URL``), which calls
``GET /accounts/google/login`` for its tokens.

Linking a Google identity to an existing account (allauth's
``SOCIALACCOUNT_EMAIL_AUTHENTICATION(_AUTO_CONNECT)``) happens only when Google says the email
is verified and the address is the local account's own login address, or an address allauth
recorded as verified for it; an unverified address someone attached to their account never
draws another person's Google sign-in in. A Google email that is not verified signs nobody in
and creates nothing; a Google-verified email voids another account's unverified claim on the
same address. Every refusal and error sends the browser back to the storefront with
``?error=<code>``, so no allauth page is ever needed.
"""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect

from users.google import google_user_create
from users.models import User


def storefront_redirect(error: str) -> HttpResponseRedirect:
    """Back to the storefront's Google page, saying what went wrong."""
    url = settings.GOOGLE_LOGIN_REDIRECT_URL
    separator = "&" if "?" in url else "?"
    return HttpResponseRedirect(f"{url}{separator}{urlencode({'error': error})}")


def _google_verified_emails(sociallogin) -> list[str]:
    return [address.email for address in sociallogin.email_addresses if address.verified]


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # only Google sign-up goes through allauth (SocialAccountAdapter)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return settings.GOOGLE_LOGIN_REDIRECT_URL

    def get_login_stages(self) -> list[str]:
        # allauth's own MFA step would send a Google sign-in to its (unrouted) 2FA page. The
        # second factor is asked by the admin's door instead, for every session that opens an
        # admin page (users.mfa); the storefront's API does not use the session.
        return [stage for stage in super().get_login_stages() if ".mfa." not in stage]

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return settings.GOOGLE_LOGIN_REDIRECT_URL


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def authenticate_by_email(self, sociallogin):
        """The local account a Google-verified email belongs to: the user whose login address
        it is, or whose address allauth recorded as verified. Never an unverified extra
        address."""
        for email in _google_verified_emails(sociallogin):
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                address = (
                    EmailAddress.objects.filter(email__iexact=email, verified=True)
                    .select_related("user")
                    .first()
                )
                user = address.user if address is not None else None
            if user is not None:
                return user, email
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if sociallogin.is_existing:
            return  # a Google account already linked: its user signs in
        if not _google_verified_emails(sociallogin):
            raise ImmediateHttpResponse(storefront_redirect("google_email_unverified"))
        if sociallogin.user is not None and sociallogin.user.pk:
            return  # linked by a verified address (authenticate_by_email)
        email = user_email(sociallogin.user) if sociallogin.user else ""
        if email and User.objects.filter(email__iexact=email).exists():
            raise ImmediateHttpResponse(storefront_redirect("google_email_not_linkable"))
        # Google proved this person owns the address: an unverified claim on it by another
        # account (left from before allauth's email pages were closed) is void.
        EmailAddress.objects.filter(email__iexact=email or "", verified=False).delete()

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin) -> bool:
        return True  # Google gave a verified email (pre_social_login): no sign-up form

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        raise ImmediateHttpResponse(storefront_redirect(f"google_{error or 'unknown'}"))

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
