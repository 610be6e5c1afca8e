"""The Earnings page: a manufacturer's money in the backoffice.

Above the list, the balance (available, pending with the dates it releases, owed to the
marketplace, paid out); below, the ledger's entries with filters (kind, pending or available,
dates; staff also pick the manufacturer), a CSV export of what the filters show (cells made
safe to open in a spreadsheet) and the monthly statement as PDF. A manufacturer only ever sees
their own entries (``ledger_entries_visible_to`` in every queryset, the export and the
statement); staff see everyone's, and the balance of the manufacturer they pick (without one,
the marketplace's totals). The ledger is append-only: nothing is added, changed or deleted here.
"""

import csv
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter, DropdownFilter, RangeDateFilter
from unfold.decorators import action, display
from unfold.widgets import SELECT_CLASSES

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from core.money import money_format, money_header
from core.roles import BackofficeRole, backoffice_role
from core.spreadsheet import spreadsheet_cell
from money.models import EntryKind, LedgerEntry
from money.selectors import (
    Balance,
    balance_of,
    balances_of,
    ledger_entries_visible_to,
    pending_releases,
)
from money.statements import statement_filename, statement_of, statement_pdf
from users.models import User

KIND_BADGES = {
    EntryKind.EARNING.label: "success",
    EntryKind.COMMISSION.label: "info",
    EntryKind.CASH_COMMISSION.label: "warning",
    EntryKind.REFUND.label: "danger",
    EntryKind.COMMISSION_REFUND.label: "info",
    EntryKind.PAYOUT.label: "primary",
    EntryKind.PAYOUT_RETURN.label: "warning",
}
MANUFACTURER_PARAM = "manufacturer"
STATEMENT_MONTHS = 24  # how far back the statement form offers months


class StateFilter(DropdownFilter):
    title = _("available")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("available", _("Available"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "pending":
                return queryset.filter(available_on__gt=today)
            case "available":
                return queryset.exclude(available_on__gt=today)
        return queryset


def manufacturers_to_pick():
    """The manufacturer accounts staff can pick, by email."""
    return User.objects.filter(is_manufacturer=True).order_by("email")


class ManufacturerFilter(DropdownFilter):
    """Staff pick whose earnings to read; the balance above the list follows."""

    title = _("manufacturer")
    parameter_name = MANUFACTURER_PARAM

    def lookups(self, request, model_admin):
        return [
            (str(pk), email)
            for pk, email in manufacturers_to_pick().values_list("pk", "email")
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(manufacturer_id=self.value())
        return queryset


def _months(today: date, count: int) -> list[tuple[str, str]]:
    months, year, month = [], today.year, today.month
    for _index in range(count):
        first = date(year, month, 1)
        months.append((first.strftime("%Y-%m"), first.strftime("%B %Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class StatementForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))
    manufacturer = forms.TypedChoiceField(label=_("Manufacturer"), coerce=int, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _months(timezone.localdate(), STATEMENT_MONTHS)
        if user.is_staff:
            self.fields["manufacturer"].required = True
            self.fields["manufacturer"].choices = [
                ("", "---------"),
                *manufacturers_to_pick().values_list("pk", "email"),
            ]
        else:
            del self.fields["manufacturer"]
        for field in self.fields.values():
            field.widget.attrs["class"] = " ".join(SELECT_CLASSES)

    def month_date(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)


@admin.register(LedgerEntry)
class EarningsAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, ModelAdmin):
    empty_icon = "account_balance_wallet"
    empty_title = _("No earnings yet")
    empty_text = _(
        "A delivered order paid online adds its sale and the marketplace's commission here; "
        "cash collected on delivery adds the commission owed."
    )
    scope_selector = staticmethod(ledger_entries_visible_to)
    list_before_template = "admin/money/earnings_summary.html"
    list_filter_submit = True
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    search_fields = ["order__number", "note"]
    actions_list = ["export_csv", "statement"]
    list_display_links = None

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request).select_related("order", "payout")
        return queryset.select_related("manufacturer") if request.user.is_staff else queryset

    def get_list_display(self, request):
        columns = ["when", "kind_badge", "order_link", "amount_display", "available", "note"]
        if request.user.is_staff:
            columns.insert(1, "manufacturer")
        return columns

    def get_list_filter(self, request):
        filters = [("kind", ChoicesDropdownFilter), StateFilter, ("created_at", RangeDateFilter)]
        return [ManufacturerFilter, *filters] if request.user.is_staff else filters

    def get_search_fields(self, request):
        return ["order__number", "note", "manufacturer__email"] if request.user.is_staff else [
            "order__number", "note"
        ]

    def has_module_permission(self, request) -> bool:
        return backoffice_role(request.user) is not None and super().has_module_permission(
            request
        )

    # -- the balance above the list --

    def _summary(self, request: HttpRequest) -> dict:
        user = request.user
        today = timezone.localdate()
        manufacturer_id = None
        if backoffice_role(user) == BackofficeRole.MANUFACTURER:
            manufacturer_id = user.pk
        elif (raw := request.GET.get(MANUFACTURER_PARAM, "")).isdigit():
            manufacturer_id = int(raw)
        if manufacturer_id is not None:
            balance = balance_of(manufacturer=manufacturer_id, today=today)
            releases = pending_releases(manufacturer=manufacturer_id, today=today)
            scope = None
        else:  # staff without a pick: the marketplace's totals
            balance = _total(balances_of(manufacturer_ids=_all_ids(), today=today).values())
            releases = []
            scope = _("All manufacturers")
        return {
            "cards": _cards(balance, releases, own=manufacturer_id == user.pk),
            "releases": [(r.available_on, money_format(r.amount)) for r in releases[:6]],
            "more_releases": max(len(releases) - 6, 0),
            "scope": scope,
            "today": today,
        }

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra = {"earnings": self._summary(request), "title": _("Earnings")}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # -- columns --

    @display(description=_("When"), ordering="created_at")
    def when(self, obj: LedgerEntry):
        return format_html('<span class="martaf-nowrap">{}</span>',
                           timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M"))

    @display(description=_("Kind"), ordering="kind", label=KIND_BADGES)
    def kind_badge(self, obj: LedgerEntry) -> str:
        return obj.get_kind_display()

    @display(description=_("Order"), ordering="order__number")
    def order_link(self, obj: LedgerEntry):
        if obj.order_id is None:
            return obj.payout.reference if obj.payout_id else "-"
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a class="martaf-link martaf-nowrap" href="{}">{}</a>', url,
                           obj.order.number)

    @display(description=_("Amount"), ordering="amount")
    def amount_display(self, obj: LedgerEntry):
        tone = "martaf-amount--out" if obj.amount < 0 else "martaf-amount--in"
        return format_html('<span class="martaf-amount {}">{}</span>', tone,
                           money_format(obj.amount))

    @display(description=_("Available"), ordering="available_on",
             label={"pending": "warning", "available": "success"})
    def available(self, obj: LedgerEntry):
        if obj.available_on and obj.available_on > timezone.localdate():
            return "pending", _("Pending until %(date)s") % {"date": obj.available_on.isoformat()}
        return "available", (obj.available_on.isoformat() if obj.available_on else _("At once"))

    # -- export and statement --

    @action(description=_("Export CSV"), icon="download", url_path="export-csv",
            permissions=["view"])
    def export_csv(self, request: HttpRequest):
        """The entries the list's filters show, every page, as CSV."""
        queryset = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="earnings-{stamp}.csv"'
        writer = csv.writer(response)
        staff = request.user.is_staff
        writer.writerow([
            "date", *(["manufacturer"] if staff else []), "kind", "order",
            money_header("amount"), "available_on", "note",
        ])
        for entry in queryset.iterator(chunk_size=2000):
            writer.writerow([spreadsheet_cell(value) for value in [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                *([entry.manufacturer.email] if staff else []),
                entry.get_kind_display(),
                entry.order.number if entry.order_id else "",
                entry.amount,
                entry.available_on.isoformat() if entry.available_on else "",
                entry.note,
            ]])
        return response

    @action(description=_("Monthly statement (PDF)"), icon="picture_as_pdf",
            url_path="statement", permissions=["view"])
    def statement(self, request: HttpRequest):
        form = StatementForm(request.GET or None, user=request.user)
        if form.is_bound and form.is_valid():
            if request.user.is_staff:
                manufacturer = User.objects.filter(
                    pk=form.cleaned_data["manufacturer"], is_manufacturer=True
                ).first()
                if manufacturer is None:
                    raise PermissionDenied
            else:
                manufacturer = request.user
            statement = statement_of(manufacturer=manufacturer, month=form.month_date())
            response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
            disposition = "attachment" if request.GET.get("download") else "inline"
            response["Content-Disposition"] = (
                f'{disposition}; filename="{statement_filename(statement)}"'
            )
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Monthly statement"),
            "opts": self.model._meta,
            "form": form,
            "back": reverse("admin:money_ledgerentry_changelist"),
        }
        return TemplateResponse(request, "admin/money/statement_form.html", context)



def _all_ids() -> list[int]:
    return list(
        LedgerEntry.objects.order_by().values_list("manufacturer_id", flat=True).distinct()
    )


def _total(balances) -> Balance:
    balances, zero = list(balances), Decimal("0.00")
    return Balance(
        available=sum((b.available for b in balances), zero),
        pending=sum((b.pending for b in balances), zero),
        owed=sum((b.owed for b in balances), zero),
        paid_out=sum((b.paid_out for b in balances), zero),
    )


def _cards(balance: Balance, releases, *, own: bool) -> list[dict]:
    next_release = releases[0] if releases else None
    return [
        {
            "title": _("Available"),
            "value": money_format(balance.available),
            "icon": "account_balance_wallet",
            "hint": _("Ready for the next payout"),
        },
        {
            "title": _("Pending"),
            "value": money_format(balance.pending),
            "icon": "hourglass_top",
            "hint": (
                _("Next: %(amount)s on %(date)s")
                % {"amount": money_format(next_release.amount),
                   "date": next_release.available_on.isoformat()}
                if next_release
                else _("Sales wait a few days after delivery")
            ),
        },
        {
            "title": _("Owed"),
            "value": money_format(balance.owed),
            "icon": "request_quote",
            "hint": _("To the marketplace: commission on cash collected, netted by payouts"),
            "alert": balance.owed > 0,
        },
        {
            "title": _("Paid out"),
            "value": money_format(balance.paid_out),
            "icon": "payments",
            "hint": _("Sent to your bank account") if own else _("Sent to the bank account"),
        },
    ]
