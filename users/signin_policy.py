"""The one sign-in policy: every door that checks a password (the admin's login page, the API
login on both route sets) and the admin's second-factor step asks this module first and tells
it how the attempt went.

Failures are counted three ways (``users.models.SignInThrottle``), each forgotten
``SIGNIN_WINDOW_MINUTES`` after its last failure:

- per client address (``core.client_ip``): after ``SIGNIN_ADDRESS_FAILURE_LIMIT`` failures, for
  any emails, the address is refused for the window. One address cannot spray many accounts.
- per client address and email: after ``SIGNIN_PAIR_FAILURE_LIMIT`` failures the pair is
  refused for the window. The attacker's address is stopped; the owner, elsewhere, is not.
- per email, from anywhere: after ``SIGNIN_ACCOUNT_FREE_FAILURES`` failures each further one
  makes the account wait before the next attempt is heard, doubling from
  ``SIGNIN_ACCOUNT_DELAY_SECONDS`` up to ``SIGNIN_ACCOUNT_MAX_DELAY_SECONDS``. Many addresses
  guessing one password get one guess per delay between them; the owner waits at most the
  capped delay, never a fixed lockout that a stranger can renew at will.

A refused attempt is not checked (no password oracle while refused) and not counted (hammering
a refused door does not lengthen the refusal). A success clears the pair and the email's counts,
not the address's. Unknown emails are counted like known ones, so the answers say nothing about
which accounts exist. Staff see and lift the rows in the admin (System → Sign-in lockouts).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.client_ip import client_ip
from users.models import SignInThrottle, SignInThrottleScope

Scope = SignInThrottleScope


@dataclass(frozen=True)
class SignInRefused(Exception):
    """The attempt is not heard: ``retry_after`` seconds until it will be."""

    retry_after: int
    scope: str

    @property
    def message(self) -> str:
        return signin_refused_message(self.retry_after)


def signin_refused_message(retry_after: int) -> str:
    if retry_after < 120:
        wait = ngettext("%(n)d second", "%(n)d seconds", retry_after) % {"n": retry_after}
    else:
        minutes = math.ceil(retry_after / 60)
        wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _(
        "Too many failed sign-ins. For your security, signing in is paused; try again in %(wait)s."
    ) % {"wait": wait}


def email_key(email: str | None) -> str:
    """The email as the counts key it: trimmed, lower case (as the login normalises it)."""
    return str(email or "").strip().lower()[:254]


def _keys(request: HttpRequest, email: str) -> list[tuple[str, str, str]]:
    ip = client_ip(request)[:45]
    keys = [(Scope.ADDRESS, ip, "")]
    if email:
        keys += [(Scope.PAIR, ip, email), (Scope.ACCOUNT, "", email)]
    return keys


def _key_filter(keys: list[tuple[str, str, str]]) -> Q:
    query = Q(pk__in=[])
    for scope, ip, email in keys:
        query |= Q(scope=scope, client_ip=ip, email=email)
    return query


def signin_check(*, request: HttpRequest, email: str | None) -> None:
    """Raise ``SignInRefused`` when this attempt must not be heard. One query."""
    now = timezone.now()
    until = (
        SignInThrottle.objects.filter(
            _key_filter(_keys(request, email_key(email))), blocked_until__gt=now
        )
        .order_by("-blocked_until")
        .values_list("blocked_until", "scope")
        .first()
    )
    if until is not None:
        blocked_until, scope = until
        wait = math.ceil((blocked_until - now).total_seconds())
        raise SignInRefused(retry_after=max(1, wait), scope=scope)


def _window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)


def _blocked_until(scope: str, failures: int, now: datetime) -> datetime | None:
    if scope == Scope.ADDRESS:
        limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
        return now + _window() if failures >= limit else None
    if scope == Scope.PAIR:
        limit = settings.SIGNIN_PAIR_FAILURE_LIMIT
        return now + _window() if failures >= limit else None
    over = failures - settings.SIGNIN_ACCOUNT_FREE_FAILURES
    if over <= 0:
        return None
    delay = min(
        settings.SIGNIN_ACCOUNT_MAX_DELAY_SECONDS,
        settings.SIGNIN_ACCOUNT_DELAY_SECONDS * 2 ** min(over - 1, 30),
    )
    return now + timedelta(seconds=delay)


def _count(scope: str, ip: str, email: str, now: datetime) -> None:
    key = {"scope": scope, "client_ip": ip, "email": email}
    row = SignInThrottle.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                SignInThrottle.objects.create(
                    **key,
                    failures=1,
                    last_failure_at=now,
                    blocked_until=_blocked_until(scope, 1, now),
                )
            return
        except IntegrityError:  # another request counted the first failure at the same moment
            row = SignInThrottle.objects.select_for_update().get(**key)
    if row.last_failure_at < now - _window():
        row.failures = 0  # forgotten: the window passed since its last failure
    row.failures += 1
    row.last_failure_at = now
    row.blocked_until = _blocked_until(scope, row.failures, now)
    row.save(update_fields=["failures", "last_failure_at", "blocked_until"])


@transaction.atomic
def signin_failed(*, request: HttpRequest, email: str | None) -> None:
    """Count a failed attempt (wrong password, wrong second-factor code, an account that may
    not use this door) against the address, the pair and the email."""
    now = timezone.now()
    for scope, ip, key_email in _keys(request, email_key(email)):
        _count(scope, ip, key_email, now)
    # Rows that hold nothing any more go, so the table stays the size of current attacks.
    SignInThrottle.objects.filter(last_failure_at__lt=now - _window()).filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lt=now)
    ).delete()


def signin_succeeded(*, request: HttpRequest, email: str | None) -> None:
    """The owner got in from here: forget the pair's and the email's failures."""
    email = email_key(email)
    if not email:
        return
    keys = [key for key in _keys(request, email) if key[0] != Scope.ADDRESS]
    SignInThrottle.objects.filter(_key_filter(keys)).delete()
