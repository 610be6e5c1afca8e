"""Payment mismatches (staff only, read-only): payments Paystack reported that were not recorded
because they do not match a checkout (another amount or currency, an unknown reference).
Nothing changed when they came in; staff check them at Paystack and refund them there."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter
from unfold.decorators import display

from core.admin import ReadOnlyAdminMixin
from orders.models import PaymentMismatch


@admin.register(PaymentMismatch)
class PaymentMismatchAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = [
        "created_at",
        "reference",
        "checkout_link",
        "reason_badge",
        "paid_display",
        "due_display",
        "source",
    ]
    list_filter = [("reason", ChoicesDropdownFilter), ("created_at", RangeDateFilter)]
    list_filter_submit = True
    search_fields = ["reference", "checkout__buyer__email"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "created_at", "reference", "checkout_link", "reason_badge", "source",
        "paid_display", "due_display",
    ]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("checkout")

    @display(description=_("Checkout"), ordering="checkout")
    def checkout_link(self, obj: PaymentMismatch):
        if obj.checkout_id is None:
            return "-"
        url = reverse("admin:orders_checkout_change", args=[obj.checkout_id])
        return format_html('<a class="martaf-link" href="{}">#{}</a>', url, obj.checkout_id)

    @display(description=_("Reason"), ordering="reason", label=True)
    def reason_badge(self, obj: PaymentMismatch) -> str:
        return obj.get_reason_display()

    @display(description=_("Paid"))
    def paid_display(self, obj: PaymentMismatch) -> str:
        return _subunits(obj.amount_kobo, obj.currency)

    @display(description=_("Due"))
    def due_display(self, obj: PaymentMismatch) -> str:
        if obj.expected_kobo is None:
            return "-"
        return _subunits(obj.expected_kobo, obj.expected_currency)


def _subunits(amount: int, currency: str) -> str:
    """1234550 NGN -> "NGN 12,345.50" (Paystack counts in the currency's subunit)."""
    return f"{currency or '?'} {amount / 100:,.2f}"
