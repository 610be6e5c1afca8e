"""Commission rules (Sales → Commission rules): staff set what the marketplace takes on a sale
line (the default, a category's subtree, a manufacturer, or a manufacturer in a category);
the most specific rule wins (``orders.commission``). A changed rule applies to orders placed
from then on: each line keeps the commission it captured.

Manufacturers read the rules that apply to them (their own and the marketplace's general
ones), never another manufacturer's, and change nothing.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from catalog.models import Category
from catalog.selectors import category_labels
from core.money import money_format
from orders.models import CommissionRule
from orders.selectors import commission_rules_visible_to
from orders.services import commission_rule_save
from users.models import User


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = category_labels()

    def label_from_instance(self, obj: Category) -> str:
        return self.labels.get(obj.pk, obj.name)


@admin.register(CommissionRule)
class CommissionRuleAdmin(ModelAdmin):
    empty_icon = "percent"
    empty_title = _("No commission rules yet")
    empty_text = _(
        "Without rules the marketplace takes its default percentage (COMMISSION_DEFAULT_PERCENT) "
        "of every line. Add a rule without category and manufacturer to set the default here."
    )
    list_display = ["applies_to", "percent_display", "flat_display", "updated_at", "updated_by"]
    list_display_links = ["applies_to"]
    list_per_page = 100
    show_full_result_count = False
    search_fields = ["category__name", "manufacturer__email"]
    fields = ["category", "manufacturer", "percent", "flat"]

    def get_queryset(self, request):
        return commission_rules_visible_to(user=request.user).select_related(
            "category", "manufacturer", "updated_by"
        )

    def get_list_display(self, request):
        columns = list(self.list_display)
        return columns if request.user.is_staff else columns[:3]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (
            request.user.is_staff or request.user.has_perm("orders.view_commissionrule")
        )

    def has_view_permission(self, request, obj=None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request) -> bool:
        return request.user.is_staff and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            return CategoryChoiceField(
                queryset=Category.objects.order_by("path"), required=False,
                label=db_field.verbose_name,
                help_text=_("Empty: every category. A category's rule covers its subcategories."),
            )
        if db_field.name == "manufacturer":
            kwargs["queryset"] = User.objects.filter(is_manufacturer=True).order_by("email")
            kwargs["help_text"] = _("Empty: every manufacturer.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: CommissionRule, form, change) -> None:
        commission_rule_save(rule=obj, actor=request.user)

    @display(description=_("Applies to"), ordering="manufacturer__email")
    def applies_to(self, obj: CommissionRule) -> str:
        if obj.category_id is None and obj.manufacturer_id is None:
            return _("Marketplace default")
        parts = []
        if obj.manufacturer_id is not None:
            parts.append(obj.manufacturer.email)
        if obj.category_id is not None:
            parts.append(_("%(category)s and below") % {"category": obj.category.name})
        return " · ".join(str(p) for p in parts)

    @display(description=_("Percent"), ordering="percent")
    def percent_display(self, obj: CommissionRule) -> str:
        return f"{obj.percent.normalize():f} %"

    @display(description=_("Flat per line"), ordering="flat")
    def flat_display(self, obj: CommissionRule) -> str:
        return money_format(obj.flat) if obj.flat else "-"
