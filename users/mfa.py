"""The second factor: TOTP with recovery codes, stored by django-allauth's MFA app
(``allauth.mfa``'s ``Authenticator`` rows and its code checks; none of its pages are routed).

Who needs it: staff must have TOTP (``MFA_REQUIRED_FOR_STAFF``, default on); manufacturers may
turn it on. Once a user has TOTP, every session of theirs must pass the second-factor step
before any admin page opens, however the session began (the admin's password form, a Google
sign-in). The admin's pages for it are ``backoffice.two_factor``; the door that sends people
there is ``backoffice.sites.BackofficeAdminSite.admin_view``.

What other code calls:

- ``second_factor_ok(request) -> bool``: the signed-in user has TOTP and this session passed
  the step within ``MFA_FRESH_MINUTES``. Ask it before a sensitive action (bank details,
  payout or refund approval).
- ``fresh_second_factor_required``: a decorator for admin views doing such an action; without
  a fresh pass it redirects to the re-verify page (``admin:mfa_verify``), which comes back.

A passed step is recorded in the session (``SESSION_KEY``: the user's id and the time); the
tests' ``force_login`` helper records it the same way (``session_mark_passed``).
"""

import base64
import time
from functools import wraps
from urllib.parse import urlencode

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, validate_totp_code
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from users.models import User

SESSION_KEY = "martaf_mfa_passed"
PENDING_SECRET_KEY = "martaf_mfa_pending_secret"
# A user who need not use a second factor and had none when this session signed in: the
# door does not ask the database again for this session (session_note_absence).
ABSENT_KEY = "martaf_mfa_absent"

Type = Authenticator.Type


def totp_enabled(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Type.TOTP).exists()


def second_factor_required(user) -> bool:
    """Staff must use a second factor (unless ``MFA_REQUIRED_FOR_STAFF`` is off)."""
    return bool(user.is_active and user.is_staff and settings.MFA_REQUIRED_FOR_STAFF)


def passed_record(user) -> dict:
    """What the session holds once ``user`` passed the second-factor step, now."""
    return {"user": user.pk, "at": int(time.time())}


def session_mark_passed(request: HttpRequest) -> None:
    """Record that this session's user just passed the second-factor step."""
    request.session[SESSION_KEY] = passed_record(request.user)


def _passed_at(request: HttpRequest) -> int | None:
    record = request.session.get(SESSION_KEY) or {}
    if record.get("user") != request.user.pk:
        return None
    return record.get("at")


def session_passed(request: HttpRequest) -> bool:
    """This session passed the second-factor step at some point (the admin's door)."""
    return request.user.is_authenticated and _passed_at(request) is not None


def second_factor_due(request: HttpRequest) -> str | None:
    """What the admin's door must ask of this session before any page: ``"verify"`` (the
    user has TOTP and this session has not passed it), ``"setup"`` (staff without TOTP while
    ``MFA_REQUIRED_FOR_STAFF``), or None."""
    user = request.user
    if session_passed(request):
        return None
    required = second_factor_required(user)
    if not required and request.session.get(ABSENT_KEY) == user.pk:
        return None
    if totp_enabled(user):
        return "verify"
    if required:
        return "setup"
    return None


def session_note_absence(sender, request: HttpRequest, user, **kwargs) -> None:
    """user_logged_in: remember in the new session that this user has no second factor to
    give (no TOTP, not required), so the admin's door does not ask the database on every
    page. Turning TOTP on clears it in that session; other sessions already open keep it
    until they end."""
    if request is None or not hasattr(request, "session"):
        return
    if second_factor_required(user) or totp_enabled(user):
        request.session.pop(ABSENT_KEY, None)
    else:
        request.session[ABSENT_KEY] = user.pk


def second_factor_ok(request: HttpRequest) -> bool:
    """True when the signed-in user has TOTP enabled and this session passed it recently
    (within ``MFA_FRESH_MINUTES``): ask before a sensitive action."""
    if not request.user.is_authenticated or not totp_enabled(request.user):
        return False
    at = _passed_at(request)
    return at is not None and time.time() - at <= settings.MFA_FRESH_MINUTES * 60


def verify_url(next_url: str) -> str:
    return f"{reverse('admin:mfa_verify')}?{urlencode({'next': next_url})}"


def fresh_second_factor_required(view):
    """For admin views of sensitive actions: without a fresh second factor, go and give one
    (or, with no TOTP yet, set it up) and come back to this page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        if second_factor_ok(request):
            return view(request, *args, **kwargs)
        if not totp_enabled(request.user):
            message = _("This action needs two-factor sign-in: turn it on first.")
            messages.warning(request, message, fail_silently=True)
            return HttpResponseRedirect(reverse("admin:mfa_setup"))
        return HttpResponseRedirect(verify_url(request.get_full_path()))

    return guarded


# --- Setting up and checking codes ---------------------------------------------------------


def pending_secret(request: HttpRequest, *, regenerate: bool = False) -> str:
    """The secret offered on the setup page, kept in the session until a code confirms it."""
    secret = None if regenerate else request.session.get(PENDING_SECRET_KEY)
    if not secret:
        secret = request.session[PENDING_SECRET_KEY] = generate_totp_secret()
    return secret


def totp_qr_svg(*, user: User, secret: str) -> str:
    adapter = get_mfa_adapter()
    return adapter.build_totp_svg(adapter.build_totp_url(user, secret))


def totp_qr_data_uri(*, user: User, secret: str) -> str:
    svg = totp_qr_svg(user=user, secret=secret).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@transaction.atomic
def totp_activate(*, request: HttpRequest, code: str) -> list[str] | None:
    """Turn TOTP on with the pending secret if ``code`` matches it; the new recovery codes
    (shown once), or None for a wrong code."""
    user = request.user
    secret = request.session.get(PENDING_SECRET_KEY)
    if not secret or not validate_totp_code(secret, code.strip()):
        return None
    Authenticator.objects.filter(
        user_id=user.pk, type__in=[Type.TOTP, Type.RECOVERY_CODES]
    ).delete()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    del request.session[PENDING_SECRET_KEY]
    request.session.pop(ABSENT_KEY, None)
    session_mark_passed(request)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working), shown once."""
    Authenticator.objects.filter(user_id=user.pk, type=Type.RECOVERY_CODES).delete()
    return RecoveryCodes.activate(user).generate_codes()


def recovery_codes_left(*, user: User) -> int:
    instance = Authenticator.objects.filter(user_id=user.pk, type=Type.RECOVERY_CODES).first()
    return len(RecoveryCodes(instance).get_unused_codes()) if instance else 0


@transaction.atomic
def totp_deactivate(*, user: User) -> None:
    Authenticator.objects.filter(
        user_id=user.pk, type__in=[Type.TOTP, Type.RECOVERY_CODES]
    ).delete()


def code_check(*, user: User, code: str) -> bool:
    """A current TOTP code (each works once), or an unused recovery code (then spent)."""
    code = "".join(code.split())
    if not code:
        return False
    authenticators = {
        a.type: a
        for a in Authenticator.objects.filter(
            user_id=user.pk, type__in=[Type.TOTP, Type.RECOVERY_CODES]
        )
    }
    totp = authenticators.get(Type.TOTP)
    if totp is None:
        return False
    if TOTP(totp).validate_code(code):
        totp.record_usage()
        return True
    recovery = authenticators.get(Type.RECOVERY_CODES)
    if recovery is not None and RecoveryCodes(recovery).validate_code(code):
        recovery.record_usage()
        return True
    return False
