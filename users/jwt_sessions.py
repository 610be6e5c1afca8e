"""JWT sessions of the storefront: start (login), rotate (refresh), end (logout), revoke all.

A session is a refresh token that travels in an HttpOnly cookie; each refresh blacklists it and
issues a new one, so a refresh token works once. The token carries a ``remember`` claim: with it
the refresh token lives ``SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]``, without it
``JWT_SESSION_REFRESH_LIFETIME``; rotation keeps the choice. Access tokens always live
``ACCESS_TOKEN_LIFETIME`` (10 minutes by default).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from users.errors import AccountError, AccountErrorCode
from users.models import User

REMEMBER_CLAIM = "remember"


@dataclass(frozen=True)
class IssuedSession:
    access: str
    refresh: str
    remember: bool
    refresh_lifetime: timedelta


def refresh_lifetime(*, remember: bool) -> timedelta:
    if remember:
        return jwt_settings.REFRESH_TOKEN_LIFETIME
    return settings.JWT_SESSION_REFRESH_LIFETIME


def _refresh_token_issue(*, user: User, remember: bool) -> RefreshToken:
    token = RefreshToken()
    token[jwt_settings.USER_ID_CLAIM] = str(getattr(user, jwt_settings.USER_ID_FIELD))
    token[REMEMBER_CLAIM] = remember
    token.set_exp(lifetime=refresh_lifetime(remember=remember))
    # Outstanding with its real expiry, so logout and "revoke all" can find it.
    OutstandingToken.objects.create(
        user=user,
        jti=token[jwt_settings.JTI_CLAIM],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )
    return token


def _issued(token: RefreshToken, *, remember: bool) -> IssuedSession:
    return IssuedSession(
        access=str(token.access_token),
        refresh=str(token),
        remember=remember,
        refresh_lifetime=refresh_lifetime(remember=remember),
    )


def user_authenticate(*, request: HttpRequest | None, email: str, password: str) -> User:
    """The active user with these credentials; one answer for every failure (no enumeration)."""
    user = authenticate(request, username=email, password=password)
    if user is None or not user.is_active:
        raise AccountError(AccountErrorCode.INVALID_CREDENTIALS)
    return user


@transaction.atomic
def session_start(*, user: User, remember: bool) -> IssuedSession:
    token = _refresh_token_issue(user=user, remember=remember)
    if jwt_settings.UPDATE_LAST_LOGIN:
        update_last_login(None, user)
    return _issued(token, remember=remember)


def _refresh_token_parse(raw_refresh: str) -> RefreshToken | None:
    """The verified token (signature, expiry, type, not blacklisted), or None."""
    try:
        return RefreshToken(raw_refresh)
    except TokenError:
        return None


def session_rotate(*, raw_refresh: str | None, remember: bool | None = None) -> IssuedSession:
    """Spend a refresh token for a new access token and a new refresh token.

    ``remember`` overrides the token's own choice when the client sends it.
    """
    if not raw_refresh:
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_MISSING)
    old = _refresh_token_parse(raw_refresh)
    if old is None:
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
    user = User.objects.filter(
        **{jwt_settings.USER_ID_FIELD: old.get(jwt_settings.USER_ID_CLAIM)}, is_active=True
    ).first()
    if user is None:
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
    keep = bool(old.get(REMEMBER_CLAIM, True)) if remember is None else remember
    with transaction.atomic():
        _, newly_blacklisted = old.blacklist()
        if not newly_blacklisted:  # a concurrent request rotated the same token first
            raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
        token = _refresh_token_issue(user=user, remember=keep)
    return _issued(token, remember=keep)


def session_end(*, raw_refresh: str | None) -> None:
    """Blacklist the refresh token: the session cannot be refreshed any more."""
    if not raw_refresh:
        raise AccountError(AccountErrorCode.LOGOUT_TOKEN_MISSING)
    token = _refresh_token_parse(raw_refresh)
    if token is None:
        raise AccountError(AccountErrorCode.LOGOUT_TOKEN_INVALID)
    token.blacklist()


def sessions_revoke_all(*, user: User) -> int:
    """Blacklist every live refresh token of the user (password reset, account deletion)."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(created)
