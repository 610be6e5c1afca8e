"""What the product admin does besides saving: moderation (bulk, on the page, in the queue's
rows) and stock adjustments. Every action calls a service. (The Import and Export buttons and
"Export selected" are the import app's: ``extensions``.)"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action

from catalog.admin.products.forms import (
    BulkEditForm,
    BulkRejectForm,
    RejectForm,
    StockAdjustForm,
    VariationGridForm,
)
from catalog.approval import APPROVAL_MOVES
from catalog.models import ApprovalStatus, Product, StockReason
from catalog.services import (
    CatalogError,
    grid_values,
    product_approve,
    product_duplicate,
    product_reject,
    product_submit,
    products_moderate,
    stock_adjust,
    variations_grid_create,
)
from catalog.services.bulk_edit import bulk_edit_preview, products_bulk_edit
from core.admin import (
    Dialog,
    bulk_action_page,
    dialog_action,
    htmx_redirect,
    report_done_skipped,
)

PRODUCT_NOUN = (_("product"), _("products"))
#: At most this many products in one bulk edit (its preview lists every change).
BULK_EDIT_MAX = 200

# The same confirmations on the product page and in the pending queue's rows.
APPROVE_DIALOG = Dialog(
    _("Approve product"),
    _("The product appears on the storefront and its manufacturer is told."),
    _("Approve"),
)


def reject_dialog(description) -> Dialog:
    return Dialog(_("Reject product"), description, _("Reject"), RejectForm)


ADJUST_STOCK_DIALOG = Dialog(
    _("Adjust stock"),
    _("The change is recorded in the stock history with its reason."),
    _("Record change"),
    StockAdjustForm,
)
REJECT_PAGE_DIALOG = reject_dialog(
    _("The product leaves the storefront and its manufacturer is told.")
)
VARIATION_GRID_DIALOG = Dialog(
    _("Add variations: sizes × colours"),
    _(
        "Every size is made with every colour; combinations the product has already are left "
        "as they are. New variations get SKUs of their own."
    ),
    _("Add variations"),
    VariationGridForm,
)
DUPLICATE_DIALOG = Dialog(
    _("Duplicate product"),
    _(
        "A draft copy is made with the same details, variations and images, and no stock. "
        "Its variations get SKUs of their own."
    ),
    _("Duplicate"),
)
SUBMIT_DIALOG = Dialog(
    _("Submit for approval"),
    _("Staff review the product before it appears on the storefront."),
    _("Submit"),
)


class ProductActionsMixin:
    """Permissions and actions of the product admins (ScopedAdminMixin provides the scoping)."""

    # -- permissions of the custom actions (unfold passes an object id on detail pages) --

    def _status_of(self, request, obj) -> str | None:
        if obj is None:
            return None
        if isinstance(obj, Product):
            return obj.approval_status
        return (
            self.get_queryset(request)
            .filter(pk=obj)
            .values_list("approval_status", flat=True)
            .first()
        )

    def _may(self, request, obj, statuses) -> bool:
        return self._status_of(request, obj) in (None, *statuses)

    def has_moderate_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self.has_change_permission(request, obj)

    def has_approve_permission(self, request, obj=None) -> bool:
        return self.has_moderate_permission(request, obj) and self._may(
            request, obj, APPROVAL_MOVES.sources(ApprovalStatus.APPROVED)
        )

    def has_reject_permission(self, request, obj=None) -> bool:
        return self.has_moderate_permission(request, obj) and self._may(
            request, obj, APPROVAL_MOVES.sources(ApprovalStatus.REJECTED)
        )

    def has_submit_permission(self, request, obj=None) -> bool:
        # An approved product goes back to approval by being edited, not by this button.
        return self.has_change_permission(request, obj) and self._may(
            request, obj, APPROVAL_MOVES.sources(ApprovalStatus.PENDING) - {ApprovalStatus.APPROVED}
        )

    def has_adjust_stock_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def has_duplicate_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and self.has_add_permission(request)

    # -- bulk actions --

    @action(description=_("Submit selected for approval"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        done, skipped = 0, 0
        for product in queryset:
            try:
                product_submit(product=product, actor=request.user)
                done += 1
            except CatalogError:
                skipped += 1
        self._report(request, done, skipped, _("submitted for approval"))

    @action(description=_("Edit price, discount or stock of selected…"), permissions=["change"])
    def bulk_edit(self, request, queryset):
        """A page: the changes, then their preview (every product and variation, before and
        after), then "Apply" writes them all in one transaction, or none."""
        products = list(queryset.prefetch_related("variations").order_by("name", "pk")[
            : BULK_EDIT_MAX + 1
        ])
        if len(products) > BULK_EDIT_MAX:
            messages.error(
                request, _("Edit at most %(n)d products at once: select fewer.") % {"n": BULK_EDIT_MAX}
            )
            return None
        asked = "_preview" in request.POST or "_apply" in request.POST
        form = BulkEditForm(request.POST if asked else None)
        changes, refusal = [], None
        if asked and form.is_valid():
            try:
                if "_apply" in request.POST:
                    done = products_bulk_edit(
                        products=products, edit=form.edit(), actor=request.user
                    )
                    messages.success(
                        request,
                        ngettext("%(n)d change made.", "%(n)d changes made.", len(done))
                        % {"n": len(done)},
                    )
                    return None
                changes = bulk_edit_preview(products=products, edit=form.edit())
            except (CatalogError, ValidationError) as exc:
                refusal = exc.messages[0]
        return bulk_action_page(
            self,
            request,
            template="admin/catalog/product/bulk_edit.html",
            title=_("Edit price, discount or stock"),
            form=form,
            objects=products,
            action_name="bulk_edit",
            changes=changes,
            previewed=asked and form.is_valid() and refusal is None,
            refusal=refusal,
        )

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
        return bulk_action_page(
            self,
            request,
            template="admin/catalog/product/reject_selected.html",
            title=_("Reject products"),
            form=form,
            objects=queryset,
            action_name="reject_selected",
            submit_label=_("Reject"),
        )

    def _report(self, request, done: int, skipped: int, verb) -> None:
        report_done_skipped(
            request,
            done=done,
            skipped=skipped,
            noun=PRODUCT_NOUN,
            verb=verb,
            why=_("their status does not allow it."),
        )

    # -- detail actions: dialogs, run only on the dialog's POST (with its CSRF token) --

    @dialog_action(
        _("Adjust stock"), "swap_vert", "adjust-stock", "adjust_stock", ADJUST_STOCK_DIALOG
    )
    def adjust_stock(self, request, form, object_id):
        self.get_scoped_or_403(request, object_id)
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
        return htmx_redirect(self.change_url(object_id))

    def has_variation_grid_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    @dialog_action(
        _("Sizes × colours"), "grid_on", "variation-grid", "variation_grid", VARIATION_GRID_DIALOG
    )
    def variation_grid(self, request, form, object_id):
        product = self.get_scoped_or_403(request, object_id)
        data = form.cleaned_data
        try:
            made = variations_grid_create(
                product=product,
                actor=request.user,
                sizes=grid_values(data.get("sizes") or ""),
                colors=grid_values(data.get("colors") or ""),
                stock=data["stock"],
            )
        except (CatalogError, ValidationError) as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                ngettext("%(n)d variation added.", "%(n)d variations added.", len(made))
                % {"n": len(made)}
                if made
                else _("The product has every one of these variations already."),
            )
        return htmx_redirect(self.change_url(object_id))

    @dialog_action(_("Duplicate"), "content_copy", "duplicate", "duplicate", DUPLICATE_DIALOG)
    def duplicate_detail(self, request, form, object_id):
        product = self.get_scoped_or_403(request, object_id)
        try:
            copy = product_duplicate(product=product, actor=request.user)
        except (CatalogError, ValidationError) as exc:
            messages.error(request, exc.messages[0])
            return htmx_redirect(self.change_url(object_id))
        messages.success(
            request,
            _("“%(name)s” is a draft copy: check it and submit it for approval.")
            % {"name": copy.name},
        )
        return htmx_redirect(self.change_url(copy.pk))

    @dialog_action(_("Submit for approval"), "send", "submit", "submit", SUBMIT_DIALOG)
    def submit_detail(self, request, form, object_id):
        self._moderate(
            request, object_id, product_submit, _("Submitted for approval. Staff have been told.")
        )
        return htmx_redirect(self.change_url(object_id))

    @dialog_action(_("Approve"), "check_circle", "approve", "approve", APPROVE_DIALOG)
    def approve_detail(self, request, form, object_id):
        self._moderate(request, object_id, product_approve, _("“%(name)s” approved."))
        return htmx_redirect(self.after_decision_url(request, object_id))

    @dialog_action(_("Reject"), "block", "reject", "reject", REJECT_PAGE_DIALOG)
    def reject_detail(self, request, form, object_id):
        self._moderate(
            request,
            object_id,
            product_reject,
            _("“%(name)s” rejected."),
            reason=form.cleaned_data["reason"],
        )
        return htmx_redirect(self.after_decision_url(request, object_id))

    def after_decision_url(self, request, object_id) -> str:
        """Where the page goes after staff approve or reject: back to the product."""
        return self.change_url(object_id)

    def _moderate(self, request, object_id, service, done_message, **kwargs) -> None:
        """Run one approval service on a product this user may see; say what happened."""
        product = self.get_scoped_or_403(request, object_id)
        try:
            service(product=product, actor=request.user, **kwargs)
        except CatalogError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, done_message % {"name": product.name})
