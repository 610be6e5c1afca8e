"""The product admin: where manufacturers run their catalogue and staff approve it.

Every write goes through ``catalog.services`` (stock through the ledger, approval through the
transition rules); every read through the scoping selectors.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
    DropdownFilter,
    RelatedDropdownFilter,
)
from unfold.decorators import action, display

from catalog.admin.forms import (
    BulkRejectForm,
    CategoryPathChoiceField,
    ProductAdminForm,
    ProductImageInlineForm,
    RejectForm,
    StockAdjustForm,
    VariationInlineForm,
    VariationInlineFormSet,
)
from catalog.models import (
    ApprovalStatus,
    PendingProduct,
    Product,
    ProductImage,
    ProductStatusChange,
    StockMovement,
    StockReason,
    Variation,
)
from catalog.selectors import category_labels, products_visible_to, variations_visible_to
from catalog.services import (
    CatalogError,
    product_approve,
    product_create,
    product_image_add,
    product_image_delete,
    product_reject,
    product_submit,
    product_update,
    products_moderate,
    stock_adjust,
    stock_set,
    variation_create,
    variation_delete,
    variation_update,
)
from catalog.services.imports import catalogue_export
from core.admin import HistoryInlineMixin, ScopedAdminMixin
from users.models import User

DESCRIPTIVE_VARIATION_FIELDS = {"size", "color", "sku", "price_override", "low_stock_threshold"}

APPROVAL_BADGES = {
    ApprovalStatus.DRAFT.label: "info",
    ApprovalStatus.PENDING.label: "warning",
    ApprovalStatus.APPROVED.label: "success",
    ApprovalStatus.REJECTED.label: "danger",
}


# --- Filters ----------------------------------------------------------------------------------


class CategorySubtreeFilter(DropdownFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return sorted(category_labels().items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        from catalog.models import Category

        if not self.value():
            return queryset
        path = Category.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(category__path__startswith=path)


class StockLevelFilter(DropdownFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("low", _("Low stock")), ("out", _("Out of stock")), ("ok", _("In stock"))]

    def queryset(self, request, queryset):
        low = Exists(
            Variation.objects.filter(product=OuterRef("pk"), stock__lte=F("low_stock_threshold"))
        )
        match self.value():
            case "low":
                return queryset.filter(low)
            case "out":
                return queryset.filter(inventory=0)
            case "ok":
                return queryset.exclude(low)
        return queryset


class ManufacturerFilter(RelatedDropdownFilter):
    def field_choices(self, field, request, model_admin):
        return list(
            User.objects.filter(is_manufacturer=True)
            .order_by("manufacturer_profile__display_name")
            .values_list("pk", "manufacturer_profile__display_name")
        )


# --- Inlines ----------------------------------------------------------------------------------


class VariationInline(TabularInline):
    hide_title = True
    model = Variation
    form = VariationInlineForm
    formset = VariationInlineFormSet
    fields = ["size", "color", "sku", "stock", "price_override", "low_stock_threshold", "stock_seen"]
    extra = 0
    tab = True
    verbose_name_plural = _("Variations")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0


class ProductImageInline(TabularInline):
    hide_title = True
    model = ProductImage
    form = ProductImageInlineForm
    fields = ["preview", "original", "alt_text", "position"]
    readonly_fields = ["preview"]
    extra = 0
    tab = True
    verbose_name_plural = _("Images")

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
    extra = 0
    max_num = 0
    can_delete = False
    tab = True
    per_page = 20
    ordering = ["-created_at", "-id"]
    verbose_name_plural = _("Stock history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @display(description=_("Change"))
    def delta_display(self, obj: StockMovement) -> str:
        return f"{obj.delta:+d}"


class StatusChangeInline(HistoryInlineMixin, TabularInline):
    hide_title = True
    model = ProductStatusChange
    fields = ["created_at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    tab = True
    per_page = 20
    verbose_name_plural = _("Approval history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- Product admin ----------------------------------------------------------------------------


# The same confirmation on the product page and in the pending queue's rows.
APPROVE_DIALOG = {
    "title": _("Approve product"),
    "description": _("The product appears on the storefront and its manufacturer is told."),
    "form_submit_text": _("Approve"),
}


def _hx_redirect(url: str) -> HttpResponse:
    return HttpResponse(headers={"HX-Redirect": url})


class ProductAdminBase(ScopedAdminMixin, ModelAdmin):
    scope_selector = staticmethod(products_visible_to)
    form = ProductAdminForm
    list_display = [
        "product_header",
        "manufacturer_name",
        "price_display",
        "inventory_badge",
        "approval_badge",
        "is_active",
        "updated_at",
    ]
    list_display_links = ["product_header"]
    search_fields = ["name"]
    search_help_text = _("Search by product name or exact SKU.")
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-updated_at"]
    readonly_fields = [
        "slug",
        "inventory",
        "approval_status",
        "rejection_reason",
        "created_at",
        "updated_at",
    ]
    actions = ["submit_selected", "approve_selected", "reject_selected", "export_selected"]
    actions_list = ["import_products", "export_catalogue"]
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
        low_count = (
            Variation.objects.filter(product=OuterRef("pk"), stock__lte=F("low_stock_threshold"))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("category", "manufacturer__manufacturer_profile")
            .annotate(
                first_thumbnail=Subquery(first_thumbnail),
                low_variations=Coalesce(Subquery(low_count), 0),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        by_sku = variations_visible_to(user=request.user).filter(sku__iexact=term)
        return queryset.filter(name__icontains=term) | queryset.filter(
            pk__in=by_sku.values("product_id")
        ), False

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
        return [
            (_("Details"), {"fields": details}),
            (
                _("Status"),
                {
                    "fields": [
                        "approval_status",
                        "rejection_reason",
                        "inventory",
                        "slug",
                        "created_at",
                        "updated_at",
                    ]
                },
            ),
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

    @display(description=_("Product"), header=True, ordering="name")
    def product_header(self, obj: Product):
        image = None
        if obj.first_thumbnail:
            image = {
                "path": f"{settings.MEDIA_URL}{obj.first_thumbnail}",
                "squared": True,
                "width": 40,
                "height": 40,
            }
        return [obj.name, obj.category.name, obj.name[:1].upper(), image]

    @display(description=_("Manufacturer"), ordering="manufacturer__manufacturer_profile__display_name")
    def manufacturer_name(self, obj: Product) -> str:
        profile = getattr(obj.manufacturer, "manufacturer_profile", None)
        return profile.display_name if profile else obj.manufacturer.email

    @display(description=_("Price"), ordering="price")
    def price_display(self, obj: Product):
        if obj.discount_price is None:
            return f"{obj.price:,.2f}"
        percent = obj.discount_percent.normalize()
        return format_html(
            '<span class="martaf-price-old">{}</span> {} <span class="martaf-discount">−{}%</span>',
            f"{obj.price:,.2f}",
            f"{obj.discount_price:,.2f}",
            f"{percent:f}",
        )

    @display(
        description=_("Inventory"),
        ordering="inventory",
        label={"out": "danger", "low": "warning", "ok": "success"},
    )
    def inventory_badge(self, obj: Product):
        if obj.inventory == 0:
            return "out", _("Out of stock")
        if obj.low_variations:
            return "low", ngettext(
                "%(n)s · %(low)s variation low", "%(n)s · %(low)s variations low", obj.low_variations
            ) % {"n": obj.inventory, "low": obj.low_variations}
        return "ok", str(obj.inventory)

    @display(description=_("Approval"), ordering="approval_status", label=APPROVAL_BADGES)
    def approval_badge(self, obj: Product) -> str:
        return obj.get_approval_status_display()

    # -- writing --

    def save_model(self, request, obj: Product, form, change) -> None:
        if not change:
            return  # created in save_related, together with its variations
        fields = ["name", "description", "category", "price", "discount_percent", "is_active"]
        if request.user.is_staff:
            fields.append("manufacturer")
        product_update(
            product=Product.objects.get(pk=obj.pk),
            actor=request.user,
            **{name: form.cleaned_data[name] for name in fields if name in form.cleaned_data},
        )

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            # formset.save() would set these; the services do the saving here instead.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        by_model = {formset.model: formset for formset in formsets}
        product = form.instance
        if not change:
            product = self._create_with_variations(request, form, by_model.get(Variation))
            form.instance = product
        else:
            self._save_variations(request, product, by_model.get(Variation))
        self._save_images(request, product, by_model.get(ProductImage))

    def _create_with_variations(self, request, form, variation_formset) -> Product:
        specs = []
        for variation_form in variation_formset.forms if variation_formset else []:
            data = variation_form.cleaned_data
            if not data or data.get("DELETE") or not variation_form.has_changed():
                continue
            specs.append(
                {
                    "size": data.get("size", ""),
                    "color": data.get("color", ""),
                    "sku": data.get("sku", ""),
                    "stock": data.get("stock") or 0,
                    "price_override": data.get("price_override"),
                    "low_stock_threshold": data.get("low_stock_threshold"),
                }
            )
        if variation_formset is not None:
            variation_formset.new_objects = []  # filled below, once they exist
        manufacturer = form.cleaned_data.get("manufacturer") or request.user
        product = product_create(
            manufacturer=manufacturer,
            actor=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data.get("description", ""),
            price=form.cleaned_data["price"],
            discount_percent=form.cleaned_data.get("discount_percent") or Decimal("0"),
            category=form.cleaned_data["category"],
            is_active=form.cleaned_data.get("is_active", True),
            stock=None if specs else (form.cleaned_data.get("stock") or 0),
            variations=specs or None,
        )
        form.instance.pk = product.pk
        if variation_formset is not None and specs:
            variation_formset.new_objects = list(product.variations.all())
        return product

    def _save_variations(self, request, product: Product, formset) -> None:
        if formset is None:
            return
        for variation_form in formset.forms:
            variation = variation_form.instance
            data = variation_form.cleaned_data
            if not data:
                continue
            if data.get("DELETE") and variation.pk:
                variation_delete(variation=variation, actor=request.user)
                formset.deleted_objects.append(variation)
            elif not variation.pk:
                if variation_form.has_changed():
                    created = variation_create(
                        product=product,
                        actor=request.user,
                        size=data.get("size", ""),
                        color=data.get("color", ""),
                        sku=data.get("sku", ""),
                        stock=data.get("stock") or 0,
                        price_override=data.get("price_override"),
                        low_stock_threshold=data.get("low_stock_threshold"),
                    )
                    formset.new_objects.append(created)
            elif variation_form.has_changed():
                formset.changed_objects.append((variation, variation_form.changed_data))
                fresh = Variation.objects.get(pk=variation.pk)
                if set(variation_form.changed_data) & DESCRIPTIVE_VARIATION_FIELDS:
                    variation_update(
                        variation=fresh,
                        actor=request.user,
                        size=data["size"],
                        color=data["color"],
                        sku=data["sku"],
                        price_override=data.get("price_override"),
                        low_stock_threshold=data["low_stock_threshold"],
                    )
                if variation_form.stock_edited():
                    stock_set(
                        variation=fresh,
                        stock=data["stock"],
                        expected_stock=data["stock_seen"],
                        reason=StockReason.MANUAL,
                        actor=request.user,
                        note="Edited on the product page",
                    )

    def _save_images(self, request, product: Product, formset) -> None:
        if formset is None:
            return
        for image_form in formset.forms:
            image = image_form.instance
            data = image_form.cleaned_data
            if not data:
                continue
            if data.get("DELETE") and image.pk:
                product_image_delete(image=image, actor=request.user)
                formset.deleted_objects.append(image)
            elif not image.pk:
                if data.get("original"):
                    added = product_image_add(
                        product=product,
                        actor=request.user,
                        file=data["original"],
                        alt_text=data.get("alt_text", ""),
                        position=data.get("position"),
                    )
                    formset.new_objects.append(added)
            elif image_form.has_changed():
                formset.changed_objects.append((image, image_form.changed_data))
                if "original" in image_form.changed_data:
                    product_image_delete(image=image, actor=request.user)
                    product_image_add(
                        product=product,
                        actor=request.user,
                        file=data["original"],
                        alt_text=data.get("alt_text", ""),
                        position=data.get("position"),
                    )
                else:
                    ProductImage.objects.filter(pk=image.pk).update(
                        alt_text=data.get("alt_text", ""), position=data.get("position") or 0
                    )

    def delete_model(self, request, obj: Product) -> None:
        from catalog.services import product_delete

        product_delete(product=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        from catalog.services import product_delete

        for product in queryset:
            product_delete(product=product, actor=request.user)

    # -- permissions of the custom actions (unfold passes an object id on detail pages) --

    def _status_of(self, request, obj) -> str | None:
        if obj is None:
            return None
        if isinstance(obj, Product):
            return obj.approval_status
        return self.get_queryset(request).filter(pk=obj).values_list(
            "approval_status", flat=True
        ).first()

    def has_moderate_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self.has_change_permission(request, obj)

    def has_approve_permission(self, request, obj=None) -> bool:
        return self.has_moderate_permission(request, obj) and self._status_of(request, obj) in (
            None, ApprovalStatus.DRAFT, ApprovalStatus.PENDING, ApprovalStatus.REJECTED
        )

    def has_reject_permission(self, request, obj=None) -> bool:
        return self.has_moderate_permission(request, obj) and self._status_of(request, obj) in (
            None, ApprovalStatus.PENDING, ApprovalStatus.APPROVED
        )

    def has_submit_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and self._status_of(request, obj) in (
            None, ApprovalStatus.DRAFT, ApprovalStatus.REJECTED
        )

    def has_adjust_stock_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    # -- bulk actions --

    @action(description=_("Submit selected for approval"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        submitted, skipped = 0, 0
        for product in queryset:
            try:
                product_submit(product=product, actor=request.user)
                submitted += 1
            except CatalogError:
                skipped += 1
        self._report(request, submitted, skipped, _("submitted for approval"))

    @action(description=_("Approve selected"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done, skipped = products_moderate(products=queryset, actor=request.user, approve=True)
        self._report(request, len(done), len(skipped), _("approved"))

    @action(description=_("Reject selected…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        form = BulkRejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, skipped = products_moderate(
                products=queryset,
                actor=request.user,
                approve=False,
                reason=form.cleaned_data["reason"],
            )
            self._report(request, len(done), len(skipped), _("rejected"))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject products"),
            "opts": self.model._meta,
            "products": queryset,
            "form": form,
            "action_name": "reject_selected",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/catalog/product/reject_selected.html", context)

    def _export_response(self, request, products=None, file_format="csv") -> HttpResponse:
        data = catalogue_export(
            user=request.user,
            products=products,
            file_format=file_format,
            base_url=request.build_absolute_uri("/"),
        )
        content_type = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[file_format]
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="martaf-catalogue.{file_format}"'
        return response

    @action(description=_("Export selected (CSV)"), permissions=["view"])
    def export_selected(self, request, queryset):
        # ``queryset`` is already scoped by get_queryset; the export scopes again by selector.
        return self._export_response(request, products=queryset)

    @action(description=_("Export catalogue"), icon="download", url_path="export",
            permissions=["view"])
    def export_catalogue(self, request):
        file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return self._export_response(request, file_format=file_format)

    @action(description=_("Import"), icon="upload", url_path="import-products",
            permissions=["import"])
    def import_products(self, request):
        return redirect(reverse("admin:catalog_productimport_add"))

    def has_import_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalog.add_productimport")

    def _report(self, request, done: int, skipped: int, verb: str) -> None:
        if done:
            messages.success(
                request,
                ngettext("%(n)d product %(verb)s.", "%(n)d products %(verb)s.", done)
                % {"n": done, "verb": verb},
            )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)d product skipped: its status does not allow it.",
                    "%(n)d products skipped: their status does not allow it.",
                    skipped,
                )
                % {"n": skipped},
            )

    # -- detail actions --

    def _change_url(self, object_id) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])

    def _get_scoped(self, request, object_id) -> Product:
        product = self.get_queryset(request).filter(pk=object_id).first()
        if product is None:
            raise PermissionDenied
        return product

    @action(
        description=_("Adjust stock"),
        icon="swap_vert",
        url_path="adjust-stock",
        permissions=["adjust_stock"],
        dialog={
            "title": _("Adjust stock"),
            "description": _("The change is recorded in the stock history with its reason."),
            "form_class": StockAdjustForm,
            "form_submit_text": _("Record change"),
        },
    )
    def adjust_stock(self, request, form, object_id):
        self._get_scoped(request, object_id)
        data = form.cleaned_data
        try:
            movement = stock_adjust(
                variation=data["variation"],
                delta=data["change"],
                reason=StockReason(data["reason"]),
                actor=request.user,
                note=data.get("note", ""),
            )
        except CatalogError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Stock of %(item)s changed by %(delta)+d; now %(stock)d.")
                % {"item": movement.label, "delta": movement.delta, "stock": movement.stock_after},
            )
        return _hx_redirect(self._change_url(object_id))

    # State changes are dialogs: the action runs only on the dialog's POST (with its CSRF
    # token), never on the GET that opens it.
    @action(
        description=_("Submit for approval"),
        icon="send",
        url_path="submit",
        permissions=["submit"],
        dialog={
            "title": _("Submit for approval"),
            "description": _("Staff review the product before it appears on the storefront."),
            "form_submit_text": _("Submit"),
        },
    )
    def submit_detail(self, request, form, object_id):
        product = self._get_scoped(request, object_id)
        try:
            product_submit(product=product, actor=request.user)
            messages.success(request, _("Submitted for approval. Staff have been told."))
        except CatalogError as exc:
            messages.error(request, exc.messages[0])
        return _hx_redirect(self._change_url(object_id))

    @action(
        description=_("Approve"),
        icon="check_circle",
        url_path="approve",
        permissions=["approve"],
        dialog=APPROVE_DIALOG,
    )
    def approve_detail(self, request, form, object_id):
        self._approve(request, object_id)
        return _hx_redirect(self._change_url(object_id))

    def _approve(self, request, object_id) -> None:
        product = self._get_scoped(request, object_id)
        try:
            product_approve(product=product, actor=request.user)
            messages.success(request, _("“%(name)s” approved.") % {"name": product.name})
        except CatalogError as exc:
            messages.error(request, exc.messages[0])

    @action(
        description=_("Reject"),
        icon="block",
        url_path="reject",
        permissions=["reject"],
        dialog={
            "title": _("Reject product"),
            "description": _("The product leaves the storefront and its manufacturer is told."),
            "form_class": RejectForm,
            "form_submit_text": _("Reject"),
        },
    )
    def reject_detail(self, request, form, object_id):
        self._reject(request, object_id, form.cleaned_data["reason"])
        return _hx_redirect(self._change_url(object_id))

    def _reject(self, request, object_id, reason: str) -> None:
        product = self._get_scoped(request, object_id)
        try:
            product_reject(product=product, actor=request.user, reason=reason)
            messages.success(request, _("“%(name)s” rejected.") % {"name": product.name})
        except CatalogError as exc:
            messages.error(request, exc.messages[0])


@admin.register(Product)
class ProductAdmin(ProductAdminBase):
    pass


@admin.register(PendingProduct)
class PendingProductAdmin(ProductAdminBase):
    """Staff's moderation queue: products waiting for approval, oldest first."""

    ordering = ["updated_at"]
    actions = ["approve_selected", "reject_selected"]
    actions_row = ["approve_row", "reject_row"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(approval_status=ApprovalStatus.PENDING)

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_add_permission(self, request):
        return False

    def get_list_filter(self, request):
        return [CategorySubtreeFilter, ("manufacturer", ManufacturerFilter)]

    @action(
        description=_("Approve"),
        icon="check_circle",
        url_path="approve-row",
        permissions=["moderate"],
        dialog=APPROVE_DIALOG,
    )
    def approve_row(self, request, form, object_id):
        self._approve(request, object_id)
        return _hx_redirect(reverse("admin:catalog_pendingproduct_changelist"))

    @action(
        description=_("Reject"),
        icon="block",
        url_path="reject-row",
        permissions=["moderate"],
        dialog={
            "title": _("Reject product"),
            "description": _("The product leaves the queue and its manufacturer is told."),
            "form_class": RejectForm,
            "form_submit_text": _("Reject"),
        },
    )
    def reject_row(self, request, form, object_id):
        self._reject(request, object_id, form.cleaned_data["reason"])
        return _hx_redirect(reverse("admin:catalog_pendingproduct_changelist"))


# ValidationError is re-exported for the admin modules that catch service errors.
__all__ = ["ProductAdmin", "PendingProductAdmin", "ValidationError"]
