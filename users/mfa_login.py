"""The API login's second factor: a user with TOTP (and staff, who must have it) signs in to
the API in two steps, like the admin.

1. The password step (``users.jwt_sessions.user_authenticate``) accepts the password; instead
   of tokens the login answers ``mfa_required`` with an ``mfa_token`` (``mfa_challenge_issue``).
   Staff without TOTP (while ``MFA_REQUIRED_FOR_STAFF``) are refused with
   ``mfa_setup_required``: they set it up in the admin first.
2. ``POST /accounts/login/mfa`` (``/api/auth/login/mfa/``) sends the ``mfa_token`` and a TOTP
   code or a recovery code (``mfa_challenge_pass``); the login's tokens and cookie follow.

The ``mfa_token`` is signed (``django.core.signing``, with the "remember me" choice of the
password step) around a random secret whose SHA-256 is an ``AccountToken`` row of purpose
``second_factor``: it lives ``MFA_LOGIN_TOKEN_SECONDS`` (5 minutes), works once (the row is
spent by a conditional delete), and a new password step replaces it. Wrong codes count as
failed sign-ins of the user's email in ``users.signin_policy``, like wrong passwords; a refused
email or address is not heard. The password step does not clear the email's failures for such
a user (only a passed second step does), so re-entering a known password cannot reset the
count of guessed codes.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest

from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_issue,
    account_token_spend,
)
from users.errors import AccountError, AccountErrorCode
from users.mfa import code_check, second_factor_required, totp_enabled
from users.models import AccountTokenPurpose, User
from users.signin_policy import signin_check, signin_failed, signin_succeeded

SALT = "users.mfa_login"
PURPOSE = AccountTokenPurpose.SECOND_FACTOR


def api_second_factor_due(user: User) -> str | None:
    """What the API login must ask of ``user`` after the password: ``"verify"`` (TOTP on),
    ``"setup"`` (staff without TOTP while it is required), or None (tokens at once). One query,
    kept on the user object for the rest of the request (the password step and the answer
    both ask)."""
    if not hasattr(user, "_api_second_factor_due"):
        due = None
        if totp_enabled(user):
            due = "verify"
        elif second_factor_required(user):
            due = "setup"
        user._api_second_factor_due = due
    return user._api_second_factor_due


def _lifetime() -> int:
    return settings.MFA_LOGIN_TOKEN_SECONDS


def mfa_challenge_issue(*, user: User, remember: bool) -> str:
    """A new ``mfa_token`` for ``user`` (any earlier one stops working)."""
    raw = account_token_issue(user=user, purpose=PURPOSE, lifetime=timedelta(seconds=_lifetime()))
    return signing.dumps({"t": raw, "r": bool(remember)}, salt=SALT)


@dataclass(frozen=True)
class PassedChallenge:
    user: User
    remember: bool


def _challenge_read(mfa_token: str):
    try:
        payload = signing.loads(mfa_token or "", salt=SALT, max_age=_lifetime())
    except signing.SignatureExpired:
        raise AccountError(AccountErrorCode.MFA_TOKEN_EXPIRED) from None
    except signing.BadSignature:
        raise AccountError(AccountErrorCode.MFA_TOKEN_INVALID) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), str):
        raise AccountError(AccountErrorCode.MFA_TOKEN_INVALID)
    try:
        live = account_token_check(purpose=PURPOSE, raw_token=payload["t"])
    except TokenRejected as rejected:
        raise rejected.error(
            expired=AccountErrorCode.MFA_TOKEN_EXPIRED, invalid=AccountErrorCode.MFA_TOKEN_INVALID
        ) from None
    if not live.user.is_active:
        raise AccountError(AccountErrorCode.MFA_TOKEN_INVALID)
    return live, bool(payload.get("r"))


def mfa_challenge_pass(*, request: HttpRequest, mfa_token: str, code: str) -> PassedChallenge:
    """The user of a live ``mfa_token`` whose ``code`` is right; the token is spent.

    Raises ``SignInRefused`` when the sign-in policy refuses the user's email or the address
    (the code is then not checked), ``AccountError`` for an unknown, spent or expired token or
    a wrong code (counted as a failed sign-in; the token stays live until it expires)."""
    live, remember = _challenge_read(mfa_token)
    email = live.user.email
    signin_check(request=request, email=email)
    if not code_check(user=live.user, code=code or ""):
        signin_failed(request=request, email=email)
        raise AccountError(AccountErrorCode.MFA_CODE_INVALID)
    with transaction.atomic():
        try:
            account_token_spend(token=live)
        except TokenRejected:  # a concurrent request with the same token won
            raise AccountError(AccountErrorCode.MFA_TOKEN_INVALID) from None
    signin_succeeded(request=request, email=email)
    return PassedChallenge(user=live.user, remember=remember)
