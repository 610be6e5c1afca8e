"""The product admins: where manufacturers run their catalogue and staff approve it.

Every write goes through ``catalog.services`` (``write.product_page_save``), every read through
the scoping selectors; actions are in ``actions``, tabs in ``inlines``, filters in ``filters``.
"""

import functools
from types import MethodType

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, checkbox
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import display

from catalog.admin.forms import CategoryPathChoiceField
from catalog.admin.products.actions import (
    APPROVE_DIALOG,
    ProductActionsMixin,
    reject_dialog,
)
from catalog.admin.products.cells import boolean_cell, checkbox_cell, header_cell, label_cell
from catalog.admin.products.changelist import IdsFirstPaginator, ProductChangeList
from catalog.admin.products.extensions import (
    product_admin_method,
    product_listed_actions,
    product_selected_actions,
)
from catalog.admin.products.filters import (
    CategorySubtreeFilter,
    ManufacturerFilter,
    StockLevelFilter,
)
from catalog.admin.products.forms import ProductAdminForm, ProductWriteRefused
from catalog.admin.products.inlines import (
    ProductImageInline,
    StatusChangeInline,
    StockMovementInline,
    VariationInline,
)
from catalog.admin.products.write import product_page_save
from catalog.limits import SEARCH_WORDS_MAX
from catalog.models import ApprovalStatus, PendingProduct, Product, ProductImage, Variation
from catalog.pricing import discount_price
from catalog.search import ProductTextMatch, search_words
from catalog.selectors import products_visible_to, variations_visible_to
from catalog.services import product_approve, product_delete, product_reject
from core.admin import ScopedAdminMixin, dialog_action, htmx_redirect
from core.db import subquery_count
from core.money import money_format
from users.models import User

#: At most this many products found by SKU part, or manufacturers by name, go into a search
#: (a term as short as "1" would otherwise put most of the catalogue's ids in the query).
SEARCH_IDS_MAX = 500

APPROVAL_BADGES = {
    ApprovalStatus.DRAFT: "info",
    ApprovalStatus.PENDING: "warning",
    ApprovalStatus.APPROVED: "success",
    ApprovalStatus.REJECTED: "danger",
}


@functools.cache
def _approval_cell(language: str | None, status: str):
    """An approval badge per status and language: four to render, not one per row (the
    status's translated label cost more than the rest of the cell)."""
    label = str(dict(ApprovalStatus.choices).get(status, status))
    return label_cell(APPROVAL_BADGES.get(status), label)


class ProductAdminBase(ProductActionsMixin, ScopedAdminMixin, ModelAdmin):
    # What the empty list says (templates/unfold/helpers/empty_results.html).
    empty_icon = "inventory_2"
    empty_title = _("No products yet")
    empty_text = _(
        "Add your first product, or bring a whole catalogue in from a CSV or Excel file with "
        "Import (above)."
    )
    empty_action = _("Add a product")
    scope_selector = staticmethod(products_visible_to)
    form = ProductAdminForm
    list_display = [
        "product_header",
        "manufacturer_name",
        "price_display",
        "inventory_badge",
        "approval_badge",
        "active_icon",
        "updated_at",
    ]
    list_display_links = ["product_header"]
    search_fields = ["name"]
    search_help_text = _("Search by product name or exact SKU.")
    list_per_page = 50
    show_full_result_count = False
    paginator = IdsFirstPaginator
    ordering = ["-updated_at"]
    readonly_fields = [
        "slug",
        "inventory",
        "approval_status",
        "rejection_reason",
        "created_at",
        "updated_at",
    ]
    actions = ["submit_selected", "approve_selected", "reject_selected"]
    actions_detail = ["adjust_stock", "submit_detail", "approve_detail", "reject_detail"]
    inlines = [VariationInline, ProductImageInline, StockMovementInline, StatusChangeInline]
    warn_unsaved_form = True

    # -- reading --

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        first_thumbnail = (
            ProductImage.objects.filter(product=OuterRef("pk"))
            .order_by("position", "id")
            .values("thumbnail")[:1]
        )
        low_count = subquery_count(
            Variation.objects.filter(product=OuterRef("pk")).low_stock()
        )
        return (
            super()
            .get_queryset(request)
            .select_related("category", "manufacturer__manufacturer_profile")
            .annotate(
                first_thumbnail=Subquery(first_thumbnail),
                low_variations=Coalesce(low_count, 0),
            )
        )

    def get_changelist(self, request: HttpRequest, **kwargs):
        return ProductChangeList

    @display(description=mark_safe(checkbox.render("action_toggle_all", 1)))
    def action_checkbox(self, obj: Product) -> str:
        # unfold renders the checkbox widget's template once per row; render it once per process
        # and put each row's id in (the same HTML).
        return checkbox_cell(obj.pk)

    def view_on_site(self, obj: Product) -> str | None:
        """"View on storefront" on the product's page, once buyers can see it there."""
        if obj.approval_status != ApprovalStatus.APPROVED or not obj.is_active:
            return None
        return settings.STOREFRONT_PRODUCT_URL.format(slug=obj.slug)

    def get_search_results(self, request, queryset, search_term):
        """Products found by any of: their words (``catalog.search``: each word a prefix,
        plurals through the stemmer: "baskets" finds "Woven basket"), their name containing the
        term, a variation's SKU containing it (any case: "wb-" finds "WB-1"), or, for staff,
        their manufacturer's name or email. The SKU and manufacturer matches are looked up
        first and go into the query as ids (against a subquery PostgreSQL guessed half the
        catalogue would match and read all 100k products for the one that did); one
        condition under the queryset's scope, so a manufacturer's search stays in their own
        products."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(name__icontains=term)
        words = search_words(term)
        if words and len(words) <= SEARCH_WORDS_MAX:
            matches |= Q(ProductTextMatch(words))
        by_sku = list(
            variations_visible_to(user=request.user)
            .filter(sku__icontains=term)
            .values_list("product_id", flat=True)
            .distinct()[:SEARCH_IDS_MAX]
        )
        if by_sku:
            matches |= Q(pk__in=by_sku)
        if request.user.is_staff:
            makers = list(
                User.objects.filter(is_manufacturer=True)
                .filter(
                    Q(manufacturer_profile__display_name__icontains=term)
                    | Q(email__icontains=term)
                )
                .values_list("pk", flat=True)[:SEARCH_IDS_MAX]
            )
            if makers:
                matches |= Q(manufacturer_id__in=makers)
        return queryset.filter(matches), False

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not request.user.is_staff:
            columns.remove("manufacturer_name")
        return columns

    def get_list_filter(self, request):
        filters = [
            CategorySubtreeFilter,
            ("approval_status", ChoicesDropdownFilter),
            "is_active",
            StockLevelFilter,
        ]
        if request.user.is_staff:
            filters.append(("manufacturer", ManufacturerFilter))
        return filters

    def get_fieldsets(self, request, obj=None):
        details = ["name", "description", "category", "price", "discount_percent", "is_active"]
        if request.user.is_staff:
            details.insert(0, "manufacturer")
        if obj is None:
            details.append("stock")
            return [(_("Details"), {"fields": details})]
        status = ["approval_status", "rejection_reason", "inventory", "slug"]
        return [
            (_("Details"), {"fields": details}),
            (_("Status"), {"fields": [*status, "created_at", "updated_at"]}),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            return CategoryPathChoiceField(required=True, label=_("Category"))
        if db_field.name == "manufacturer":
            kwargs["queryset"] = User.objects.filter(is_manufacturer=True).select_related(
                "manufacturer_profile"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # -- columns --

    @display(description=_("Product"), ordering="name")
    def product_header(self, obj: Product):
        thumbnail = obj.first_thumbnail
        return header_cell(
            name=obj.name,
            detail=obj.category.name,
            initial=obj.name[:1].upper(),
            image_url=f"{settings.MEDIA_URL}{thumbnail}" if thumbnail else None,
        )

    @display(
        description=_("Manufacturer"), ordering="manufacturer__manufacturer_profile__display_name"
    )
    def manufacturer_name(self, obj: Product) -> str:
        profile = getattr(obj.manufacturer, "manufacturer_profile", None)
        return profile.display_name if profile else obj.manufacturer.email

    @display(description=_("Price"), ordering="price")
    def price_display(self, obj: Product):
        paid = discount_price(price=obj.price, discount_percent=obj.discount_percent)
        if paid is None:
            return money_format(obj.price)
        return format_html(
            '<span class="martaf-price-old">{}</span> {} <span class="martaf-discount">−{}%</span>',
            money_format(obj.price),
            money_format(paid),
            f"{obj.discount_percent.normalize():f}",
        )

    @display(description=_("Inventory"), ordering="inventory")
    def inventory_badge(self, obj: Product):
        if obj.inventory == 0:
            return label_cell("danger", _("Out of stock"))
        if obj.low_variations:
            return label_cell("warning", ngettext(
                "%(n)s · %(low)s variation low",
                "%(n)s · %(low)s variations low",
                obj.low_variations,
            ) % {"n": obj.inventory, "low": obj.low_variations})
        return label_cell("success", str(obj.inventory))

    @display(description=_("Approval"), ordering="approval_status")
    def approval_badge(self, obj: Product):
        return _approval_cell(get_language(), obj.approval_status)

    @display(description=Product._meta.get_field("is_active").verbose_name, ordering="is_active")
    def active_icon(self, obj: Product):
        return boolean_cell(obj.is_active)

    # -- writing: the page's forms become one service write --

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "product_refusal", None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"refusal": refusal})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The site-wide "view on site" is off (nothing else has a public page); a product has
        # one on the storefront (``view_on_site``, once public).
        extra_context = {**(extra_context or {}), "show_view_on_site": True}
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ProductWriteRefused as refused:
            # Nothing was written (rolled back): show the page again with the refusal on the
            # form, row and field it is about.
            request.product_refusal = refused
            for upload in request.FILES.values():
                upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj: Product, form, change) -> None:
        pass  # written with its variations and images in save_related

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            # formset.save() would set these; the services do the saving here instead.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        product = product_page_save(request=request, form=form, formsets=formsets, change=change)
        if not change:
            form.instance.pk = product.pk
            form.instance = product

    def delete_model(self, request, obj: Product) -> None:
        product_delete(product=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for product in queryset:
            product_delete(product=product, actor=request.user)


@admin.register(Product)
class ProductAdmin(ProductAdminBase):
    """The catalogue's list: the moderation actions, and the actions other apps add to it
    (``extensions``: the import's Import and Export buttons and "Export selected")."""

    @property
    def actions(self):
        return [*ProductAdminBase.actions, *product_selected_actions()]

    @property
    def actions_list(self):
        return product_listed_actions()

    def __getattr__(self, name: str):
        # unfold finds a button's view, and the permission checks of the actions, as methods
        # of the admin, by name.
        method = product_admin_method(name)
        if method is None:
            raise AttributeError(name)
        return MethodType(method, self)


REJECT_ROW_DIALOG = reject_dialog(_("The product leaves the queue and its manufacturer is told."))


@admin.register(PendingProduct)
class PendingProductAdmin(ProductAdminBase):
    """Staff's moderation queue: products waiting for approval, oldest first."""

    empty_icon = "task_alt"
    empty_title = _("Nothing waits for approval")
    empty_text = _("When a manufacturer submits a product, it appears here, oldest first.")
    ordering = ["updated_at"]
    actions = ["approve_selected", "reject_selected"]
    actions_row = ["approve_row", "reject_row"]

    def get_list_display(self, request):
        # Every row waits for approval: the approval column would say so on every line.
        return [c for c in super().get_list_display(request) if c != "approval_badge"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(approval_status=ApprovalStatus.PENDING)

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_add_permission(self, request):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The selectors give Products; as the queue's proxy, the page's breadcrumb and
            # title lead back to the queue, not to the catalogue.
            obj.__class__ = PendingProduct
        return obj

    def get_list_filter(self, request):
        return [CategorySubtreeFilter, ("manufacturer", ManufacturerFilter)]

    def after_decision_url(self, request, object_id) -> str:
        """After a decision on a product's page in the queue: the product again if it still
        waits (the decision was refused), else the next product waiting, else the queue (the
        decided product has left the queue, so its queue page no longer exists)."""
        waiting = self.get_queryset(request)
        if waiting.filter(pk=object_id).exists():
            return self.change_url(object_id)
        following = waiting.values_list("pk", flat=True).first()
        if following is None:  # the empty queue says so itself
            return reverse("admin:catalog_pendingproduct_changelist")
        left = waiting.count()
        messages.info(
            request,
            ngettext(
                "Next in the queue (%(n)d product waiting).",
                "Next in the queue (%(n)d products waiting).",
                left,
            )
            % {"n": left},
        )
        return self.change_url(following)

    @dialog_action(_("Approve"), "check_circle", "approve-row", "moderate", APPROVE_DIALOG)
    def approve_row(self, request, form, object_id):
        self._moderate(request, object_id, product_approve, _("“%(name)s” approved."))
        return htmx_redirect(reverse("admin:catalog_pendingproduct_changelist"))

    @dialog_action(_("Reject"), "block", "reject-row", "moderate", REJECT_ROW_DIALOG)
    def reject_row(self, request, form, object_id):
        reason = form.cleaned_data["reason"]
        self._moderate(request, object_id, product_reject, _("“%(name)s” rejected."), reason=reason)
        return htmx_redirect(reverse("admin:catalog_pendingproduct_changelist"))
