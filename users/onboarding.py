"""Vendor onboarding: a manufacturer account's status and staff's decisions on it.

- A new manufacturer starts *pending* when it signed itself up and ``MANUFACTURER_SIGNUP_REVIEW``
  is on (the default); a manufacturer made by staff, a data migration or the demo starts
  *active* (``manufacturer_status_for_new``).
- Staff *approve* (pending or rejected → active), *reject* with a reason (pending → rejected),
  *suspend* with a reason (active → suspended) and *reinstate* (suspended → active), one account
  or many at once (``manufacturers_decide``). Each decision is written to the user's admin
  history in the same transaction, and the manufacturer is told (a notification and an email).
- Staff hear of each application once: when a manufacturer signs themselves up and waits for
  review, every active staff user gets an in-app notification linking to the application's
  review page (``manufacturer_application_notify_staff``). There is no resubmission move
  (rejected goes only to active), and profile saves while waiting tell nobody, so a busy
  applicant cannot flood staff; the notification is also never written twice for one applicant
  and one staff user.
- What each status may do in the backoffice is ``core.roles.backoffice_access``; a suspended
  manufacturer's products leave the storefront through ``catalog.selectors.products_public``.
  Nothing is deleted by any decision.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import ManufacturerStatus
from core.transitions import StatusMoves
from notifications.models import Notification, NotificationEvent
from notifications.selectors import staff_recipients
from notifications.services import notify
from users.errors import AccountError, AccountErrorCode
from users.models import User
from users.signals import manufacturer_status_changed


def manufacturer_status_for_new(*, is_manufacturer: bool, self_service: bool) -> str:
    """The status a new account starts with: only a self-registered manufacturer waits for
    review, and only while ``MANUFACTURER_SIGNUP_REVIEW`` is on."""
    if is_manufacturer and self_service and settings.MANUFACTURER_SIGNUP_REVIEW:
        return ManufacturerStatus.PENDING
    return ManufacturerStatus.ACTIVE


#: A manufacturer account's moves, each taken by one of staff's decisions below.
MANUFACTURER_MOVES = StatusMoves(
    "manufacturer_status",
    {
        ManufacturerStatus.PENDING: {ManufacturerStatus.ACTIVE, ManufacturerStatus.REJECTED},
        ManufacturerStatus.REJECTED: {ManufacturerStatus.ACTIVE},
        ManufacturerStatus.ACTIVE: {ManufacturerStatus.SUSPENDED},
        ManufacturerStatus.SUSPENDED: {ManufacturerStatus.ACTIVE},
    },
)


def manufacturer_review_url(user_id: int) -> str:
    """The staff page where an application is reviewed and decided (backoffice.approval)."""
    return reverse("admin:onboarding_review", args=[user_id])


def manufacturer_application_notify_staff(*, user: User, company: str = "") -> int:
    """Tell each active staff user, in the admin, that ``user`` waits for review; returns how
    many were told. Staff already told of this applicant are not told again."""
    if not (user.is_manufacturer and user.manufacturer_status == ManufacturerStatus.PENDING):
        return 0
    link = manufacturer_review_url(user.pk)
    told = Notification.objects.filter(
        event=NotificationEvent.MANUFACTURER_APPLIED, link=link
    ).values("user_id")
    recipients = list(staff_recipients().exclude(pk__in=told))
    if recipients:
        notify(
            event=NotificationEvent.MANUFACTURER_APPLIED,
            recipients=recipients,
            context={"company": company or _company(user), "email": user.email},
            link=link,
        )
    return len(recipients)


@dataclass(frozen=True)
class Decision:
    to: ManufacturerStatus
    event: NotificationEvent
    verb: str  # past tense, for messages and the history
    needs_reason: bool
    # Approve and reinstate both end active: the moves into ``to`` this decision names (None:
    # all of them).
    only_from: frozenset[str] | None = None

    @property
    def allowed_from(self) -> frozenset[str]:
        """The statuses an account may take this decision from (``MANUFACTURER_MOVES``)."""
        sources = MANUFACTURER_MOVES.sources(self.to)
        return sources if self.only_from is None else sources & self.only_from


DECISIONS: dict[str, Decision] = {
    "approve": Decision(
        ManufacturerStatus.ACTIVE,
        NotificationEvent.MANUFACTURER_APPROVED,
        _("approved"),
        False,
        only_from=frozenset({ManufacturerStatus.PENDING, ManufacturerStatus.REJECTED}),
    ),
    "reject": Decision(
        ManufacturerStatus.REJECTED, NotificationEvent.MANUFACTURER_REJECTED, _("rejected"), True
    ),
    "suspend": Decision(
        ManufacturerStatus.SUSPENDED,
        NotificationEvent.MANUFACTURER_SUSPENDED,
        _("suspended"),
        True,
    ),
    "reinstate": Decision(
        ManufacturerStatus.ACTIVE,
        NotificationEvent.MANUFACTURER_REINSTATED,
        _("reinstated"),
        False,
        only_from=frozenset({ManufacturerStatus.SUSPENDED}),
    ),
}


def _skip_reason(user: User, decision: Decision) -> str | None:
    if not user.is_manufacturer:
        return str(_("not a manufacturer"))
    if user.manufacturer_status not in decision.allowed_from:
        return str(
            _("the account is %(status)s") % {"status": user.get_manufacturer_status_display()}
        )
    return None


def _company(user: User) -> str:
    profile = getattr(user, "manufacturer_profile", None)
    return (profile.display_name if profile is not None else "") or user.display_name


@transaction.atomic
def manufacturers_decide(
    *, users: Iterable[User], actor: User, decision: str, reason: str = ""
) -> tuple[list[User], list[tuple[User, str]]]:
    """Apply staff's ``decision`` ("approve", "reject", "suspend", "reinstate") to each account
    it fits; returns (decided, [(skipped, why)]). Staff only; reject and suspend need a
    reason."""
    if not (actor.is_active and actor.is_staff):
        raise AccountError(AccountErrorCode.ONBOARDING_STAFF_ONLY)
    rule = DECISIONS[decision]
    reason = (reason or "").strip()
    if rule.needs_reason and not reason:
        raise AccountError(AccountErrorCode.ONBOARDING_REASON_REQUIRED)
    ids = sorted({user.pk for user in users})
    # Locked in pk order: two staff deciding on overlapping selections do not deadlock, and
    # the second sees the first one's outcome.
    locked = list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    decided, skipped = [], []
    for user in locked:
        why = _skip_reason(user, rule)
        if why:
            skipped.append((user, why))
        else:
            decided.append(user)
    if not decided:
        return [], skipped
    kept_reason = reason if rule.needs_reason else ""
    User.objects.filter(pk__in=[user.pk for user in decided]).update(
        manufacturer_status=rule.to, manufacturer_status_reason=kept_reason
    )
    manufacturer_status_changed.send(sender=User, users=decided)
    for user in decided:
        user.manufacturer_status, user.manufacturer_status_reason = rule.to, kept_reason
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=(
                f"Manufacturer account {rule.verb} by {actor.email}"
                + (f": {reason}" if reason else ".")
            ),
            single_object=True,
        )
    profiles = {
        user.pk: user
        for user in User.objects.filter(pk__in=[u.pk for u in decided]).select_related(
            "manufacturer_profile"
        )
    }
    for user in decided:
        # One notification each: the wording names the company and the reason.
        notify(
            event=rule.event,
            recipients=[user],
            context={"company": _company(profiles[user.pk]), "reason": reason or "-"},
            link="/admin/",
        )
    return decided, skipped


def manufacturer_decide(*, user: User, actor: User, decision: str, reason: str = "") -> User:
    """One account, from its admin page: a decision that does not fit its status is refused."""
    decided, skipped = manufacturers_decide(
        users=[user], actor=actor, decision=decision, reason=reason
    )
    if skipped:
        raise AccountError(
            AccountErrorCode.ONBOARDING_NOT_ALLOWED,
            str(_("Cannot do this: %(why)s.") % {"why": skipped[0][1]}),
        )
    return decided[0]
