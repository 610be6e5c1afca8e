"""Forms of the catalogue admin. They validate; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from catalog.images import image_validate
from catalog.models import Category, Product, StockReason, Variation
from catalog.selectors import category_labels, variations_visible_to
from catalog.services import MOVE_POSITIONS, CatalogError, category_check_name


class CategoryPathChoiceField(forms.ModelChoiceField):
    """A category select whose options read "Electronics > Phones > Android"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Category.objects.order_by("path"))
        kwargs.setdefault("widget", UnfoldAdminSelectWidget)
        super().__init__(*args, **kwargs)
        self._labels: dict[int, str] | None = None

    def label_from_instance(self, obj: Category) -> str:
        if self._labels is None:
            self._labels = category_labels()
        return self._labels.get(obj.pk, obj.name)


POSITION_CHOICES = [
    ("last-child", _("Last child of")),
    ("first-child", _("First child of")),
    ("left", _("Before (same level as)")),
    ("right", _("After (same level as)")),
]
assert {value for value, _label in POSITION_CHOICES} == MOVE_POSITIONS


class CategoryAdminForm(forms.ModelForm):
    parent = CategoryPathChoiceField(
        required=False,
        label=_("Parent"),
        help_text=_("Leave empty for a top-level category."),
    )
    move_target = CategoryPathChoiceField(
        required=False,
        label=_("Move"),
        help_text=_("Pick a category to move this one (with its sub-categories) next to."),
    )
    move_position = forms.ChoiceField(
        choices=POSITION_CHOICES,
        required=False,
        initial="last-child",
        label=_("Position"),
        widget=UnfoldAdminSelectWidget,
    )

    class Meta:
        model = Category
        fields = ["name", "slug", "description", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the name.")
        if self.instance.pk:
            # A category cannot move into its own subtree: offer only the rest of the tree.
            self.fields["move_target"].queryset = Category.objects.exclude(
                path__startswith=self.instance.path
            ).order_by("path")

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        if not name:
            return data
        if self.instance.pk is None:
            parent = data.get("parent")
        elif data.get("move_target"):
            target = data["move_target"]
            parent = target if data.get("move_position", "").endswith("child") else Category.objects.get_parent(target)
        else:
            parent = Category.objects.get_parent(self.instance)
        try:
            category_check_name(name=name, parent=parent, exclude_pk=self.instance.pk)
        except CatalogError as exc:
            self.add_error("name", exc.messages[0])
        return data

    def _post_clean(self):
        # The tree fields (path, depth) are set by the service, not by this form.
        self.instance.depth = self.instance.depth or 1
        self.instance.path = self.instance.path or "0000"
        super()._post_clean()

    def validate_unique(self):
        # Slug uniqueness is checked below with a clear message; treebeard's path is not ours.
        slug = self.cleaned_data.get("slug")
        if slug and Category.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            self.add_error("slug", _("Another category already uses this slug."))


class ProductAdminForm(forms.ModelForm):
    # Only on the add page (see ProductAdmin.get_fieldsets): the stock of a product without
    # variations. Later changes go through the variations and the stock history.
    stock = forms.IntegerField(
        required=False,
        min_value=0,
        initial=0,
        label=_("Stock"),
        help_text=_(
            "For a product without sizes or colours. With variations below, their stock "
            "counts instead."
        ),
        widget=UnfoldAdminIntegerFieldWidget,
    )

    class Meta:
        model = Product
        fields = "__all__"


class VariationInlineFormSet(BaseInlineFormSet):
    """Checks what the database constraints would refuse, as form errors, before any write."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept, skus = [], {}
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            kept.append(form)
            sku = (form.cleaned_data.get("sku") or "").strip()
            if sku:
                if sku in skus:
                    form.add_error("sku", _("This SKU appears twice on this product."))
                skus[sku] = form
        if self.instance.pk and not kept:
            raise ValidationError(
                _(
                    "A product needs at least one variation (or its own stock). Set the stock "
                    "to 0 instead of deleting the last one."
                )
            )
        manufacturer_id = self.instance.manufacturer_id
        if skus and manufacturer_id:
            taken = (
                Variation.objects.filter(manufacturer_id=manufacturer_id, sku__in=list(skus))
                .exclude(product_id=self.instance.pk)
                .values_list("sku", flat=True)
            )
            for sku in taken:
                skus[sku].add_error("sku", _("You already use this SKU on another product."))
        for form in kept:
            if form.instance.pk and form.stock_edited():
                seen = form.cleaned_data["stock_seen"]
                current = (
                    Variation.objects.filter(pk=form.instance.pk)
                    .values_list("stock", flat=True)
                    .first()
                )
                if current is not None and current != seen:
                    form.add_error(
                        "stock",
                        _("The stock changed to %(now)s since you opened this page. Reload.")
                        % {"now": current},
                    )


class VariationInlineForm(forms.ModelForm):
    """Carries the stock the page showed, so a save can tell "I changed the stock" from "the
    stock changed under me" (an order sold some meanwhile) and never undo the latter."""

    stock_seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Variation
        fields = ["size", "color", "sku", "stock", "price_override", "low_stock_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stock_seen"].initial = self.instance.stock

    def has_changed(self) -> bool:
        return bool(set(self.changed_data) - {"stock", "stock_seen"}) or self.stock_edited()

    def stock_edited(self) -> bool:
        if not self.instance.pk:
            return "stock" in self.changed_data
        data = getattr(self, "cleaned_data", None) or {}
        if "stock" in data and data.get("stock_seen") is not None:
            return data["stock"] != data["stock_seen"]
        return False


class ProductImageInlineForm(forms.ModelForm):
    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            image_validate(upload)
        return upload


class StockAdjustForm(BaseDialogForm):
    variation = forms.ModelChoiceField(
        queryset=Variation.objects.none(),
        label=_("Variation"),
        widget=UnfoldAdminSelectWidget,
    )
    change = forms.IntegerField(
        label=_("Change"),
        help_text=_("Positive to add stock, negative to take it away."),
        widget=UnfoldAdminIntegerFieldWidget,
    )
    reason = forms.ChoiceField(
        choices=[
            (StockReason.RESTOCK, StockReason.RESTOCK.label),
            (StockReason.MANUAL, StockReason.MANUAL.label),
            (StockReason.RETURN, StockReason.RETURN.label),
        ],
        label=_("Reason"),
        widget=UnfoldAdminSelectWidget,
    )
    note = forms.CharField(
        required=False, max_length=255, label=_("Note"), widget=UnfoldAdminTextInputWidget
    )

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        self.fields["variation"].queryset = (
            variations_visible_to(user=request.user)
            .filter(product_id=object_id)
            .select_related("product")
        )
        self.fields["variation"].label_from_instance = (
            lambda v: f"{v.label or _('Default')} ({_('stock')}: {v.stock})"
        )

    def clean_change(self):
        change = self.cleaned_data["change"]
        if change == 0:
            raise ValidationError(_("Enter a change other than 0."))
        return change


class RejectForm(BaseDialogForm):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The manufacturer sees this."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


class BulkRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Every selected product's manufacturer sees this."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )
