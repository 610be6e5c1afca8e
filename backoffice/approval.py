"""Staff's review page of a manufacturer application: who applied (the profile, the contact, the
picture), where payouts would go (the bank details, from the money app), when they applied and
every decision taken on the account so far, with Approve and Reject-with-reason.

It lives in the site's layer because it reads two apps that do not know each other's
position: users (the account, its profile, its decisions) and money (the bank accounts) above
it. Decisions go through ``users.onboarding.manufacturer_decide``, which records them in the
user's admin history and tells the manufacturer. Staff only: anyone else gets a 403 and
nothing changes. The user's raw change form stays for superusers' edits; this is the approval
path (the users list, the dashboard card and staff's notification link here).
"""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminTextareaWidget

from core.roles import BackofficeRole, ManufacturerStatus, backoffice_role
from money.models import BankAccount
from money.selectors import bank_accounts_visible_to
from users.admin_onboarding import manufacturer_decide_with_message
from users.models import User
from users.onboarding import DECISIONS, manufacturer_review_url

REVIEWABLE = ("approve", "reject")
PENDING_QUERY = "?manufacturer_status__exact=pending"
STATUS_BADGES = {
    ManufacturerStatus.ACTIVE: "success",
    ManufacturerStatus.PENDING: "warning",
    ManufacturerStatus.SUSPENDED: "info",
    ManufacturerStatus.REJECTED: "danger",
}
# Lines of the user's admin history written by users.onboarding ("Manufacturer account
# approved by staff@...: reason").
DECISION_PREFIX = "Manufacturer account "


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        help_text=_("The manufacturer reads it, in the notification, the email and their page."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the manufacturer is told why.")},
    )


@dataclass(frozen=True)
class HistoryLine:
    when: object
    text: str


def staff_reviewer(user) -> bool:
    """Who may review applications: active staff who may change users."""
    return backoffice_role(user) == BackofficeRole.STAFF and user.has_perm("users.change_user")


def _applicant_or_404(user_id: int) -> User:
    applicant = (
        User.objects.select_related("manufacturer_profile")
        .filter(pk=user_id, is_manufacturer=True)
        .first()
    )
    if applicant is None:
        raise Http404
    return applicant


def _history(applicant: User) -> list[HistoryLine]:
    """The application, then each decision staff took, oldest first."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(applicant.pk),
        change_message__startswith=DECISION_PREFIX,
    ).order_by("action_time", "pk")
    lines = [HistoryLine(applicant.date_joined, str(_("Signed up as a manufacturer.")))]
    lines += [HistoryLine(entry.action_time, entry.change_message) for entry in entries]
    return lines


@dataclass(frozen=True)
class Applications:
    count: int
    href: str
    hint: str


def applications_waiting() -> Applications:
    """The dashboard card's figure and link, in one query: how many applications wait, and the
    oldest one's review page (its "Next application" link walks the rest)."""
    waiting = User.objects.filter(
        is_manufacturer=True, manufacturer_status=ManufacturerStatus.PENDING
    ).aggregate(count=Count("pk"), oldest=Min("pk"))
    if not waiting["count"]:
        return Applications(0, reverse("admin:users_user_changelist") + PENDING_QUERY, "")
    hint = str(_("review the oldest first")) if waiting["count"] > 1 else ""
    return Applications(waiting["count"], manufacturer_review_url(waiting["oldest"]), hint)


def _next_application(applicant: User) -> User | None:
    """The oldest other application still waiting, for working through the queue."""
    return (
        User.objects.filter(is_manufacturer=True, manufacturer_status=ManufacturerStatus.PENDING)
        .exclude(pk=applicant.pk)
        .order_by("pk")
        .first()
    )


def review_page(site, request: HttpRequest, user_id: int) -> HttpResponse:
    if not staff_reviewer(request.user):
        raise PermissionDenied
    applicant = _applicant_or_404(user_id)
    reject_form = RejectForm()
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in REVIEWABLE:
            return HttpResponseBadRequest("Unknown decision.")
        reason = ""
        if DECISIONS[decision].needs_reason:
            reject_form = RejectForm(request.POST)
            if not reject_form.is_valid():
                return _render(site, request, applicant, reject_form, status=400)
            reason = reject_form.cleaned_data["reason"]
        manufacturer_decide_with_message(request, applicant, decision, reason)
        return redirect(manufacturer_review_url(applicant.pk))
    return _render(site, request, applicant, reject_form)


def _render(site, request, applicant: User, reject_form: RejectForm, status: int = 200):
    profile = getattr(applicant, "manufacturer_profile", None)
    accounts = list(
        bank_accounts_visible_to(user=request.user)
        .filter(manufacturer=applicant)
        .order_by("-created_at", "-id")
    )
    current: BankAccount | None = next((a for a in accounts if a.is_current), None)
    state = applicant.manufacturer_status
    following = _next_application(applicant)
    context = {
        **site.each_context(request),
        "title": _("Review manufacturer application"),
        "applicant": applicant,
        "profile": profile,
        "company": (profile.display_name if profile else "") or applicant.display_name,
        "status_badge": STATUS_BADGES.get(state, "muted"),
        "bank_current": current,
        "bank_past": [a for a in accounts if a is not current],
        "history": _history(applicant),
        "can_approve": state in DECISIONS["approve"].allowed_from,
        "can_reject": state in DECISIONS["reject"].allowed_from,
        "reject_form": reject_form,
        "reject_open": reject_form.is_bound,
        "action_url": manufacturer_review_url(applicant.pk),
        "user_url": reverse("admin:users_user_change", args=[applicant.pk]),
        "list_url": reverse("admin:users_user_changelist") + PENDING_QUERY,
        "next_url": manufacturer_review_url(following.pk) if following else "",
    }
    return TemplateResponse(request, "admin/onboarding/review.html", context, status=status)
