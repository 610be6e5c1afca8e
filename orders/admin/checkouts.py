"""Checkouts (staff only, read-only): a storefront purchase, its payment state and the orders
it placed, one per manufacturer. A checkout spans several manufacturers' orders, so
manufacturers never see it: each sees only their own order on the orders list."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter
from unfold.decorators import display

from core.admin import money_display
from core.money import money_format
from orders.admin.common import BuyerColumnMixin, ReadOnlyScopedAdmin
from orders.models import Checkout, CheckoutPaymentStatus
from orders.selectors import checkouts_visible_to

PAYMENT_BADGES = {
    CheckoutPaymentStatus.AWAITING.label: "warning",
    CheckoutPaymentStatus.PAID.label: "success",
    CheckoutPaymentStatus.ON_DELIVERY.label: "info",
    CheckoutPaymentStatus.EXPIRED.label: "danger",
    CheckoutPaymentStatus.REFUND_DUE.label: "danger",
}


@admin.register(Checkout)
class CheckoutAdmin(BuyerColumnMixin, ReadOnlyScopedAdmin):
    scope_selector = staticmethod(checkouts_visible_to)
    list_display = [
        "checkout_display",
        "buyer_display",
        "payment_method",
        "payment_badge",
        "total_display",
        "orders_display",
        "created_at",
        "expires_at",
        "paid_at",
    ]
    list_display_links = ["checkout_display"]
    list_filter = [
        ("payment_status", ChoicesDropdownFilter),
        ("payment_method", ChoicesDropdownFilter),
        ("created_at", RangeDateFilter),
    ]
    list_filter_submit = True
    search_fields = ["paystack_reference", "buyer__email", "orders__number"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    fieldsets = [
        (
            _("Payment"),
            {
                "fields": [
                    "buyer",
                    "payment_method",
                    "payment_badge",
                    "paystack_reference",
                    "paystack_url",
                    "created_at",
                    "expires_at",
                    "expiry_reason",
                    "paid_at",
                    "mismatches_display",
                ]
            },
        ),
        (
            _("Amounts"),
            {"fields": ["subtotal_money", "discount_money", "shipping_money", "total_money"]},
        ),
        (_("Orders"), {"fields": ["orders_display"]}),
        (
            _("Ship to"),
            {
                "fields": [
                    "shipping_method_name",
                    "shipping_name",
                    "shipping_phone",
                    "shipping_address",
                    "shipping_city",
                    "shipping_state",
                    "shipping_country",
                    "shipping_postal_code",
                ]
            },
        ),
    ]
    readonly_fields = [
        "payment_badge", "orders_display", "mismatches_display",
        "subtotal_money", "discount_money", "shipping_money", "total_money",
    ]
    subtotal_money = money_display("subtotal", _("Subtotal"))
    discount_money = money_display("discount_total", _("Discount"))
    shipping_money = money_display("shipping_cost", _("Shipping"))
    total_money = money_display("total_amount", _("Total"))

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request) and super().has_view_permission(request, obj)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("buyer").prefetch_related("orders")
        )

    @display(description=_("Checkout"), ordering="pk")
    def checkout_display(self, obj: Checkout) -> str:
        return f"#{obj.pk}"

    @display(description=_("Payment status"), ordering="payment_status", label=PAYMENT_BADGES)
    def payment_badge(self, obj: Checkout) -> str:
        return obj.get_payment_status_display()

    @display(description=_("Total"), ordering="total_amount")
    def total_display(self, obj: Checkout) -> str:
        return money_format(obj.total_amount)

    @display(description=_("Orders"))
    def orders_display(self, obj: Checkout):
        orders = sorted(obj.orders.all(), key=lambda order: order.pk)
        return format_html_join(
            ", ",
            '<a class="martaf-link" href="{}">{}</a>',
            ((reverse("admin:orders_order_change", args=[o.pk]), o.number) for o in orders),
        ) or format_html("-")

    @display(description=_("Payments not recorded"))
    def mismatches_display(self, obj: Checkout):
        mismatches = list(obj.payment_mismatches.all())  # the checkout's page only
        if not mismatches:
            return "-"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 (a constant)
            '<a class="martaf-link" href="{}">{}</a>: {}',
            (
                (
                    reverse("admin:orders_paymentmismatch_change", args=[m.pk]),
                    m.created_at.strftime("%Y-%m-%d %H:%M"),
                    m.get_reason_display(),
                )
                for m in mismatches
            ),
        )
