"""Second-factor helpers for tests: give a user TOTP, compute the current code from the stored
secret (as an authenticator app would), and record a passed second factor on a test client's
session exactly as the real step does (``users.mfa.passed_record``)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings

from users.mfa import SESSION_KEY, passed_record, totp_enabled


def totp_give(user) -> str:
    """Turn TOTP (and recovery codes) on for ``user``; the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_secret(user) -> str:
    instance = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.TOTP)
    return decrypt(instance.data["secret"])


def totp_code(user, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at ``at``)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    counter = int(time.time() if at is None else at) // period
    return format_hotp_value(hotp_value(totp_secret(user), counter))


def recovery_codes(user) -> list[str]:
    instance = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(instance).get_unused_codes()


def client_pass_second_factor(client, user) -> None:
    """Record on ``client``'s session that ``user`` passed the second factor, as the real step
    does, when the user has TOTP."""
    if not totp_enabled(user):
        return
    session = client.session
    session[SESSION_KEY] = passed_record(user)
    session.save()
