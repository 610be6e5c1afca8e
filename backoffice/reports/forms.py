"""The small GET filter forms above each report. Choices come from the user's own scope."""

from datetime import date, timedelta

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import BASE_INPUT_CLASSES, SELECT_CLASSES

from catalog.models import Category, Product, StockReason
from catalog.selectors import category_labels, products_visible_to
from core.dates import date_input_formats, date_typing_hint
from imports.admin_status import IMPORT_STATES
from users.models import User


class ReportFilterForm(forms.Form):
    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # unfold's own input classes: its stylesheet is precompiled Tailwind.
            classes = SELECT_CLASSES if isinstance(field.widget, forms.Select) else BASE_INPUT_CLASSES
            field.widget.attrs["class"] = " ".join(classes)


class Period(models.TextChoices):
    """Date presets of the reports; "custom" uses the two dates as typed."""

    ALL = "", _("Any time")
    TODAY = "today", _("Today")
    LAST_7 = "7d", _("Last 7 days")
    LAST_30 = "30d", _("Last 30 days")
    THIS_MONTH = "month", _("This month")
    CUSTOM = "custom", _("Custom range")


def period_range(period: str, *, today: date) -> tuple[date | None, date | None]:
    """The dates a preset stands for, both ends included (the reports' periods are whole days)."""
    return {
        Period.TODAY: (today, today),
        Period.LAST_7: (today - timedelta(days=6), today),
        Period.LAST_30: (today - timedelta(days=29), today),
        Period.THIS_MONTH: (today.replace(day=1), today),
    }.get(period, (None, None))


class _DayField(forms.DateField):
    """A date with the browser's date picker (which sends YYYY-MM-DD); a date typed into the
    address (a bookmark, a shared link) is read in the locale's order (``core.dates``): day
    first in ``en_NG``. An unreadable date is an error that names the order expected."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    @property
    def input_formats(self) -> list[str]:  # read per request: the locale is a setting
        return date_input_formats()

    @input_formats.setter
    def input_formats(self, value) -> None:
        pass  # Django's default formats (month first) are never used here

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date: pick one, or type it as YYYY-MM-DD or %(hint)s."),
                code="invalid",
                params={"value": str(value)[:40], "hint": date_typing_hint()},
            ) from None


class DateRangeMixin(forms.Form):
    """A period preset plus a custom range, picked in the browser's calendar or typed (see
    ``_DayField``)."""

    period = forms.ChoiceField(label=_("Period"), required=False, choices=Period.choices)
    date_from = _DayField(label=_("From"))
    date_to = _DayField(label=_("To"))

    def clean(self):
        data = super().clean()
        period = data.get("period") or ""
        if period and period != Period.CUSTOM:
            data["date_from"], data["date_to"] = period_range(period, today=timezone.localdate())
        elif not period and (data.get("date_from") or data.get("date_to")):
            # Dates typed without choosing "Custom range" still count, as typed.
            data["period"] = Period.CUSTOM
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class LowStockFilterForm(ReportFilterForm):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Low and out of stock")), ("low", _("Low stock")), ("out", _("Out of stock"))],
    )


class StockLedgerFilterForm(DateRangeMixin, ReportFilterForm):
    product = forms.ModelChoiceField(
        label=_("Product"), required=False, queryset=Product.objects.none(), empty_label=_("All")
    )
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("All")), *StockReason.choices]
    )
    field_order = ["product", "reason", "period", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own products: another manufacturer's id is "not a valid choice".
        self.fields["product"].queryset = products_visible_to(user=self.user).order_by("name")


class SalesFilterForm(DateRangeMixin, ReportFilterForm):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            ("product", _("Product")),
            ("manufacturer", _("Manufacturer")),
            ("category", _("Category")),
        ],
    )
    category = forms.TypedChoiceField(
        label=_("Category (with subcategories)"), required=False, coerce=int, empty_value=None
    )
    field_order = ["group_by", "category", "period", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = category_labels()
        self.category_labels = labels
        self.fields["category"].choices = [("", _("All")), *labels.items()]
        if not self.user.is_staff:
            # A manufacturer's sales are all their own: one row would say nothing.
            self.fields["group_by"].choices = [
                choice for choice in self.fields["group_by"].choices if choice[0] != "manufacturer"
            ]

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        return Category.objects.filter(pk=pk).first() if pk else None


class CommissionFilterForm(DateRangeMixin, ReportFilterForm):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[("month", _("Month")), ("day", _("Day")), ("manufacturer", _("Manufacturer"))],
    )
    field_order = ["group_by", "period", "date_from", "date_to"]


class ReviewFilterForm(ReportFilterForm):
    search = forms.CharField(label=_("Product"), required=False)
    max_average = forms.DecimalField(
        label=_("Average at most"), required=False, min_value=1, max_value=5, decimal_places=2
    )


class ImportFilterForm(DateRangeMixin, ReportFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *((key, label) for key, (label, _q) in IMPORT_STATES.items())],
    )
    field_order = ["status", "period", "date_from", "date_to"]
