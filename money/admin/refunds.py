"""The refunds' admin pages.

- **Refunds**: staff see every refund; a manufacturer the refunds of orders with a line of
  theirs, read-only, and in each only their own lines. A refund's page shows its lines (units,
  what they cost the buyer, the commission returned, units back in stock); staff record a
  pending manual refund as paid back (its bank reference).
- **Refund an order** (``refund/new/<order id>/``, staff only; the order page's "Refund" button,
  added to the order admin through ``orders.admin.extensions`` in ``MoneyConfig.ready``, leads
  here): the order's lines with the units left to refund, optionally its shipping, the
  reason; "Preview" shows what the refund gives back, the commission it returns to the
  manufacturer and whether their ledger moves now; "Refund" makes it (only as previewed: values
  changed after the preview are previewed again). Every write goes through
  ``money.services.refunds``.

Making a refund moves money: it is refused without a second factor when one is required
(``_second_factor_ok``).
"""

import hashlib
import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
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
from core.money import money_format
from money.errors import RefundError
from money.forms import RefundForm, RefundRecordForm
from money.models import Refund, RefundLine, RefundMethod, RefundStatus
from money.selectors import refunds_visible_to
from money.services.refund_plan import order_paid
from money.services.refunds import (
    RefundLineRequest,
    refund_create,
    refund_method_for,
    refund_plan,
    refund_settle,
    refundable_of,
)
from orders.models import Order
from users.mfa import second_factor_ok

# A refund moves money: it needs a second factor passed within MFA_FRESH_MINUTES.
_second_factor_ok = second_factor_ok

SECOND_FACTOR_REFUSAL = _(
    "Confirm your second factor first: a refund moves money. Use “Two-factor sign-in” "
    "(Overview) to type a fresh code, then try again."
)

REFUND_BADGES = {
    RefundStatus.PENDING.label: "warning",
    RefundStatus.PROCESSED.label: "success",
    RefundStatus.FAILED.label: "danger",
}


class RefundLineInline(ReadOnlyAdminMixin, TabularInline):
    model = RefundLine
    hide_title = True  # the row is the line; no "RefundLine object" heading above it
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = _("refunded line")
    verbose_name_plural = _("refunded lines")
    fields = ["item_display", "quantity", "amount_display", "commission_display", "restocked"]
    readonly_fields = fields

    def get_queryset(self, request):
        lines = super().get_queryset(request).select_related("order_item")
        if not request.user.is_staff:  # a manufacturer: their own lines only
            lines = lines.filter(order_item__manufacturer_id=request.user.pk)
        return lines

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # shown only inside the refund's page, which its admin has scoped

    @display(description=_("Line"))
    def item_display(self, obj: RefundLine) -> str:
        return obj.order_item.item_label

    amount_display = money_display("amount", _("Refunded"))
    commission_display = money_display("commission", _("Commission returned"))


RECORD_DIALOG = Dialog(
    _("Record the refund as paid back"),
    _("You paid the buyer back yourself (a bank transfer): give its reference and the refund "
      "is marked processed."),
    _("Mark processed"),
    RefundRecordForm,
)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    scope_selector = staticmethod(refunds_visible_to)
    list_display = ["reference", "order_display", "amount_display", "status_badge", "source",
                    "method", "created_at", "created_by"]
    list_display_links = ["reference"]
    list_filter = [("status", ChoicesDropdownFilter), ("source", ChoicesDropdownFilter),
                   ("method", ChoicesDropdownFilter)]
    list_filter_submit = True
    search_fields = ["reference", "order__number", "paystack_refund_id", "bank_reference"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["reference", "order_display", "amount_display", "shipping_display", "status_badge",
              "source", "method", "reason", "paystack_refund_id", "bank_reference",
              "failure_reason", "created_at", "created_by", "settled_at"]
    readonly_fields = fields
    inlines = [RefundLineInline]
    actions_detail = ["record_manual"]
    empty_icon = "currency_exchange"
    empty_title = _("No refunds yet")
    empty_text = _("Refunds appear here: cancelled paid orders, and the ones staff make from an "
                   "order's page.")

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return shown if request.user.is_staff else [f for f in shown if f != "created_by"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if request.user.is_staff else [f for f in fields if f != "created_by"]

    @display(description=_("Order"), ordering="order__number")
    def order_display(self, obj: Refund) -> str:
        return obj.order.number

    amount_display = money_display("amount", _("Amount"))
    shipping_display = money_display("shipping_amount", _("Of which shipping"))

    @display(description=_("Status"), label=REFUND_BADGES)
    def status_badge(self, obj: Refund) -> str:
        return obj.get_status_display()

    # -- recording a manual refund ---------------------------------------------------------

    def has_record_permission(self, request, obj=None) -> bool:
        if not (request.user.is_staff and self.has_view_permission(request)):
            return False
        if obj is None:
            return True
        pk = obj.pk if isinstance(obj, Refund) else obj
        return Refund.objects.filter(
            pk=pk, method=RefundMethod.MANUAL, status=RefundStatus.PENDING
        ).exists()

    @dialog_action(_("Record as paid back"), "task_alt", "record", "record", RECORD_DIALOG)
    def record_manual(self, request, form, object_id):
        refund = self.get_scoped_or_403(request, object_id)
        if not _second_factor_ok(request):
            messages.error(request, SECOND_FACTOR_REFUSAL)
            return htmx_redirect(self.change_url(object_id))
        try:
            refund_settle(refund=refund, bank_reference=form.cleaned_data["bank_reference"],
                          actor=request.user)
        except RefundError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The refund is recorded as paid back."))
        return htmx_redirect(self.change_url(object_id))

    # -- refunding an order ----------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "new/<int:order_id>/",
                self.admin_site.admin_view(self.refund_order_view),
                name="money_refund_new",
            ),
            *super().get_urls(),
        ]

    def refund_order_view(self, request: HttpRequest, order_id: int) -> HttpResponse:
        """Staff refund an order: the form, its preview, then the refund."""
        if not request.user.is_staff:
            raise PermissionDenied
        order = get_object_or_404(
            Order.objects.select_related("checkout", "buyer").prefetch_related("items"),
            pk=order_id,
        )
        left = refundable_of(order=order)
        items = list(order.items.all())
        manual = refund_method_for(order) == RefundMethod.MANUAL
        form = RefundForm(
            request.POST or None,
            lines=[(item, left.units[item.pk]) for item in items],
            shipping_left=left.shipping,
            any_shipped=any(item.shipped_at for item in items),
            manual=manual,
        )
        plan = error = None
        if request.method == "POST" and form.is_valid():
            requests = [RefundLineRequest(pk, units) for pk, units in form.line_requests()]
            options = {
                "shipping": form.cleaned_data.get("shipping", False),
                "returned_to_stock": form.cleaned_data.get("returned_to_stock", False),
            }
            fingerprint = _fingerprint(form.cleaned_data)
            try:
                plan = refund_plan(order=order, lines=requests, **options)
                if "confirm" in request.POST and request.POST.get("previewed") == fingerprint:
                    if not _second_factor_ok(request):
                        raise PermissionDenied(SECOND_FACTOR_REFUSAL)
                    refund = refund_create(
                        order=order,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        lines=requests,
                        bank_reference=form.cleaned_data.get("bank_reference", ""),
                        **options,
                    )
                    messages.success(
                        request,
                        _("Refund %(reference)s of %(amount)s made.")
                        % {"reference": refund.reference, "amount": money_format(refund.amount)},
                    )
                    return redirect("admin:money_refund_change", refund.pk)
            except RefundError as exc:
                plan, error = None, exc.message
            except PermissionDenied as exc:
                plan, error = None, str(exc)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund order %(number)s") % {"number": order.number},
            "opts": self.model._meta,
            "order": order,
            "form": form,
            "left": left,
            "plan": plan,
            "preview": _preview(plan) if plan else None,
            "paid_display": money_format(order.total),
            "left_display": money_format(left.amount),
            "error": error,
            "manual": manual,
            "previewed": _fingerprint(form.cleaned_data) if plan else "",
            "order_url": reverse("admin:orders_order_change", args=[order.pk]),
        }
        status = 400 if (form.is_bound and form.errors) or error else 200
        return TemplateResponse(request, "admin/money/refund_new.html", context, status=status)


def _preview(plan) -> dict:
    """The plan's figures as the page shows them (with the currency)."""
    rows = [
        (line.item.item_label, line.quantity, money_format(line.amount),
         money_format(line.commission), line.restock)
        for line in plan.lines
    ]
    if plan.shipping:
        rows.append((_("Shipping"), "", money_format(plan.shipping), money_format(0), ""))
    return {
        "rows": rows,
        "amount": money_format(plan.amount),
        "commission": money_format(plan.commission),
    }


# --- The order page's "Refund" (registered into the order admin by MoneyConfig.ready) -------


def has_refund_permission(model_admin, request, obj=None) -> bool:
    """Staff, on the page of a paid order (online, or its cash collected)."""
    if not (request.user.is_staff and model_admin.has_view_permission(request, obj)):
        return False
    if obj is None:
        return True
    pk = obj.pk if isinstance(obj, Order) else obj
    order = model_admin.get_queryset(request).filter(pk=pk).first()
    return order is not None and order_paid(order)


@action(description=_("Refund"), icon="currency_exchange", url_path="refund",
        permissions=["refund"])
def refund(model_admin, request, object_id):
    return redirect("admin:money_refund_new", object_id)


def _fingerprint(cleaned: dict) -> str:
    """The values previewed: "Refund" makes the refund only when they are still these."""
    data = json.dumps({k: str(v) for k, v in sorted(cleaned.items())})
    return hashlib.sha256(data.encode()).hexdigest()[:32]
