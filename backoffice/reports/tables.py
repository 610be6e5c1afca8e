"""django-tables2 tables of the reports: what each column shows on screen and in the CSV.

Columns named ``manufacturer`` are staff-only: the views drop them for a manufacturer, who would
only ever see their own name there.
"""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import money_format, money_header
from imports.admin_status import import_status, import_status_badge

STAFF_ONLY_COLUMNS = ("manufacturer",)
NUMBER = {"th": {"class": "martaf-num"}, "td": {"class": "martaf-num"}, "tf": {"class": "martaf-num"}}


def csv_money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def csv_when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def admin_link(url: str, text) -> str:
    """A link inside a report or dashboard table."""
    return format_html('<a class="martaf-link" href="{}">{}</a>', url, text)


def _product_url(product_id) -> str:
    return reverse("admin:catalog_product_change", args=[product_id])


class MoneyColumn(tables.Column):
    """An amount: with its currency on screen ("₦19,042.50"); a plain number in the CSV, whose
    header names the currency instead ("revenue (NGN)"), so a spreadsheet can add it up."""

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(**kwargs)

    def render(self, value):
        return money_format(value)

    def value(self, value):
        return csv_money(value)


class ReportTable(tables.Table):
    # django-tables2 reads only a table's own Meta: every subclass declares Meta(ReportTable.Meta).
    class Meta:
        template_name = "admin/reports/table.html"
        attrs = {"class": "martaf-report-table"}
        per_page = 25

    def prepare_export(self) -> None:
        """Before a CSV export: money headers name the currency."""
        for bound in self.columns:
            if isinstance(bound.column, MoneyColumn):
                bound.column.verbose_name = money_header(str(bound.header))


class ManufacturerColumn(tables.Column):
    """The seller's display name (``manufacturer__manufacturer_profile`` selected along)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("manufacturer"))
        kwargs.setdefault("order_by", ("manufacturer__manufacturer_profile__display_name",))
        super().__init__(**kwargs)

    def render(self, value):
        profile = getattr(value, "manufacturer_profile", None)
        return profile.display_name if profile else value.email


class LowStockTable(ReportTable):
    product = tables.Column(
        verbose_name=_("product"), accessor="product__name", order_by=("product__name", "pk")
    )
    variation = tables.Column(
        verbose_name=_("variation"), accessor="label", orderable=False, default="—"
    )
    sku = tables.Column(verbose_name=_("SKU"), default="—")
    manufacturer = ManufacturerColumn()
    stock = tables.Column(verbose_name=_("stock"), attrs=NUMBER)
    low_stock_threshold = tables.Column(
        verbose_name=_("threshold"), attrs=NUMBER
    )
    state = tables.Column(verbose_name=_("state"), accessor="stock", orderable=False)

    class Meta(ReportTable.Meta):
        sequence = ("product", "variation", "sku", "manufacturer", "stock", "low_stock_threshold")

    def render_product(self, value, record):
        return admin_link(_product_url(record.product_id), value)

    def value_product(self, value):
        return value

    def render_state(self, value):
        if value == 0:
            return format_html('<span class="martaf-badge martaf-badge--danger">{}</span>', _("Out"))
        return format_html('<span class="martaf-badge martaf-badge--warning">{}</span>', _("Low"))

    def value_state(self, value):
        return "out" if value == 0 else "low"


class StockLedgerTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    created_at = tables.DateTimeColumn(verbose_name=_("when"), format="Y-m-d H:i")
    label = tables.Column(verbose_name=_("item"))
    manufacturer = ManufacturerColumn()
    reason = tables.Column(verbose_name=_("reason"))
    delta = tables.Column(verbose_name=_("change"), attrs=NUMBER)
    stock_after = tables.Column(
        verbose_name=_("stock after"), attrs=NUMBER
    )
    actor = tables.Column(verbose_name=_("by"), orderable=False, default=_("System"))
    note = tables.Column(verbose_name=_("note"), orderable=False, default="")

    def render_label(self, value, record):
        if record.product_id is None:
            return value
        return admin_link(_product_url(record.product_id), value)

    def value_label(self, value):
        return value

    def value_created_at(self, value):
        return csv_when(value)

    def render_delta(self, value):
        css = "martaf-up" if value > 0 else "martaf-down"
        return format_html('<span class="{}">{}</span>', css, f"{value:+d}")

    def value_delta(self, value):
        return value

    def render_actor(self, value):
        return value.display_name


class SalesTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    name = tables.Column(verbose_name=_("name"), footer=_("Total"))
    quantity = tables.Column(
        verbose_name=_("units"), attrs=NUMBER, footer=lambda table: table.totals["quantity"]
    )
    orders = tables.Column(
        verbose_name=_("orders"), attrs=NUMBER, footer=lambda table: table.totals["orders"]
    )
    revenue = MoneyColumn(
        verbose_name=_("revenue"), footer=lambda table: money_format(table.totals["revenue"])
    )

    def __init__(
        self,
        *args,
        group_by: str = "product",
        labels: dict | None = None,
        totals: dict | None = None,
        **kwargs,
    ):
        self.group_by = group_by
        self.labels = labels or {}
        # The totals row (units, distinct orders, revenue) of every row, not just this page.
        self.totals = totals
        # One default sort shown (the data's own tie-break on name would show a second arrow).
        kwargs.setdefault("order_by", ("-revenue",))
        kwargs.setdefault("show_footer", bool(totals and totals["orders"]))
        super().__init__(*args, **kwargs)
        self.columns["name"].column.verbose_name = {
            "product": _("product"),
            "manufacturer": _("manufacturer"),
            "category": _("category"),
        }[group_by]

    def _name(self, value, record) -> str:
        if self.group_by == "category":
            return self.labels.get(record["key"], value)
        return value or _("(deleted)")

    def render_name(self, value, record):
        name = self._name(value, record)
        if self.group_by == "product" and record["key"]:
            return admin_link(_product_url(record["key"]), name)
        return name

    def value_name(self, value, record):
        return self._name(value, record)


def _total(name: str):
    return lambda table: money_format(table.totals[name] or 0)


class CommissionTable(ReportTable):
    """The marketplace's commission per month, day or manufacturer, with a totals row."""

    class Meta(ReportTable.Meta):
        pass

    bucket = tables.Column(verbose_name=_("month"), footer=_("Total"))
    orders = tables.Column(
        verbose_name=_("orders"), attrs=NUMBER, footer=lambda table: table.totals["orders"]
    )
    online = MoneyColumn(verbose_name=_("on sales paid online"), footer=_total("online"))
    cash = MoneyColumn(verbose_name=_("on cash collected"), footer=_total("cash"))
    returned = MoneyColumn(verbose_name=_("returned with refunds"), footer=_total("returned"))
    net = MoneyColumn(verbose_name=_("commission"), footer=_total("net"))

    def __init__(self, *args, group_by: str = "month", totals: dict | None = None, **kwargs):
        self.group_by = group_by
        self.totals = totals or {}
        kwargs.setdefault("show_footer", bool(self.totals.get("orders")))
        super().__init__(*args, **kwargs)
        self.columns["bucket"].column.verbose_name = {
            "month": _("month"), "day": _("day"), "manufacturer": _("manufacturer"),
        }[group_by]

    def _bucket(self, value, record) -> str:
        if self.group_by == "month":
            return timezone.localtime(value).strftime("%Y-%m") if hasattr(value, "hour") else (
                value.strftime("%Y-%m")
            )
        if self.group_by == "day":
            return value.isoformat()
        return record.get("name") or record.get("email") or _("(deleted)")

    def render_bucket(self, value, record):
        return self._bucket(value, record)

    def value_bucket(self, value, record):
        return self._bucket(value, record)


class ReviewRatingsTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    name = tables.Column(verbose_name=_("product"))
    manufacturer = ManufacturerColumn()
    rating_average = tables.Column(
        verbose_name=_("average"), attrs=NUMBER, default="—"
    )
    review_count = tables.Column(
        verbose_name=_("published"), attrs=NUMBER
    )
    stars_5 = tables.Column(verbose_name="5★", attrs=NUMBER)
    stars_4 = tables.Column(verbose_name="4★", attrs=NUMBER)
    stars_3 = tables.Column(verbose_name="3★", attrs=NUMBER)
    stars_2 = tables.Column(verbose_name="2★", attrs=NUMBER)
    stars_1 = tables.Column(verbose_name="1★", attrs=NUMBER)
    pending_count = tables.Column(
        verbose_name=_("awaiting moderation"), attrs=NUMBER
    )

    def render_name(self, value, record):
        return admin_link(_product_url(record.pk), value)

    def value_name(self, value):
        return value

    def render_rating_average(self, value):
        return format_html("{} ★", f"{value:.2f}")

    def value_rating_average(self, value):
        return "" if value is None else f"{value:.2f}"


class ImportHistoryTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    created_at = tables.DateTimeColumn(verbose_name=_("uploaded"), format="Y-m-d H:i")
    original_name = tables.Column(verbose_name=_("file"))
    manufacturer = ManufacturerColumn(default=_("several"))
    status = tables.Column(verbose_name=_("status"))
    rows_total = tables.Column(verbose_name=_("rows"), attrs=NUMBER)
    created_count = tables.Column(verbose_name=_("new"), attrs=NUMBER)
    updated_count = tables.Column(
        verbose_name=_("updated"), attrs=NUMBER
    )
    unchanged_count = tables.Column(
        verbose_name=_("unchanged"), attrs=NUMBER
    )
    skipped_count = tables.Column(
        verbose_name=_("skipped"), attrs=NUMBER
    )
    error_count = tables.Column(verbose_name=_("errors"), attrs=NUMBER)
    finished_at = tables.DateTimeColumn(verbose_name=_("finished"), format="Y-m-d H:i")

    def render_original_name(self, value, record):
        url = reverse("admin:imports_productimport_change", args=[record.pk])
        return admin_link(url, value)

    def value_original_name(self, value):
        return value

    def value_created_at(self, value):
        return csv_when(value)

    def value_finished_at(self, value):
        return csv_when(value)

    def render_status(self, value, record):
        # The one status vocabulary of imports (the Imports list and page say the same).
        return import_status_badge(record)

    def value_status(self, value, record):
        return str(import_status(record))

    def render_error_count(self, value):
        if value:
            return format_html('<span class="martaf-error">{}</span>', value)
        return value

    def value_error_count(self, value):
        return value
