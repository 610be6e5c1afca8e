"""The report pages: a filter form, a sortable paginated table in an unfold card, a CSV export.

Each page is mounted by the admin site behind ``admin_view`` (signed in, allowed into the
backoffice) and checks its own model permission; the rows come from the scoping selectors, so a
manufacturer's page and CSV only ever hold their own data.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.export import TableExport
from tablib import Dataset

from backoffice.reports import forms, selectors, tables
from core.spreadsheet import spreadsheet_cell
from money.selectors import commission_revenue, commission_revenue_totals

EXPORT_PARAM = "_export"


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    icon: str  # in the sidebar (distinct from the icons of the model pages beside it)
    permission: str
    form_class: type[forms.ReportFilterForm]
    table_class: type[tables.ReportTable]
    rows: Any  # (user, cleaned filter data) -> queryset or list
    table_kwargs: Any = field(default=None)  # (user, form) -> extra table kwargs
    nav_title: str = ""  # a shorter title for the sidebar, if the title is long
    staff_only: bool = False  # the marketplace's own figures: never a manufacturer's page
    empty_text: str = ""  # what an empty report without filters means, and what to do

    @property
    def url_name(self) -> str:
        return f"reports_{self.slug.replace('-', '_')}"


class SafeTableExport(TableExport):
    """django-tables2's export with every cell made safe to open in a spreadsheet (formulae
    escaped, control characters dropped: ``core.spreadsheet``, as the catalogue export)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        raw = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = ([spreadsheet_cell(value) for value in row] for row in raw)
        return Dataset(*rows, headers=raw.headers, title=raw.title)


def _valid(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _period(data: dict) -> dict:
    return {"date_from": data.get("date_from"), "date_to": data.get("date_to")}


def _sales_filters(data: dict) -> dict:
    return {"category": data.get("category"), **_period(data)}


REPORTS = [
    Report(
        slug="low-stock",
        title=_("Low stock"),
        description=_("Variations at or under their low-stock threshold, emptiest first."),
        icon="production_quantity_limits",
        permission="catalog.view_variation",
        form_class=forms.LowStockFilterForm,
        table_class=tables.LowStockTable,
        rows=lambda user, data: selectors.low_stock_variations(
            user=user, state=data.get("state", "")
        ),
        empty_text=_("No variation is at or under its low-stock threshold: stock is healthy."),
    ),
    Report(
        slug="stock-ledger",
        title=_("Stock ledger"),
        description=_("Every change of stock: orders, imports, restocks, manual adjustments."),
        icon="receipt",
        permission="catalog.view_stockmovement",
        form_class=forms.StockLedgerFilterForm,
        table_class=tables.StockLedgerTable,
        rows=lambda user, data: selectors.stock_ledger(
            user=user, product=data.get("product"), reason=data.get("reason", ""), **_period(data)
        ),
        empty_text=_("No stock changes yet: orders, imports and adjustments are listed here."),
    ),
    Report(
        slug="sales",
        title=_("Sales"),
        description=_("Units, orders and revenue of order lines (cancelled orders left out)."),
        icon="payments",
        permission="orders.view_orderitem",
        form_class=forms.SalesFilterForm,
        table_class=tables.SalesTable,
        rows=lambda user, data: selectors.sales_summary(
            user=user,
            group_by=data.get("group_by") or "product",
            **_sales_filters(data),
        ),
        table_kwargs=lambda user, form: {
            "group_by": _valid(form).get("group_by") or "product",
            "labels": form.category_labels,
            "totals": selectors.sales_totals(user=user, **_sales_filters(_valid(form))),
        },
        empty_text=_("No sales yet: order lines appear here once buyers check out."),
    ),
    Report(
        slug="commission",
        title=_("Commission revenue"),
        description=_(
            "What the marketplace earned in commission: on sales paid online (at delivery), on "
            "cash collected, less what refunds returned."
        ),
        icon="percent",
        permission="money.view_ledgerentry",
        staff_only=True,
        form_class=forms.CommissionFilterForm,
        table_class=tables.CommissionTable,
        rows=lambda user, data: commission_revenue(
            group_by=data.get("group_by") or "month", **_period(data)
        ),
        table_kwargs=lambda user, form: {
            "group_by": _valid(form).get("group_by") or "month",
            "totals": commission_revenue_totals(**_period(_valid(form))),
        },
        nav_title=_("Commission"),
        empty_text=_("No commission yet: it is recorded when orders are delivered or their "
                     "cash collected."),
    ),
    Report(
        slug="reviews",
        title=_("Ratings by product"),
        description=_("Published ratings per product, star by star, and what awaits moderation."),
        icon="star_half",
        permission="reviews.view_review",
        form_class=forms.ReviewFilterForm,
        table_class=tables.ReviewRatingsTable,
        rows=lambda user, data: selectors.ratings_by_product(
            user=user, search=data.get("search", ""), max_average=data.get("max_average")
        ),
        nav_title=_("Ratings"),
        empty_text=_("No products to rate yet."),
    ),
    Report(
        slug="imports",
        title=_("Import history"),
        description=_("Catalogue imports and what each one did."),
        icon="history",
        permission="imports.view_productimport",
        form_class=forms.ImportFilterForm,
        table_class=tables.ImportHistoryTable,
        rows=lambda user, data: selectors.import_history(
            user=user, status=data.get("status", ""), **_period(data)
        ),
        empty_text=_("No imports yet: upload a CSV from Catalogue → Imports."),
    ),
]


def report_allowed(*, user, report: Report) -> bool:
    if report.staff_only and not user.is_staff:
        return False
    return user.is_active and user.has_perm(report.permission)


def _shown_value(form, name: str, value) -> str:
    field = form.fields[name]
    if isinstance(value, date):
        return value.isoformat()
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(value, value))


def filters_in_force(form) -> list[str]:
    """The filters a report shows, as "label: value", for the message of an empty report."""
    data = _valid(form)
    preset = data.get("period") not in (None, "", forms.Period.CUSTOM)
    return [
        f"{form.fields[name].label}: {_shown_value(form, name, value)}"
        for name, value in data.items()
        if value not in (None, "")
        and not (preset and name in ("date_from", "date_to"))
        and not (name == "period" and value == forms.Period.CUSTOM)
    ]


def _with_period_shown(request: HttpRequest, form):
    """The fields show the period in force: a preset ("Last 7 days") fills in the dates it
    stands for, dates typed without a preset show as "Custom range", and a date typed into the
    address day first ("01/11/2026") shows in the date picker, which takes only YYYY-MM-DD
    (and shows nothing for the date as typed)."""
    data = _valid(form)
    period = data.get("period") or ""
    query = request.GET.copy()
    if period == forms.Period.CUSTOM:
        query["period"] = period
        for name in ("date_from", "date_to"):
            if data.get(name):
                query[name] = data[name].isoformat()
    elif period:
        query["date_from"] = data["date_from"].isoformat()
        query["date_to"] = data["date_to"].isoformat()
    if query == request.GET:
        return form
    return type(form)(query, user=form.user)


def report_view(request: HttpRequest, *, report: Report) -> HttpResponse:
    user = request.user
    if not report_allowed(user=user, report=report):
        raise PermissionDenied
    form = report.form_class(request.GET or None, user=user)
    if isinstance(form, forms.DateRangeMixin):
        form = _with_period_shown(request, form)
    # An invalid filter (an unreadable date, an end before the start) shows its error and no
    # table: figures for filters other than the ones asked would be read as the answer.
    if form.is_bound and not form.is_valid():
        return _report_page(request, report=report, form=form, table=None, in_force=[])
    data = _valid(form)
    extra = report.table_kwargs(user, form) if report.table_kwargs else {}
    exclude = () if user.is_staff else tables.STAFF_ONLY_COLUMNS
    table = report.table_class(report.rows(user, data), exclude=exclude, **extra)
    in_force = filters_in_force(form)
    table.empty_text = (
        _("Nothing matches these filters (%(filters)s). Change or reset them.")
        % {"filters": "; ".join(in_force)}
        if in_force
        else report.empty_text
    )

    if request.GET.get(EXPORT_PARAM) == "csv":
        RequestConfig(request, paginate=False).configure(table)
        table.prepare_export()
        stamp = timezone.localdate().isoformat()
        return SafeTableExport("csv", table).response(f"{report.slug}-{stamp}.csv")

    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return _report_page(request, report=report, form=form, table=table, in_force=in_force)


def _report_page(request: HttpRequest, *, report: Report, form, table, in_force) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    query[EXPORT_PARAM] = "csv"
    context = {
        **admin.site.each_context(request),
        "title": report.title,
        "report": report,
        "form": form,
        "table": table,
        "export_query": query.urlencode(),
        "has_filters": bool(in_force) or form.is_bound,
    }
    # A refused filter answers 400 (the page shows why), so a CSV asked with it is no file.
    return TemplateResponse(
        request, "admin/reports/report.html", context, status=200 if table is not None else 400
    )
