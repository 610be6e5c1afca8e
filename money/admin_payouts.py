"""The payouts' admin pages.

- **Payout runs** (staff only): the list, a button that makes a new run, and each run's page:
  the review (every proposed payout with the bank account it goes to) and the Approve / Cancel
  buttons while it awaits approval.
- **Payouts**: staff see every payout and record the bank's reference of a manual one;
  a manufacturer sees their own, read-only.
- **Bank accounts**: staff read every row (the history: current and past accounts, who added
  each and when); a manufacturer reads theirs and changes them through the bank details form
  (bank from Paystack's list, account number, current password).

Approving a run and changing bank details are refused without a second factor when one is
required (``_second_factor_ok``).
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import action, display

from core.admin import (
    Dialog,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    dialog_action,
    htmx_redirect,
    money_display,
)
from core.roles import BackofficeAccess, backoffice_access
from money.errors import MoneyError
from money.forms import BankDetailsForm, ManualPayoutForm
from money.models import (
    BankAccount,
    Payout,
    PayoutMethod,
    PayoutRun,
    PayoutRunStatus,
    PayoutStatus,
)
from money.selectors import (
    bank_accounts_visible_to,
    payout_runs_visible_to,
    payouts_visible_to,
)
from money.services.bank_accounts import bank_account_change, bank_account_current
from money.services.payouts import (
    payout_manual_record,
    payout_run_approve,
    payout_run_cancel,
    payout_run_create,
)
from orders.paystack import paystack_configured
from users.mfa import second_factor_ok

# Approving a payout run or changing bank details moves money: it needs a second factor
# passed within MFA_FRESH_MINUTES.
_second_factor_ok = second_factor_ok


SECOND_FACTOR_REFUSAL = _(
    "Confirm your second factor first: this action moves money. Use “Two-factor sign-in” "
    "(Overview) to turn it on or to type a fresh code, then try again."
)

RUN_BADGES = {
    PayoutRunStatus.DRAFT.label: "warning",
    PayoutRunStatus.APPROVED.label: "success",
    PayoutRunStatus.CANCELLED.label: "danger",
}
PAYOUT_BADGES = {
    PayoutStatus.PROPOSED.label: "warning",
    PayoutStatus.SENDING.label: "info",
    PayoutStatus.PAID.label: "success",
    PayoutStatus.FAILED.label: "danger",
    PayoutStatus.REVERSED.label: "danger",
    PayoutStatus.CANCELLED.label: "",
}


def _manufacturer_name(user) -> str:
    profile = getattr(user, "manufacturer_profile", None)
    return (profile.display_name if profile else "") or user.email


def _account_text(account: BankAccount | None) -> str:
    if account is None:
        return "-"
    name = f" · {account.account_name}" if account.account_name else ""
    return f"{account.bank_name} {account.account_number}{name}"


class _ManufacturerRows:
    """Rows that belong to a manufacturer: staff see whose each row is and search by it; a
    manufacturer, who only ever sees their own, gets neither."""

    @display(description=_("Manufacturer"), ordering="manufacturer__email")
    def manufacturer_display(self, obj) -> str:
        return _manufacturer_name(obj.manufacturer)

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return shown if request.user.is_staff else [f for f in shown if f != "manufacturer_display"]

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        if request.user.is_staff:
            fields += ["manufacturer__email", "manufacturer__manufacturer_profile__display_name"]
        return fields


class _StaffPays:
    """Who may move money here: staff who can see the page."""

    def has_pay_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self.has_view_permission(request)


# --- Payout runs --------------------------------------------------------------------------------


class RunPayoutInline(ReadOnlyAdminMixin, TabularInline):
    model = Payout
    extra = 0
    max_num = 0
    can_delete = False
    hide_title = True  # each row's reference: the columns say what matters
    verbose_name = _("payout")
    verbose_name_plural = _("payouts in this run")
    fields = ["manufacturer_display", "account_display", "amount_display", "status_badge",
              "failure_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "manufacturer__manufacturer_profile", "bank_account"
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # shown only inside the run's page, which is staff's

    @display(description=_("Manufacturer"))
    def manufacturer_display(self, obj: Payout) -> str:
        return _manufacturer_name(obj.manufacturer)

    @display(description=_("Paid into"))
    def account_display(self, obj: Payout) -> str:
        return _account_text(obj.bank_account)

    amount_display = money_display("amount", _("Amount"))

    @display(description=_("Status"), label=PAYOUT_BADGES)
    def status_badge(self, obj: Payout) -> str:
        return obj.get_status_display()


CREATE_RUN_DIALOG = Dialog(
    _("New payout run"),
    _("Every manufacturer whose available balance reaches the minimum and who has a bank "
      "account is proposed a payout of that balance. Nothing is paid until you approve it."),
    _("Make the run"),
)
APPROVE_RUN_DIALOG = Dialog(
    _("Approve and pay"),
    _("Each payout is taken off its manufacturer's balance and sent to their bank account. "
      "A payout whose balance fell since the review is left for the next run."),
    _("Approve and pay"),
)
CANCEL_RUN_DIALOG = Dialog(
    _("Cancel this run"),
    _("Nothing is paid; the balances stay for the next run."),
    _("Cancel the run"),
)


@admin.register(PayoutRun)
class PayoutRunAdmin(_StaffPays, ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    scope_selector = staticmethod(payout_runs_visible_to)
    list_display = ["run_display", "status_badge", "payouts_display", "total_display",
                    "created_at", "created_by", "approved_at", "approved_by"]
    list_display_links = ["run_display"]
    list_filter = [("status", ChoicesDropdownFilter)]
    list_filter_submit = True
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    fields = ["status_badge", "payouts_display", "total_display", "created_at", "created_by",
              "approved_at", "approved_by"]
    readonly_fields = fields
    inlines = [RunPayoutInline]
    actions_list = ["create_run"]
    actions_detail = ["approve_run", "cancel_run"]
    empty_icon = "fact_check"
    empty_title = _("No payout runs yet")
    empty_text = _("Make a run to pay every manufacturer whose available balance reaches the "
                   "minimum.")

    def has_draft_permission(self, request, obj=None) -> bool:
        if not self.has_pay_permission(request):
            return False
        if obj is None:
            return True
        pk = obj.pk if isinstance(obj, PayoutRun) else obj
        return PayoutRun.objects.filter(pk=pk, status=PayoutRunStatus.DRAFT).exists()

    @display(description=_("Run"), ordering="id")
    def run_display(self, obj: PayoutRun) -> str:
        return str(obj)

    @display(description=_("Status"), label=RUN_BADGES)
    def status_badge(self, obj: PayoutRun) -> str:
        return obj.get_status_display()

    @display(description=_("Payouts"))
    def payouts_display(self, obj: PayoutRun) -> int:
        return obj.payout_count

    total_display = money_display("payout_total", _("Total"))

    @action(description=_("New payout run"), icon="add", url_path="create",
            permissions=["pay"], dialog=CREATE_RUN_DIALOG.as_unfold())
    def create_run(self, request, form):
        try:
            run = payout_run_create(actor=request.user)
        except MoneyError as exc:
            messages.error(request, exc.message)
            return htmx_redirect(reverse("admin:money_payoutrun_changelist"))
        messages.success(request, _("Review the run, then approve it to pay."))
        return htmx_redirect(self.change_url(run.pk))

    @dialog_action(_("Approve and pay"), "check_circle", "approve", "draft", APPROVE_RUN_DIALOG)
    def approve_run(self, request, form, object_id):
        run = self.get_scoped_or_403(request, object_id)
        if not _second_factor_ok(request):
            messages.error(request, SECOND_FACTOR_REFUSAL)
            return htmx_redirect(self.change_url(object_id))
        try:
            payout_run_approve(run=run, actor=request.user)
        except MoneyError as exc:
            messages.error(request, exc.message)
        else:
            self._report_approval(request, run)
        return htmx_redirect(self.change_url(object_id))

    @dialog_action(_("Cancel run"), "block", "cancel", "draft", CANCEL_RUN_DIALOG)
    def cancel_run(self, request, form, object_id):
        run = self.get_scoped_or_403(request, object_id)
        try:
            payout_run_cancel(run=run, actor=request.user)
        except MoneyError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The run is cancelled: nothing was paid."))
        return htmx_redirect(self.change_url(object_id))

    def _report_approval(self, request, run: PayoutRun) -> None:
        statuses = list(run.payouts.values_list("status", "failure_reason"))
        sent = sum(1 for status, _reason in statuses if status == PayoutStatus.SENDING)
        messages.success(
            request,
            ngettext("%(n)d payout approved and on its way.",
                     "%(n)d payouts approved and on their way.", sent) % {"n": sent},
        )
        for status, reason in statuses:
            if status == PayoutStatus.CANCELLED:
                messages.warning(request, reason)


# --- Payouts ------------------------------------------------------------------------------------


RECORD_DIALOG = Dialog(
    _("Record the bank transfer"),
    _("You sent this payout from the marketplace's bank account yourself: give the bank's "
      "reference and the payout is marked paid (the manufacturer is told)."),
    _("Mark paid"),
    ManualPayoutForm,
)


@admin.register(Payout)
class PayoutAdmin(_ManufacturerRows, _StaffPays, ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    scope_selector = staticmethod(payouts_visible_to)
    list_display = ["reference", "manufacturer_display", "amount_display", "status_badge",
                    "method", "account_display", "created_at", "settled_at"]
    list_filter = [("status", ChoicesDropdownFilter), ("method", ChoicesDropdownFilter)]
    list_filter_submit = True
    search_fields = ["reference", "bank_reference", "transfer_code"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["reference", "manufacturer_display", "amount_display", "status_badge", "method",
              "account_display", "run", "transfer_code", "bank_reference", "failure_reason",
              "created_at", "sent_at", "settled_at"]
    readonly_fields = fields
    actions_detail = ["record_manual"]
    empty_icon = "account_balance"
    empty_title = _("No payouts yet")
    empty_text = _("Payouts appear here once staff approve a payout run.")

    def get_fields(self, request, obj=None):
        # The run is staff's page: a manufacturer is not shown a link they cannot open.
        fields = list(super().get_fields(request, obj))
        return fields if request.user.is_staff else [f for f in fields if f != "run"]

    def has_record_permission(self, request, obj=None) -> bool:
        if not self.has_pay_permission(request):
            return False
        if obj is None:
            return True
        pk = obj.pk if isinstance(obj, Payout) else obj
        return Payout.objects.filter(
            pk=pk, method=PayoutMethod.MANUAL, status=PayoutStatus.SENDING
        ).exists()

    amount_display = money_display("amount", _("Amount"))

    @display(description=_("Paid into"))
    def account_display(self, obj: Payout) -> str:
        return _account_text(obj.bank_account)

    @display(description=_("Status"), label=PAYOUT_BADGES)
    def status_badge(self, obj: Payout) -> str:
        return obj.get_status_display()

    @dialog_action(_("Record bank transfer"), "task_alt", "record", "record", RECORD_DIALOG)
    def record_manual(self, request, form, object_id):
        payout = self.get_scoped_or_403(request, object_id)
        try:
            payout_manual_record(
                payout=payout,
                bank_reference=form.cleaned_data["bank_reference"],
                actor=request.user,
            )
        except MoneyError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The payout is recorded as paid."))
        return htmx_redirect(self.change_url(object_id))


# --- Bank accounts ------------------------------------------------------------------------------


@admin.register(BankAccount)
class BankAccountAdmin(_ManufacturerRows, ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    scope_selector = staticmethod(bank_accounts_visible_to)
    list_display = ["manufacturer_display", "bank_name", "account_number", "account_name",
                    "is_current", "created_at", "created_by"]
    list_filter = ["is_current"]
    search_fields = ["account_number", "account_name"]
    ordering = ["manufacturer_id", "-created_at", "-id"]
    list_per_page = 50
    fields = ["manufacturer_display", "bank_name", "bank_code", "account_number", "account_name",
              "is_current", "recipient_code", "created_at", "created_by"]
    readonly_fields = fields
    actions_list = ["bank_details"]
    empty_icon = "account_balance_wallet"
    empty_title = _("No bank account yet")
    empty_text = _("Manufacturers give the account their payouts go to; every change is kept "
                   "here.")

    def has_bank_details_permission(self, request, obj=None) -> bool:
        """A manufacturer changes their own bank details (staff only read them)."""
        user = request.user
        return (
            user.is_manufacturer
            and not user.is_staff
            and backoffice_access(user) == BackofficeAccess.FULL
        )

    @action(description=_("Change bank details"), icon="edit", url_path="bank-details",
            permissions=["bank_details"])
    def bank_details(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        current = bank_account_current(manufacturer=user)
        form = BankDetailsForm(request.POST or None, needs_password=current is not None,
                               initial={"bank_code": current.bank_code if current else ""})
        if request.method == "POST" and form.is_valid():
            if not _second_factor_ok(request):
                form.add_error(None, SECOND_FACTOR_REFUSAL)
            else:
                try:
                    bank_account_change(
                        manufacturer=user,
                        bank_code=form.cleaned_data["bank_code"],
                        account_number=form.cleaned_data["account_number"],
                        password=form.cleaned_data.get("password"),
                        actor=user,
                    )
                except MoneyError as exc:
                    field = exc.field if exc.field in form.fields else None
                    form.add_error(field, exc.message)
                else:
                    messages.success(request, _("Your bank details are saved: your next "
                                                "payouts go to this account."))
                    return redirect("admin:money_bankaccount_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Your bank details"),
            "opts": self.model._meta,
            "form": form,
            "current": current,
            "resolves": paystack_configured(),
        }
        status = 400 if form.is_bound and form.errors else 200
        return TemplateResponse(request, "admin/money/bank_details.html", context, status=status)
