"""Staff's view of the storefront's shopping side: the shipping methods they offer (added and
edited here), and buyers' addresses and cart lines (read only, for support). Manufacturers
see none of it: these are buyers' data, not a vendor's."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from core.admin import ReadOnlyAdminMixin, StaffOnlyAdminMixin
from core.money import money_format
from shopping.models import CartItem, ShippingAddress, ShippingMethod
from shopping.services import shipping_method_make_default, shipping_method_save


@admin.register(ShippingMethod)
class ShippingMethodAdmin(StaffOnlyAdminMixin, ModelAdmin):
    """The default method (what a checkout naming no method uses) is the first row, with a
    badge; marking another one default, on its form or with the action, unmarks it."""

    list_display = ["name", "default_badge", "cost_display", "estimated_days", "is_active"]
    list_filter = ["is_default", "is_active"]
    search_fields = ["name"]
    ordering = ["-is_default", "cost", "name"]
    fields = ["name", "description", "cost", "estimated_days", "is_active", "is_default"]
    actions = ["make_default"]

    @display(description=_("Cost"), ordering="cost")
    def cost_display(self, obj: ShippingMethod) -> str:
        return money_format(obj.cost)

    @display(description=_("Default"), ordering="-is_default", label={"default": "success"})
    def default_badge(self, obj: ShippingMethod) -> tuple[str, str]:
        return ("default", _("Default")) if obj.is_default else ("", "")

    def save_model(self, request, obj, form, change) -> None:
        shipping_method_save(method=obj)

    @action(description=_("Make the selected method the default"), permissions=["change"])
    def make_default(self, request, queryset) -> None:
        methods = list(queryset[:2])
        if len(methods) != 1:
            messages.error(request, _("Select exactly one method to make it the default."))
            return
        try:
            method = shipping_method_make_default(method=methods[0])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(name)s” is now the default shipping method.") % {"name": method.name},
            )


@admin.register(ShippingAddress)
class ShippingAddressAdmin(StaffOnlyAdminMixin, ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["full_name", "buyer", "city", "state", "country", "is_default", "created_at"]
    list_filter = ["is_default", "country"]
    search_fields = ["full_name", "phone", "city", "user__email"]
    list_select_related = ["user"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    fields = [
        "user", "full_name", "phone", "address", "city", "state", "postal_code", "country",
        "is_default", "created_at", "updated_at",
    ]

    @display(description=_("Buyer"), ordering="user__email")
    def buyer(self, obj: ShippingAddress) -> str:
        return obj.user.email


@admin.register(CartItem)
class CartItemAdmin(StaffOnlyAdminMixin, ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["buyer", "product_name", "variation_label", "quantity", "checked", "updated_at"]
    list_filter = ["checked"]
    search_fields = ["user__email", "product__name"]
    list_select_related = ["user", "product", "variation"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["user_id", "created_at", "id"]
    fields = ["user", "product", "variation", "quantity", "checked", "created_at", "updated_at"]

    @display(description=_("Buyer"), ordering="user__email")
    def buyer(self, obj: CartItem) -> str:
        return obj.user.email

    @display(description=_("Product"), ordering="product__name")
    def product_name(self, obj: CartItem) -> str:
        return obj.product.name

    @display(description=_("Variation"))
    def variation_label(self, obj: CartItem) -> str:
        return obj.variation.label if obj.variation else "-"
