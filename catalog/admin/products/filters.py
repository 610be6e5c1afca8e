"""Changelist filters of the product admin."""

from django.db.models import Exists, OuterRef
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import DropdownFilter, RelatedDropdownFilter
from unfold.contrib.filters.forms import DropdownForm
from unfold.widgets import UnfoldAdminSelectWidget

from catalog.models import Category, Variation
from catalog.selectors import category_labels
from users.models import User


class OptionsInPythonSelect(UnfoldAdminSelectWidget):
    """unfold's select with its options written in Python (``format_html_join``): Django
    renders each option through two template includes, 12 ms for the category filter's 275
    options on every changelist page. The same HTML."""

    template_name = "admin/catalog/product/filter_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = format_html_join(
            "",
            '\n            <option value="{}"{}>{}</option>\n',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "",
                 option["label"])
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
            ),
        )
        return context


class OptionsInPythonForm(DropdownForm):
    widget = OptionsInPythonSelect(
        attrs={
            "data-theme": "admin-autocomplete",
            "class": "unfold-admin-autocomplete admin-autocomplete",
        }
    )


class CategorySubtreeFilter(DropdownFilter):
    title = _("category")
    parameter_name = "category"
    form_class = OptionsInPythonForm

    def lookups(self, request, model_admin):
        return sorted(category_labels().items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = Category.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(
            category_id__in=Category.objects.filter(path__startswith=path).values("pk")
        )


class StockLevelFilter(DropdownFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("low", _("Low stock")), ("out", _("Out of stock")), ("ok", _("In stock"))]

    def queryset(self, request, queryset):
        # EXISTS over the product's own low variations (the partial index catalog_var_low_stock
        # holds only those): a page of products newest first is then read in index order,
        # probing each product, and stops at 50 (0.3 ms), where ``pk IN (low variations)`` made
        # SQLite sort all 38k low products for every page (90 ms at 100k). ``queryset`` is
        # already the user's products, and a variation belongs to its product's manufacturer.
        low = Exists(
            Variation.objects.filter(product=OuterRef("pk")).low_stock()
        )
        match self.value():
            case "low":
                return queryset.filter(low)
            case "out":
                return queryset.filter(inventory=0)
            case "ok":
                return queryset.filter(~low)
        return queryset


class ManufacturerFilter(RelatedDropdownFilter):
    def field_choices(self, field, request, model_admin):
        return list(
            User.objects.filter(is_manufacturer=True)
            .order_by("manufacturer_profile__display_name")
            .values_list("pk", "manufacturer_profile__display_name")
        )
