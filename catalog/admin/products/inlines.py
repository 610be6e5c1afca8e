"""The tabs of a product's page: variations, images, stock history, approval history."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from catalog.admin.products.forms import (
    ProductImageInlineForm,
    RefusalFormSet,
    VariationInlineForm,
    VariationInlineFormSet,
)
from catalog.models import ProductImage, ProductStatusChange, StockMovement, Variation
from core.admin import HistoryInlineMixin


class RefusalInlineMixin:
    """The formset shows the services' refusal of the previous attempt (see the admin)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        refusal = getattr(request, "product_refusal", None)
        if refusal is None:
            return formset
        return type(formset.__name__, (formset,), {"refusal": refusal})


class VariationInline(RefusalInlineMixin, TabularInline):
    hide_title = True
    model = Variation
    form = VariationInlineForm
    formset = VariationInlineFormSet
    fields = [
        "size",
        "color",
        "sku",
        "stock",
        "price_override",
        "low_stock_threshold",
        "stock_seen",
    ]
    extra = 0
    tab = True
    verbose_name_plural = _("Variations")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0


class ProductImageInline(RefusalInlineMixin, TabularInline):
    hide_title = True
    model = ProductImage
    form = ProductImageInlineForm
    formset = RefusalFormSet
    fields = ["preview", "original", "alt_text", "position"]
    readonly_fields = ["preview"]
    extra = 0
    tab = True
    verbose_name_plural = _("Images")
    # Dragged into order; the first is the product's main image.
    ordering_field = "position"
    hide_ordering_field = True

    @display(description=_("Preview"))
    def preview(self, obj: ProductImage):
        if not obj.pk or not obj.thumbnail:
            return "-"
        return format_html(
            '<img src="{}" alt="{}" class="martaf-thumb martaf-thumb--large">',
            obj.thumbnail.url,
            obj.alt_text,
        )


class StockMovementInline(HistoryInlineMixin, TabularInline):
    hide_title = True
    model = StockMovement
    fk_name = "product"
    fields = ["created_at", "label", "delta_display", "stock_after", "reason", "by", "note"]
    readonly_fields = fields
    per_page = 20
    ordering = ["-created_at", "-id"]
    verbose_name_plural = _("Stock history")

    @display(description=_("Change"))
    def delta_display(self, obj: StockMovement) -> str:
        return f"{obj.delta:+d}"


class StatusChangeInline(HistoryInlineMixin, TabularInline):
    hide_title = True
    model = ProductStatusChange
    fields = ["created_at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    per_page = 20
    verbose_name_plural = _("Approval history")
