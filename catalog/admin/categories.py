"""Staff's category tree: indented list with product counts, add a child in place, move."""

from django.contrib import admin, messages
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from catalog.admin.forms import CategoryAdminForm
from catalog.models import Category, Product
from catalog.services import (
    CatalogError,
    category_create,
    category_delete,
    category_move,
    category_update,
)


@admin.register(Category)
class CategoryAdmin(ModelAdmin):
    empty_icon = "account_tree"
    empty_title = _("No categories yet")
    empty_text = _(
        "Categories are the storefront's menu: add a department, then its sub-categories. "
        "An import also creates the categories its rows name."
    )
    empty_action = _("Add a category")
    form = CategoryAdminForm
    list_display = ["tree_name", "slug", "direct_products", "subtree_products", "is_active", "add_child"]
    list_display_links = ["tree_name"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    ordering = ["path"]
    list_per_page = 200
    actions = None  # deleting goes one category at a time, through the refusal rule

    def get_queryset(self, request):
        # Products in the whole subtree: one correlated COUNT per listed category.
        subtree_total = Subquery(
            Product.objects.filter(category__path__startswith=OuterRef("path"))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(direct_count=Count("products"), subtree_count=Coalesce(subtree_total, 0))
        )

    def get_fieldsets(self, request, obj=None):
        main = ["name", "slug", "description", "is_active"]
        if obj is None:
            return [(None, {"fields": ["parent", *main]})]
        return [(None, {"fields": main}), (_("Move"), {"fields": ["move_target", "move_position"]})]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if parent := request.GET.get("parent"):
            initial["parent"] = parent
        return initial

    @display(description=_("Category"), ordering="path")
    def tree_name(self, obj: Category):
        return format_html(
            '<span class="martaf-tree" style="--depth: {}">{}{}</span>',
            obj.depth - 1,
            "└ " if obj.depth > 1 else "",
            obj.name,
        )

    @display(description=_("Products here"))
    def direct_products(self, obj: Category) -> int:
        return obj.direct_count

    @display(description=_("Incl. sub-categories"))
    def subtree_products(self, obj: Category) -> int:
        return obj.subtree_count

    @display(description="")
    def add_child(self, obj: Category):
        url = reverse("admin:catalog_category_add") + f"?parent={obj.pk}"
        return format_html('<a class="martaf-link" href="{}">+ {}</a>', url, _("Add child"))

    def save_model(self, request, obj: Category, form, change) -> None:
        data = form.cleaned_data
        if not change:
            created = category_create(
                name=data["name"],
                parent=data.get("parent"),
                description=data.get("description", ""),
                is_active=data.get("is_active", True),
                slug=data.get("slug", ""),
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        category = Category.objects.get(pk=obj.pk)
        category_update(
            category=category,
            name=data["name"],
            description=data.get("description", ""),
            is_active=data.get("is_active", True),
            slug=data.get("slug", ""),
        )
        if data.get("move_target"):
            category_move(
                category=category, target=data["move_target"], position=data["move_position"]
            )

    def delete_view(self, request, object_id, extra_context=None):
        category = self.get_object(request, object_id)
        if category is not None and request.method == "POST":
            try:
                category_delete(category=category)
            except CatalogError as exc:
                messages.error(request, exc.messages[0])
                return HttpResponseRedirect(
                    reverse("admin:catalog_category_change", args=[category.pk])
                )
            messages.success(request, _("“%(name)s” deleted.") % {"name": category.name})
            return HttpResponseRedirect(reverse("admin:catalog_category_changelist"))
        return super().delete_view(request, object_id, extra_context)
