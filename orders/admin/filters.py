"""Filters of the orders and order lines lists."""

from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import DropdownFilter


class ShippedFilter(DropdownFilter):
    title = _("shipped")
    parameter_name = "shipped"

    def lookups(self, request, model_admin):
        return [("no", _("Not shipped")), ("yes", _("Shipped"))]

    def queryset(self, request, queryset):
        match self.value():
            case "no":
                return queryset.filter(shipped_at__isnull=True)
            case "yes":
                return queryset.filter(shipped_at__isnull=False)
        return queryset


class RefundDueFilter(DropdownFilter):
    """Cancelled orders whose checkout was paid online and whose refund has not reached the
    buyer yet (``refund_due`` goes to 0 when it is processed)."""

    title = _("refund")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [("due", _("Refund due"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(refund_due_at__isnull=False, refund_due__gt=0)
        return queryset
