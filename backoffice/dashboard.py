"""The admin index ("dashboard"): what needs each role's attention today.

unfold calls ``dashboard_callback`` (settings.UNFOLD["DASHBOARD_CALLBACK"]) to fill the context
of templates/admin/index.html. Every figure comes from ``backoffice.reports.selectors``, which
start from the scoping selectors: a manufacturer's dashboard only ever counts their own data.
Each block is one query (a couple for the charts), so the page costs the same at any size.
"""

import json

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.approval import applications_waiting
from backoffice.checklist import checklist_context
from backoffice.reports import selectors
from backoffice.reports.tables import admin_link
from catalog.models import ApprovalStatus
from core.money import money_format
from imports.admin_status import import_status_badge
from money.selectors import payouts_awaiting_approval
from orders.models import OrderStatus
from users.models import User

PRIMARY = "var(--color-primary-600)"
PRIMARY_LIGHT = "var(--color-primary-300)"


def _card(title: str, value, *, icon: str, href: str = "", hint: str = "", alert=False) -> dict:
    return {"title": title, "value": value, "icon": icon, "href": href, "hint": hint,
            "alert": bool(alert)}


def _changelist(model: str, query: str = "") -> str:
    """The admin list of ``model`` ("app_model", e.g. "reviews_review"), optionally filtered."""
    return reverse(f"admin:{model}_changelist") + (f"?{query}" if query else "")


def _attention_card(title: str, count: int, *, icon: str, href: str, hint: str = "") -> dict:
    """A count of things waiting for someone, linking to them; highlighted while there are any."""
    return _card(title, count, icon=icon, href=href, hint=hint, alert=count)


def _shares(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    """Rows for unfold's progress bars: label, count and share of the total in percent."""
    total = sum(counts.values())
    return [
        {
            "key": key,
            "label": labels[key],
            "count": count,
            "percent": round(100 * count / total) if total else 0,
        }
        for key, count in counts.items()
    ]


def _sales_chart(sales: selectors.DailySales) -> str:
    """Revenue per day as bars and the number of orders as a line, for unfold's chart."""
    return json.dumps(
        {
            "labels": [date_format(day, "M j") for day in sales.days],
            "datasets": [
                {
                    "type": "line",
                    "label": _("Orders"),
                    "data": sales.orders,
                    "borderColor": PRIMARY_LIGHT,
                    "yAxisID": "orders",
                },
                {
                    "label": _("Revenue"),
                    "data": [float(value) for value in sales.revenue],
                    "backgroundColor": PRIMARY,
                    "maxBarThickness": 10,
                },
            ],
        }
    )


GREY = "#9ca3af"
# unfold replaces its default chart options by the ones given, so these are complete.
SALES_CHART_OPTIONS = json.dumps(
    {
        "animation": False,
        "responsive": True,
        "maintainAspectRatio": False,
        "interaction": {"mode": "index", "intersect": False},
        "plugins": {
            "legend": {
                "display": True,
                "align": "end",
                "position": "top",
                "labels": {"boxHeight": 6, "boxWidth": 6, "usePointStyle": True,
                           "pointStyle": "circle", "color": GREY},
            }
        },
        "datasets": {
            "bar": {"borderRadius": 4},
            "line": {"borderWidth": 2, "pointRadius": 0, "tension": 0},
        },
        "scales": {
            "x": {"grid": {"display": False}, "ticks": {"color": GREY, "maxTicksLimit": 10}},
            "y": {"beginAtZero": True, "ticks": {"color": GREY},
                  "grid": {"color": "rgba(156, 163, 175, 0.2)"}, "border": {"display": False}},
            "orders": {"position": "right", "beginAtZero": True, "grid": {"display": False},
                       "ticks": {"precision": 0, "color": GREY}, "border": {"display": False}},
        },
    }
)


def _sales_context(user: User) -> dict:
    sales = selectors.daily_sales(user=user, days=30)
    return {
        "sales": sales,
        "sales_chart": _sales_chart(sales),
        "sales_chart_options": SALES_CHART_OPTIONS,
        "sales_cards": [
            _card(_("Orders, last 7 days"), sales.total_orders(7), icon="shopping_bag"),
            _card(_("Revenue, last 7 days"), money_format(sales.total_revenue(7)), icon="payments"),
            _card(_("Orders, last 30 days"), sales.total_orders(30), icon="shopping_cart"),
            _card(
                _("Revenue, last 30 days"),
                money_format(sales.total_revenue(30)),
                icon="account_balance",
                href=reverse("admin:reports_sales"),
            ),
        ],
    }


def _manufacturer_context(user: User) -> dict:
    stock = selectors.stock_figures(user=user)
    trend = selectors.rating_trend(user=user)
    reviews = selectors.latest_reviews(user=user, limit=5)
    imports = selectors.recent_imports(user=user, limit=5)
    return {
        **_sales_context(user),
        **checklist_context(user),
        "attention_cards": [
            _card(
                _("Inventory value"),
                money_format(stock.inventory_value),
                icon="account_balance_wallet",
                hint=_("%(units)s units in stock") % {"units": stock.units},
            ),
            _attention_card(_("Running low"), stock.low, icon="production_quantity_limits",
                            href=_changelist("catalog_product", "stock=low"),
                            hint=_("variations at or under their threshold")),
            _attention_card(_("Out of stock"), stock.out, icon="remove_shopping_cart",
                            href=_changelist("catalog_product", "stock=out"),
                            hint=_("variations with no stock")),
            _card(
                _("Average rating"),
                f"{trend.recent_average:.2f} ★" if trend.recent_average is not None else "—",
                icon="star",
                hint=_("published reviews, last 30 days"),
            ),
        ],
        "approval_rows": _shares(
            selectors.products_by_approval_status(user=user), dict(ApprovalStatus.choices)
        ),
        "rating_trend": trend,
        "reviews_table": {
            "headers": [_("Product"), _("Rating"), _("Status"), _("Date")],
            "rows": [
                [
                    admin_link(reverse("admin:reviews_review_change", args=[r.pk]), r.product.name),
                    "★" * r.rating + "☆" * (5 - r.rating),
                    r.get_status_display(),
                    date_format(r.created_at, "M j"),
                ]
                for r in reviews
            ],
        },
        "imports_table": {
            "headers": [_("File"), _("Status"), _("New"), _("Updated"), _("Errors")],
            "rows": [
                [
                    admin_link(
                        reverse("admin:imports_productimport_change", args=[i.pk]),
                        i.original_name,
                    ),
                    import_status_badge(i),
                    i.created_count,
                    i.updated_count,
                    i.error_count,
                ]
                for i in imports
            ],
        },
    }


#: Where a top seller's name links to: the product's page, the manufacturer's account.
TOP_SELLER_PAGES = {
    "product": "admin:catalog_product_change",
    "manufacturer": "admin:users_user_change",
}


def _top_table(rows: list[dict], *, group_by: str, labels: dict) -> dict:
    def name(row):
        text = row["name"] or _("(deleted)")
        if row["key"]:
            return admin_link(reverse(TOP_SELLER_PAGES[group_by], args=[row["key"]]), text)
        return text

    return {
        "headers": [labels[group_by], _("Units"), _("Orders"), _("Revenue")],
        "rows": [[name(r), r["quantity"], r["orders"], money_format(r["revenue"])] for r in rows],
    }


def _staff_context(user: User) -> dict:
    pending_products = selectors.products_by_approval_status(user=user)[ApprovalStatus.PENDING]
    trend = selectors.rating_trend(user=user)
    failed_messages = selectors.failed_outbox_count()
    failed_tasks = selectors.failed_task_count()
    payouts_waiting = payouts_awaiting_approval()
    weeks = selectors.new_users_per_week(weeks=8)
    applications = applications_waiting()
    group_labels = {"product": _("Product"), "manufacturer": _("Manufacturer")}
    return {
        **_sales_context(user),
        "attention_cards": [
            _attention_card(_("Manufacturers awaiting approval"), applications.count,
                            icon="storefront", href=applications.href, hint=applications.hint),
            _attention_card(_("Products awaiting approval"), pending_products,
                            icon="pending_actions", href=_changelist("catalog_pendingproduct")),
            _attention_card(_("Payouts awaiting approval"), payouts_waiting, icon="fact_check",
                            href=_changelist("money_payoutrun", "status__exact=draft"),
                            hint=_("in a payout run to review")),
            _attention_card(_("Reviews awaiting moderation"), trend.pending, icon="rate_review",
                            href=_changelist("reviews_review", "status__exact=pending")),
            _attention_card(_("Failed outbox messages"), failed_messages, icon="unsubscribe",
                            href=_changelist("notifications_outboundmessage",
                                             "status__exact=failed")),
            _attention_card(_("Failed background tasks"), failed_tasks, icon="error",
                            href=_changelist("django_q_failure")),
        ],
        "order_status_rows": _shares(
            selectors.orders_by_status(user=user), dict(OrderStatus.choices)
        ),
        "new_users": sum(count for _week, count in weeks),
        "users_chart": json.dumps(
            {
                "labels": [date_format(monday, "M j") for monday, _count in weeks],
                "datasets": [
                    {
                        "label": _("New users"),
                        "data": [count for _monday, count in weeks],
                        "backgroundColor": PRIMARY,
                        "maxBarThickness": 28,
                        "displayYAxis": True,
                    }
                ],
            }
        ),
        "top_manufacturers": _top_table(
            selectors.top_sellers(user=user, group_by="manufacturer"),
            group_by="manufacturer",
            labels=group_labels,
        ),
        "top_products": _top_table(
            selectors.top_sellers(user=user, group_by="product"),
            group_by="product",
            labels=group_labels,
        ),
    }


def dashboard_callback(request: HttpRequest, context: dict) -> dict:
    user = request.user
    profile = getattr(user, "manufacturer_profile", None) if user.is_manufacturer else None
    if user.is_staff:
        role_context = _staff_context(user)
    elif user.is_manufacturer:
        role_context = _manufacturer_context(user)
    else:
        role_context = {}
    context.update(
        {
            "dashboard_greeting": user.first_name
            or (profile.display_name if profile else user.email),
            "dashboard_role": _("staff") if user.is_staff else _("manufacturer"),
            "dashboard_is_staff": user.is_staff,
            **role_context,
        }
    )
    return context
