"""Single-use secrets mailed to users (password reset, one-time login), stored only as hashes.

``account_token_email`` issues a secret and mails its link (``TOKEN_EMAILS`` says, per purpose,
what the email says and how long the link lives). ``account_token_issue`` returns the raw secret
exactly once, for the email; the database keeps its SHA-256. ``account_token_redeem`` spends a secret: the row is removed by a conditional delete whose
row count decides who won, so two requests racing with the same secret cannot both succeed.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.models import NotificationEvent
from notifications.services import email_queue
from users.errors import AccountError, AccountErrorCode
from users.models import AccountToken, AccountTokenPurpose, User


def duration_text(minutes: int) -> str:
    """How long a mailed link stays valid, for the email text: "5 minutes", "24 hours"."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def account_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


@transaction.atomic
def account_token_issue(
    *, user: User, purpose: AccountTokenPurpose, lifetime: timedelta
) -> str:
    """A new secret for ``purpose``; any earlier one of the same purpose stops working."""
    raw_token = secrets.token_urlsafe(32)
    AccountToken.objects.update_or_create(
        user=user,
        purpose=purpose,
        defaults={
            "token_hash": account_token_hash(raw_token),
            "expires_at": timezone.now() + lifetime,
            "created_at": timezone.now(),
        },
    )
    return raw_token


@dataclass(frozen=True)
class TokenEmail:
    """The email that carries one purpose's secret, and how long the secret lives."""

    subject: str
    template: str  # gets ``name``, ``link_url`` and ``valid_for``
    event: NotificationEvent
    minutes_setting: str  # the setting with the lifetime in minutes
    url_setting: str  # the setting with the link pattern: ``{token}``, optionally ``{uid}``


TOKEN_EMAILS = {
    AccountTokenPurpose.PASSWORD_RESET: TokenEmail(
        "Reset your MARTAF password",
        "emails/password_reset",
        NotificationEvent.PASSWORD_RESET,
        "PASSWORD_RESET_TOKEN_MINUTES",
        "PASSWORD_RESET_URL",
    ),
    AccountTokenPurpose.ONE_TIME_LOGIN: TokenEmail(
        "Welcome to MARTAF - One-Time Login Link",
        "emails/one_time_login_email",
        NotificationEvent.ONE_TIME_LOGIN,
        "ONE_TIME_LOGIN_TOKEN_MINUTES",
        "ONE_TIME_LOGIN_URL",
    ),
}


def account_token_link(*, user: User, purpose: AccountTokenPurpose, raw_token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return getattr(settings, TOKEN_EMAILS[purpose].url_setting).format(uid=uid, token=raw_token)


@transaction.atomic
def account_token_email(*, user: User, purpose: AccountTokenPurpose) -> None:
    """Mail the user a link with a new secret for ``purpose`` (the earlier one stops working)."""
    email = TOKEN_EMAILS[purpose]
    minutes = getattr(settings, email.minutes_setting)
    lifetime = timedelta(minutes=minutes)
    raw_token = account_token_issue(user=user, purpose=purpose, lifetime=lifetime)
    email_queue(
        to=user.email,
        subject=email.subject,
        template=email.template,
        context={
            "name": user.first_name or user.email,
            "link_url": account_token_link(user=user, purpose=purpose, raw_token=raw_token),
            "valid_for": duration_text(minutes),
        },
        user=user,
        event=email.event,
        # A link that has expired on arrival is worthless: never send or retry it after that.
        send_before=timezone.now() + lifetime,
    )


class TokenRejected(Exception):
    """The secret is unknown (never issued, already used, replaced) or has expired."""

    def __init__(self, *, expired: bool) -> None:
        self.expired = expired
        super().__init__("expired" if expired else "invalid")

    def error(self, *, expired: AccountErrorCode, invalid: AccountErrorCode) -> AccountError:
        """The API's error for this rejection, by the purpose's codes."""
        return AccountError(expired if self.expired else invalid)


@dataclass(frozen=True)
class LiveToken:
    pk: int
    user: User


def account_token_check(
    *, purpose: AccountTokenPurpose, raw_token: str, user_id: int | None = None
) -> LiveToken:
    """The live token matching ``raw_token`` (and ``user_id`` when given), not yet spent.

    An expired token is deleted on the way out (the seed's rule), so it is rejected as expired
    once and as unknown afterwards.
    """
    token = (
        AccountToken.objects.select_related("user")
        .filter(purpose=purpose, token_hash=account_token_hash(raw_token or ""))
        .first()
    )
    if token is None or (user_id is not None and token.user_id != user_id):
        raise TokenRejected(expired=False)
    if token.expires_at <= timezone.now():
        AccountToken.objects.filter(pk=token.pk).delete()
        raise TokenRejected(expired=True)
    return LiveToken(pk=token.pk, user=token.user)


def account_token_spend(*, token: LiveToken) -> None:
    """Use the token up. Call inside the transaction that does what the token allows."""
    deleted, _ = AccountToken.objects.filter(pk=token.pk).delete()
    if deleted == 0:  # a concurrent request spent it first
        raise TokenRejected(expired=False)
