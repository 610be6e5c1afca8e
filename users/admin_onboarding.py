"""Vendor onboarding in the users admin: staff approve, reject, suspend or reinstate
manufacturer accounts, in bulk from the list (a confirmation page with the reason). One
application is decided on its review page (``backoffice.approval``: the list's "Review" link and
the user page's "Review application" button lead there); suspend and reinstate stay dialogs on
the user's page. Every decision goes through ``users.onboarding.manufacturers_decide``, which
records it and tells the manufacturer."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminTextareaWidget

from core.admin import Dialog, bulk_action_page, dialog_action, htmx_redirect, report_done_skipped
from core.roles import ManufacturerStatus
from users.errors import AccountError
from users.models import User
from users.onboarding import (
    DECISIONS,
    manufacturer_decide,
    manufacturer_review_url,
    manufacturers_decide,
)

STATUS_BADGES = {
    ManufacturerStatus.ACTIVE.label: "success",
    ManufacturerStatus.PENDING.label: "warning",
    ManufacturerStatus.SUSPENDED.label: "info",
    ManufacturerStatus.REJECTED.label: "danger",
}
NOUN = (_("manufacturer"), _("manufacturers"))


def _reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason") if required else _("Note (optional)"),
        required=required,
        max_length=1000,
        help_text=_("The manufacturer is told, by notification and email."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


class BulkDecisionForm(forms.Form):
    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field(reason_required)


class ReasonDialogForm(BaseDialogForm):
    reason = _reason_field(True)


SUSPEND_DIALOG = Dialog(
    _("Suspend manufacturer"),
    _(
        "Their products leave the storefront at once and their account becomes read-only. "
        "Nothing is deleted; reinstating brings everything back."
    ),
    _("Suspend"),
    ReasonDialogForm,
)
REINSTATE_DIALOG = Dialog(
    _("Reinstate manufacturer"),
    _("Their approved products return to the storefront and they can work again."),
    _("Reinstate"),
)


def manufacturer_decide_with_message(request, user: User, decision: str, reason: str) -> bool:
    """``manufacturer_decide`` by the signed-in staff member, its outcome told as a message
    (the refusal's reason, or "<email> approved."); True if it was made."""
    try:
        manufacturer_decide(user=user, actor=request.user, decision=decision, reason=reason)
    except AccountError as exc:
        messages.error(request, exc.messages[0])
        return False
    messages.success(
        request, _("%(email)s %(verb)s.") % {"email": user.email, "verb": DECISIONS[decision].verb}
    )
    return True


class OnboardingActionsMixin:
    actions = ["approve_selected", "reject_selected", "suspend_selected", "reinstate_selected"]
    actions_detail = ["review_detail", "suspend_detail", "reinstate_detail"]

    def has_onboard_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.is_active and user.is_staff and self.has_change_permission(request, obj)

    def _fits(self, request, obj, decision: str) -> bool:
        """On a user's page (unfold passes the object or its id) only the decisions that fit
        the account's status are offered; the service checks again when one runs."""
        if not self.has_onboard_permission(request):
            return False
        if obj is None:
            return True
        user = obj if isinstance(obj, User) else self.get_queryset(request).filter(pk=obj).first()
        return (
            user is not None
            and user.is_manufacturer
            and user.manufacturer_status in DECISIONS[decision].allowed_from
        )

    def has_onboard_approve_permission(self, request, obj=None) -> bool:
        return self._fits(request, obj, "approve")

    def has_onboard_reject_permission(self, request, obj=None) -> bool:
        return self._fits(request, obj, "reject")

    def has_onboard_suspend_permission(self, request, obj=None) -> bool:
        return self._fits(request, obj, "suspend")

    def has_onboard_reinstate_permission(self, request, obj=None) -> bool:
        return self._fits(request, obj, "reinstate")

    @display(
        description=_("Manufacturer status"), ordering="manufacturer_status", label=STATUS_BADGES
    )
    def manufacturer_status_badge(self, obj: User) -> str:
        return obj.get_manufacturer_status_display() if obj.is_manufacturer else ""

    # -- bulk, from the list: a confirmation page with the reason --

    def _decide_selected(self, request, queryset, decision: str):
        rule = DECISIONS[decision]
        bound = request.POST if "reason" in request.POST else None
        form = BulkDecisionForm(bound, reason_required=rule.needs_reason)
        if form.is_bound and form.is_valid():
            try:
                done, skipped = manufacturers_decide(
                    users=queryset,
                    actor=request.user,
                    decision=decision,
                    reason=form.cleaned_data["reason"],
                )
            except AccountError as exc:
                messages.error(request, exc.messages[0])
                return None
            report_done_skipped(request, done=len(done), skipped=skipped, noun=NOUN, verb=rule.verb)
            return None
        return bulk_action_page(
            self,
            request,
            template="admin/users/user/decide_selected.html",
            title=_("Manufacturer accounts"),
            form=form,
            objects=queryset.select_related("manufacturer_profile"),
            action_name=f"{decision}_selected",
            verb=rule.verb,
        )

    @action(description=_("Approve selected manufacturers…"), permissions=["onboard"])
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "approve")

    @action(description=_("Reject selected applications…"), permissions=["onboard"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "reject")

    @action(description=_("Suspend selected manufacturers…"), permissions=["onboard"])
    def suspend_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "suspend")

    @action(description=_("Reinstate selected manufacturers…"), permissions=["onboard"])
    def reinstate_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "reinstate")

    # -- one account, from its page: a dialog --

    def _decide(self, request, object_id, decision: str, reason: str = ""):
        user = self.get_queryset(request).filter(pk=object_id).first()
        if user is not None:
            manufacturer_decide_with_message(request, user, decision, reason)
        opts = self.model._meta
        return htmx_redirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
        )

    @action(
        description=_("Review application"),
        icon="fact_check",
        url_path="review",
        permissions=["onboard_approve"],
    )
    def review_detail(self, request, object_id):
        return redirect(manufacturer_review_url(int(object_id)))

    @dialog_action(_("Suspend"), "pause_circle", "suspend", "onboard_suspend", SUSPEND_DIALOG)
    def suspend_detail(self, request, form, object_id):
        return self._decide(request, object_id, "suspend", form.cleaned_data["reason"])

    @dialog_action(
        _("Reinstate"), "play_circle", "reinstate", "onboard_reinstate", REINSTATE_DIALOG
    )
    def reinstate_detail(self, request, form, object_id):
        return self._decide(request, object_id, "reinstate")
