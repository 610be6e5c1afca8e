"""Google sign-in: the users it creates, the one-time login link they are mailed, and the
hand-off that turns allauth's signed-in session into the storefront's JWTs.

django-allauth runs the OAuth dance under ``/oauth/`` and, through ``users.adapters``, links a
Google identity to the existing account with the same (Google-verified) email or creates one
with ``google_user_create``. ``GET /accounts/google/login`` then calls ``google_handoff_user``.
"""

import secrets
from datetime import timedelta

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from notifications.models import NotificationEvent
from notifications.services import email_queue
from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_issue,
    account_token_spend,
    duration_text,
)
from users.errors import AccountError, AccountErrorCode
from users.models import AccountTokenPurpose, User
from users.services import user_create

GOOGLE_PROVIDER = "google"
ONE_TIME_LOGIN_SUBJECT = "Welcome to MARTAF - One-Time Login Link"


def one_time_login_link(*, user: User, raw_token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.ONE_TIME_LOGIN_URL.format(uid=uid, token=raw_token)


@transaction.atomic
def one_time_login_send(*, user: User) -> None:
    """Mail a link that signs the user in once, within ``ONE_TIME_LOGIN_TOKEN_MINUTES``."""
    minutes = settings.ONE_TIME_LOGIN_TOKEN_MINUTES
    raw_token = account_token_issue(
        user=user,
        purpose=AccountTokenPurpose.ONE_TIME_LOGIN,
        lifetime=timedelta(minutes=minutes),
    )
    email_queue(
        to=user.email,
        subject=ONE_TIME_LOGIN_SUBJECT,
        template="emails/one_time_login_email",
        context={
            "name": user.first_name or user.email,
            "login_url": one_time_login_link(user=user, raw_token=raw_token),
            "valid_for": duration_text(minutes),
        },
        user=user,
        event=NotificationEvent.ONE_TIME_LOGIN,
    )


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
        code = (
            AccountErrorCode.ONE_TIME_LOGIN_EXPIRED
            if exc.expired
            else AccountErrorCode.ONE_TIME_LOGIN_INVALID
        )
        raise AccountError(code) from exc
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
