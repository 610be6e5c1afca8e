"""Forms of the product admin. They check what needs no database; the services decide the rest
and their refusals come back onto these forms (``ProductWriteRefused``)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    BASE_INPUT_CLASSES,
    SELECT_CLASSES,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from catalog import limits
from catalog.images import image_validate
from catalog.models import Product, StockReason, Variation
from catalog.selectors import variations_visible_to
from catalog.services.bulk_edit import BulkEdit
from catalog.services.variation_grid import grid_values


def _bound_text(form, *, single_line=(), multiline=()) -> None:
    """The catalogue's text rules (``catalog.limits``) on a form's fields: no control
    characters (tabs and line breaks allowed in multi-line text)."""
    for names, validator in ((single_line, limits.no_control_characters),
                             (multiline, limits.no_control_characters_multiline)):
        for name in names:
            if name in form.fields:
                form.fields[name].validators.append(validator)


@dataclass
class ProductWriteRefused(Exception):
    """A service refused the product page's save: which form it is about (``formset`` None for
    the product form, else the inline's prefix), which row and field, and the messages."""

    formset: str | None
    row: int | None
    field: str | None
    messages: list[str]


class RefusalMixin:
    """Shows the refusal of the previous attempt (set on the class by the admin) on a form."""

    refusal: ProductWriteRefused | None = None

    def show_refusal(self, form, formset: str | None) -> None:
        refusal = self.refusal
        if refusal is None or refusal.formset != formset:
            return
        if formset is not None and refusal.row is not None and refusal.row < len(self.forms):
            form = self.forms[refusal.row]
        elif formset is not None:
            raise ValidationError(refusal.messages)
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.messages)


class ProductAdminForm(RefusalMixin, forms.ModelForm):
    # Only on the add page (see ProductAdmin.get_fieldsets): the stock of a product without
    # variations. Later changes go through the variations and the stock history.
    stock = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=limits.STOCK_MAX,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bound_text(self, single_line=("name",), multiline=("description",))
        if "description" in self.fields:
            self.fields["description"].max_length = limits.PRODUCT_DESCRIPTION_MAX
            self.fields["description"].validators.append(
                MaxLengthValidator(limits.PRODUCT_DESCRIPTION_MAX)
            )

    def clean(self):
        data = super().clean()
        self.show_refusal(self, None)
        return data


class RefusalFormSet(RefusalMixin, BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors):
            self.show_refusal(None, self.prefix)


class VariationInlineFormSet(RefusalFormSet):
    """Checks within the page (an SKU twice); the services check against the database."""

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            if form.instance.pk is None:
                # A row posted as an existing variation whose id is not one of this product's
                # (a tampered or stale page): Django would treat it as a new row, and the save
                # would then replace the product's variations.
                form.add_error(None, _("This variation is not one of this product's. Reload "
                                       "the page."))
        if any(self.errors):
            return
        skus = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            sku = (form.cleaned_data.get("sku") or "").strip()
            if sku and sku in skus:
                form.add_error("sku", _("This SKU appears twice on this product."))
            skus.add(sku)


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
        _bound_text(self, single_line=("size", "color", "sku"))
        for name, top in (("stock", limits.STOCK_MAX),
                          ("low_stock_threshold", limits.LOW_STOCK_THRESHOLD_MAX)):
            self.fields[name].max_value = top
            self.fields[name].validators.append(MaxValueValidator(top))
            self.fields[name].widget.attrs["max"] = top

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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The images are dragged into order (the inline is sortable); a new image left where
        # it was added goes after the others rather than at position 0 with them.
        self.fields["position"].required = False
        if self.instance.pk is None:
            self.fields["position"].initial = None

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
        min_value=-limits.STOCK_MAX,
        max_value=limits.STOCK_MAX,
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
        self.fields["variation"].label_from_instance = lambda v: (
            f"{v.label or _('Default')} ({_('stock')}: {v.stock})"
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


class BulkEditForm(forms.Form):
    """The bulk edit page: what to change on every selected product (left empty: unchanged)."""

    price_mode = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("Leave as it is")), ("set", _("Set to")), ("percent", _("Change by %"))],
    )
    price_value = forms.DecimalField(
        label=_("Amount or %"), required=False, max_digits=12, decimal_places=2,
        help_text=_("A new price, or a percentage: 10 raises prices by 10 %, -15 lowers them."),
    )
    discount_percent = forms.DecimalField(
        label=_("Discount %"), required=False, min_value=0, max_value=100, decimal_places=2,
        help_text=_("Left empty: each keeps its own."),
    )
    stock_mode = forms.ChoiceField(
        label=_("Stock of each variation"),
        required=False,
        choices=[("", _("Leave as it is")), ("set", _("Set to")), ("add", _("Add (or remove)"))],
    )
    stock_value = forms.IntegerField(
        label=_("Units"), required=False, min_value=-limits.STOCK_MAX, max_value=limits.STOCK_MAX
    )
    reason = forms.ChoiceField(
        label=_("Stock reason"),
        required=False,
        choices=[(StockReason.MANUAL, StockReason.MANUAL.label),
                 (StockReason.RESTOCK, StockReason.RESTOCK.label)],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            classes = SELECT_CLASSES if isinstance(widget, forms.Select) else BASE_INPUT_CLASSES
            widget.attrs["class"] = " ".join(classes)

    def clean(self):
        data = super().clean()
        if data.get("price_mode") and data.get("price_value") is None:
            self.add_error("price_value", _("Give the new price or the percentage."))
        if data.get("stock_mode") and data.get("stock_value") is None:
            self.add_error("stock_value", _("Give the number of units."))
        if data.get("stock_mode") == "set" and (data.get("stock_value") or 0) < 0:
            self.add_error("stock_value", _("Stock cannot be set below 0."))
        if not (data.get("price_mode") or data.get("stock_mode")) and data.get(
            "discount_percent"
        ) is None and not self.errors:
            raise forms.ValidationError(_("Choose at least one change."))
        return data

    def edit(self) -> BulkEdit:
        data = self.cleaned_data
        return BulkEdit(
            price_mode=data.get("price_mode") or "",
            price_value=data.get("price_value"),
            discount_percent=data.get("discount_percent"),
            stock_mode=data.get("stock_mode") or "",
            stock_value=data.get("stock_value"),
            reason=data.get("reason") or StockReason.MANUAL,
            note=data.get("note") or "",
        )


class VariationGridForm(BaseDialogForm):
    """Sizes × colours: the variations to make at once (either list may be left empty)."""

    sizes = forms.CharField(
        label=_("Sizes"), required=False, max_length=1000, widget=UnfoldAdminTextInputWidget,
        help_text=_("Separated by commas, e.g. S, M, L, XL."),
    )
    colors = forms.CharField(
        label=_("Colours"), required=False, max_length=1000, widget=UnfoldAdminTextInputWidget,
        help_text=_("Separated by commas, e.g. Red, Blue."),
    )
    stock = forms.IntegerField(
        label=_("Stock of each new variation"), min_value=0, max_value=limits.STOCK_MAX,
        initial=0, widget=UnfoldAdminIntegerFieldWidget,
    )

    def clean(self):
        data = super().clean()
        if not (grid_values(data.get("sizes") or "") or grid_values(data.get("colors") or "")):
            raise ValidationError(_("Give sizes, colours, or both."))
        for name, limit in (("sizes", limits.VARIATION_SIZE_MAX),
                            ("colors", limits.VARIATION_COLOR_MAX)):
            too_long = [v for v in grid_values(data.get(name) or "") if len(v) > limit]
            if too_long:
                self.add_error(name, _("“%(value)s” is longer than %(n)d characters.")
                               % {"value": too_long[0][:40], "n": limit})
        return data
