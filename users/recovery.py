"""Account recovery: password reset by emailed link, forgotten email by SMS.

Whether an unknown email or phone is reported (the seed: 401 / 404) or answered like a known one
is ``settings.API_PREVENT_ACCOUNT_ENUMERATION`` (docs/api.md#accounts, "Account enumeration").
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from notifications.models import NotificationEvent
from notifications.services import sms_is_configured, sms_queue
from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_email,
    account_token_spend,
)
from users.errors import AccountError, AccountErrorCode
from users.models import AccountTokenPurpose, User
from users.selectors import user_get_active_by_email, user_get_active_by_phone
from users.services import password_check


@transaction.atomic
def password_reset_request(*, email: str) -> bool:
    """Email a reset link valid ``PASSWORD_RESET_TOKEN_MINUTES``. False when nobody was mailed
    (only possible with enumeration protection on; otherwise an unknown email raises)."""
    user = user_get_active_by_email(email=email)
    if user is None:
        if settings.API_PREVENT_ACCOUNT_ENUMERATION:
            return False
        raise AccountError(AccountErrorCode.RESET_EMAIL_UNKNOWN)
    account_token_email(user=user, purpose=AccountTokenPurpose.PASSWORD_RESET)
    return True


def password_reset_confirm(*, raw_token: str, password: str) -> User:
    """Set a new password with a reset token; the token is spent and every session of the user
    ends (a reset usually means someone else may know the old password)."""
    try:
        token = account_token_check(
            purpose=AccountTokenPurpose.PASSWORD_RESET, raw_token=raw_token
        )
    except TokenRejected as exc:
        raise exc.error(
            expired=AccountErrorCode.RESET_TOKEN_EXPIRED,
            invalid=AccountErrorCode.RESET_TOKEN_INVALID,
        ) from exc
    user = token.user
    # Validate first: a password the validators refuse must not use the token up.
    password_check(password=password, user=user)
    with transaction.atomic():
        try:
            account_token_spend(token=token)
        except TokenRejected as exc:
            raise AccountError(AccountErrorCode.RESET_TOKEN_INVALID) from exc
        # Saving the new password ends every refresh token of the user
        # (users.jwt_sessions.sessions_revoke_on_password_change).
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def email_mask(email: str) -> str:
    """``john@domain.com`` -> ``j****@domain.com`` (always four stars: the length stays secret)."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}****@{domain}"


@transaction.atomic
def email_reminder_send(*, phone: str) -> bool:
    """Text the masked email of the account with this phone number. False when nobody was texted
    (only with enumeration protection on). Refuses before any lookup when SMS cannot be sent,
    so the refusal says nothing about the number."""
    if not sms_is_configured():
        raise AccountError(AccountErrorCode.SMS_NOT_CONFIGURED)
    user = user_get_active_by_phone(phone=phone)
    if user is None:
        if settings.API_PREVENT_ACCOUNT_ENUMERATION:
            return False
        raise AccountError(AccountErrorCode.PHONE_UNKNOWN)
    body = render_to_string(
        "emails/forgot_email.txt", {"masked_email": email_mask(user.email)}
    ).strip()
    sms_queue(to=phone, body=body, user=user, event=NotificationEvent.FORGOT_EMAIL)
    return True
