"""Read-only lists of variations and of the stock ledger (stock moves on the product page)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter
from unfold.decorators import display

from catalog.models import StockMovement, Variation
from catalog.selectors import stock_movements_visible_to, variations_visible_to
from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin


@admin.register(Variation)
class VariationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    empty_icon = "style"
    empty_title = _("No variations yet")
    empty_text = _("Sizes, colours and their stock are added on each product's page.")
    scope_selector = staticmethod(variations_visible_to)
    list_display = ["product_link", "size", "color", "sku", "stock_badge", "low_stock_threshold"]
    list_select_related = ["product"]
    search_fields = ["sku", "product__name"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["product__name", "size", "color"]

    @display(description=_("Product"), ordering="product__name")
    def product_link(self, obj: Variation):
        url = reverse("admin:catalog_product_change", args=[obj.product_id])
        return format_html('<a class="martaf-link" href="{}">{}</a>', url, obj.product.name)

    @display(description=_("Stock"), ordering="stock", label={"out": "danger", "low": "warning", "ok": "success"})
    def stock_badge(self, obj: Variation):
        if obj.stock == 0:
            return "out", "0"
        return ("low" if obj.is_low_stock else "ok"), str(obj.stock)


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    empty_icon = "swap_vert"
    empty_title = _("No stock movements yet")
    empty_text = _(
        "Every change of stock (a sale, a cancellation, an import, an adjustment) is recorded "
        "here with its reason."
    )
    scope_selector = staticmethod(stock_movements_visible_to)
    list_display = ["created_at", "label", "delta_display", "stock_after", "reason", "actor", "note"]
    list_select_related = ["actor"]
    list_filter = [("reason", ChoicesDropdownFilter), ("created_at", RangeDateFilter)]
    list_filter_submit = True
    search_fields = ["label", "note"]
    list_per_page = 100
    show_full_result_count = False
    ordering = ["-created_at", "-id"]

    @display(description=_("Change"), ordering="delta", label={"in": "success", "out": "danger"})
    def delta_display(self, obj: StockMovement):
        return ("in" if obj.delta > 0 else "out"), f"{obj.delta:+d}"
