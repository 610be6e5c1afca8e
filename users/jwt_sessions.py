"""JWT sessions of the storefront: start (login), rotate (refresh), end (logout, which never
refuses), revoke all.

A session is a refresh token that travels in an HttpOnly cookie; each refresh blacklists it and
issues a new one, so a refresh token works once. The tokens rotated from one sign-in form a
*family* (a ``family`` claim, and a ``RefreshTokenFamily`` row per token): presenting a token
that was already rotated means someone else holds a copy, so the whole family is revoked, the
newest token too, and everyone holding it must sign in again. The token carries a ``remember`` claim: with it
the refresh token lives ``SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]``, without it
``JWT_SESSION_REFRESH_LIFETIME``; rotation keeps the choice. Access tokens always live
``ACCESS_TOKEN_LIFETIME`` (10 minutes by default).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from users.errors import AccountError, AccountErrorCode
from users.mfa_login import api_second_factor_due
from users.models import RefreshTokenFamily, User
from users.signin_policy import signin_check, signin_failed, signin_succeeded

REMEMBER_CLAIM = "remember"
FAMILY_CLAIM = "family"


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


def _refresh_token_issue(*, user: User, remember: bool, family: str | None = None) -> RefreshToken:
    """A new refresh token of ``family`` (a new family for a new sign-in)."""
    family = family or uuid.uuid4().hex
    token = RefreshToken()
    token[jwt_settings.USER_ID_CLAIM] = str(getattr(user, jwt_settings.USER_ID_FIELD))
    token[REMEMBER_CLAIM] = remember
    token[FAMILY_CLAIM] = family
    if jwt_settings.CHECK_REVOKE_TOKEN:  # as RefreshToken.for_user: dies with the password
        token[jwt_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
    token.set_exp(lifetime=refresh_lifetime(remember=remember))
    # Outstanding with its real expiry, so logout and "revoke all" can find it.
    outstanding = OutstandingToken.objects.create(
        user=user,
        jti=token[jwt_settings.JTI_CLAIM],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )
    RefreshTokenFamily.objects.create(token=outstanding, family=family)
    return token


def _issued(token: RefreshToken, *, remember: bool) -> IssuedSession:
    return IssuedSession(
        access=str(token.access_token),
        refresh=str(token),
        remember=remember,
        refresh_lifetime=refresh_lifetime(remember=remember),
    )


def user_authenticate(*, request: HttpRequest, email: str, password: str) -> User:
    """The active user with these credentials; one answer for every failure (no enumeration).

    The sign-in policy (``users.signin_policy``) is asked first: a refused attempt raises
    ``SignInRefused`` without checking the password; the outcome is counted. For a user who
    still owes a second factor (``users.mfa_login``) a right password is not yet a success:
    the email's failures are cleared only when the second step passes."""
    signin_check(request=request, email=email)
    user = authenticate(request, username=email, password=password)
    if user is None or not user.is_active:
        signin_failed(request=request, email=email)
        raise AccountError(AccountErrorCode.INVALID_CREDENTIALS)
    if api_second_factor_due(user) is None:
        signin_succeeded(request=request, email=email)
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


def _family_revoke(family: str) -> int:
    """Blacklist every live token of the family (the spent ones already are)."""
    live = OutstandingToken.objects.filter(
        family__family=family, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(created)


def _reused_family(raw_refresh: str) -> str | None:
    """The family of a genuine (signed, unexpired) refresh token that was already rotated, or
    None when the token is simply invalid (forged, expired, logged out, from before families)."""
    try:
        payload = token_backend.decode(raw_refresh, verify=True)
    except TokenBackendError:
        return None
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh" or not payload.get(FAMILY_CLAIM):
        return None
    family = str(payload[FAMILY_CLAIM])
    spent = (
        OutstandingToken.objects.filter(
            jti=payload.get(jwt_settings.JTI_CLAIM), blacklistedtoken__isnull=False
        )
        .values_list("pk", flat=True)
        .first()
    )
    # Rotated, not merely logged out: the family has a token issued after this one.
    rotated = spent is not None and RefreshTokenFamily.objects.filter(
        family=family, token_id__gt=spent
    ).exists()
    return family if rotated else None


def _refuse_reuse(family: str) -> AccountError:
    # Its own transaction: the refusal must not roll the revocation back.
    with transaction.atomic():
        _family_revoke(family)
    return AccountError(AccountErrorCode.REFRESH_TOKEN_REUSED)


def session_rotate(*, raw_refresh: str | None, remember: bool | None = None) -> IssuedSession:
    """Spend a refresh token for a new access token and a new refresh token of its family.

    ``remember`` overrides the token's own choice when the client sends it. A token that was
    already spent revokes its whole family (someone else holds a copy of the session).
    """
    if not raw_refresh:
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_MISSING)
    old = _refresh_token_parse(raw_refresh)
    if old is None:
        family = _reused_family(raw_refresh)
        if family is not None:
            raise _refuse_reuse(family)
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
    user = User.objects.filter(
        **{jwt_settings.USER_ID_FIELD: old.get(jwt_settings.USER_ID_CLAIM)}, is_active=True
    ).first()
    if user is None:
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
    keep = bool(old.get(REMEMBER_CLAIM, True)) if remember is None else remember
    family = old.get(FAMILY_CLAIM)
    token = None
    with transaction.atomic():
        _, newly_blacklisted = old.blacklist()
        if newly_blacklisted:
            token = _refresh_token_issue(user=user, remember=keep, family=family)
    if not newly_blacklisted:
        # Another request spent the same token at the same moment: two tabs of one browser
        # refreshing together, not a replay. One of them won; this one is just refused.
        raise AccountError(AccountErrorCode.REFRESH_TOKEN_INVALID)
    return _issued(token, remember=keep)


def session_end(*, raw_refresh: str | None) -> int:
    """End the session of a refresh token: it cannot be refreshed any more. Never refuses:
    signing out must work whatever state the session is in (revoked by reuse detection, expired,
    a cookie left over from before), so a missing, forged, expired or already revoked token
    simply ends nothing. How many tokens were revoked.

    A genuine token ends its whole family (the tokens rotated from the same sign-in): normally
    that is the token itself, the older ones being spent already; if a copy was rotated
    elsewhere, the newer token is revoked too.
    """
    if not raw_refresh:
        return 0
    try:
        payload = token_backend.decode(raw_refresh, verify=True)  # signature and expiry
    except TokenBackendError:
        return 0
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        return 0
    family = payload.get(FAMILY_CLAIM)
    if family:
        with transaction.atomic():
            return _family_revoke(str(family))
    token = _refresh_token_parse(raw_refresh)  # from before families: just this token
    if token is None:
        return 0
    _, newly_blacklisted = token.blacklist()
    return int(newly_blacklisted)


def sessions_revoke_all(*, user: User) -> int:
    """Blacklist every live refresh token of the user (password reset, account deletion)."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(created)


def sessions_revoke_on_password_change(sender, instance: User, created: bool, **kwargs) -> None:
    """post_save of User: a password set on an existing account (the API's reset, the admin's
    password change pages, ``manage.py changepassword``, any other path that calls
    ``set_password`` and saves) ends every refresh token of the user. ``_password`` holds the
    new raw password between ``set_password`` and the end of ``save``."""
    if created or getattr(instance, "_password", None) is None:
        return
    sessions_revoke_all(user=instance)
