"""Google sign-in: the users it creates, the one-time login link they are mailed, and the
hand-off that turns allauth's signed-in session into the storefront's JWTs.

django-allauth runs the OAuth dance under ``/oauth/`` and, through ``users.adapters``, links a
Google identity to the existing account with the same (Google-verified) email or creates one
with ``google_user_create``. ``GET /accounts/google/login`` then calls ``google_handoff_user``.
"""

import secrets

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_email,
    account_token_spend,
)
from users.errors import AccountError, AccountErrorCode
from users.models import AccountTokenPurpose, User
from users.services import user_create

GOOGLE_PROVIDER = "google"


def one_time_login_send(*, user: User) -> None:
    """Mail a link that signs the user in once, within ``ONE_TIME_LOGIN_TOKEN_MINUTES``."""
    account_token_email(user=user, purpose=AccountTokenPurpose.ONE_TIME_LOGIN)


def one_time_login_redeem(*, uid: str, raw_token: str) -> User:
    """The user the link belongs to; the link is spent (it works once)."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        raise AccountError(AccountErrorCode.ONE_TIME_LOGIN_INVALID) from None
    try:
        token = account_token_check(
            purpose=AccountTokenPurpose.ONE_TIME_LOGIN, raw_token=raw_token, user_id=user_id
        )
        if not token.user.is_active:
            raise TokenRejected(expired=False)
        with transaction.atomic():
            account_token_spend(token=token)
    except TokenRejected as exc:
        raise exc.error(
            expired=AccountErrorCode.ONE_TIME_LOGIN_EXPIRED,
            invalid=AccountErrorCode.ONE_TIME_LOGIN_INVALID,
        ) from exc
    return token.user


@transaction.atomic
def google_user_create(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """A customer account for a new Google identity: a random password nobody knows, flagged
    ``is_google_user``, and a one-time login link mailed so the user can get in without Google."""
    user = user_create(
        email=email,
        password=secrets.token_urlsafe(32),
        first_name=first_name or "",
        last_name=last_name or "",
        is_customer=True,
        is_google_user=True,
    )
    one_time_login_send(user=user)
    return user


def google_account_email(account: SocialAccount) -> str:
    data = account.extra_data or {}
    return (data.get("email") or "").strip()


def google_handoff_user(*, user: User | AnonymousUser) -> User:
    """The session's user, provided it signed in with a Google account that has an email."""
    if not user.is_authenticated:
        raise AccountError(AccountErrorCode.GOOGLE_NOT_AUTHENTICATED)
    account = SocialAccount.objects.filter(user=user, provider=GOOGLE_PROVIDER).first()
    if account is None:
        raise AccountError(AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND)
    if not google_account_email(account):
        raise AccountError(AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND)
    return user
