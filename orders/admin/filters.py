"""Filters of the order lines list."""

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
